"""The codes page for staff: bad address lists are refused with a clear reason and change nothing; codes are found
by postcode, revoked with a reason or sent again, and every step is in the log."""

import pytest
from django.urls import reverse

from tests.factories import StaffFactory
from tests.roles import ROLES, STAFF, fresh
from tests.voting.app.hallkit import HEADER, csv_upload, issue, letter_poll, own_queries, pdf_pages, streamed
from voting.letters import batches
from voting.models import CodeEvent, Turnout, VotingCode
from voting.services.casting import find_code
from voting.services.codes import MAX_ADDRESSEES

pytestmark = pytest.mark.django_db


@pytest.fixture
def poll(kern):
    return letter_poll(kern)


def codes_url(box, **query):
    url = reverse("voting:codes", args=[box.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def post_list(client, box, data, name="adressen.csv"):
    return client.post(codes_url(box), {"addresses": csv_upload(data, name)})


@pytest.mark.parametrize("data, says", [
    ("naam;straat;plaats\nJan;Dorpsstraat 1;Arkel\n", "mist kolommen"),
    ((HEADER + "José;Dorpsstraat 1;2952AB;Arkel\n").encode("latin-1"), "UTF-8"),
    (HEADER + "Jan;Dorpsstraat 1;ABCD 12;Arkel\n", "Regel 2"),
    (HEADER + "Jan;Dorpsstraat 1;2952 AB;Arkel\nPiet;Kerkweg 2;29521;Arkel\n", "Regel 3"),
    (HEADER + ";Dorpsstraat 1;2952 AB;Arkel\n", "Regel 2"),
    (HEADER, "leeg"),
    ("", "leeg"),
    (HEADER + "Jan;" + "x" * 300 + ";2952 AB;Arkel\n", "te lang"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "UTF-8"),
])
def test_a_bad_list_is_refused_with_its_reason_and_nothing_is_issued(client, staff, poll, data, says):
    client.force_login(staff)
    response = post_list(client, poll.box, data)
    assert response.status_code == 400
    assert says in response.content.decode()
    assert VotingCode.objects.count() == 0 and not batches.batches_of(poll.box)


def test_a_list_that_is_too_large_or_too_long_is_refused(client, staff, poll, settings):
    client.force_login(staff)
    huge = HEADER + "Jan;Dorpsstraat 1;2952 AB;Arkel\n" * 400_000  # over 10 MB
    response = post_list(client, poll.box, huge)
    assert response.status_code == 400 and "te groot" in response.content.decode()
    too_many = HEADER + "".join(f"B{n};Straat {n};2952 AB;Arkel\n" for n in range(MAX_ADDRESSEES + 2))
    response = post_list(client, poll.box, too_many)
    assert response.status_code == 400 and "te lang" in response.content.decode()
    assert VotingCode.objects.count() == 0


def test_no_file_is_asked_for_again(client, staff, poll):
    client.force_login(staff)
    response = client.post(codes_url(poll.box), {})
    assert response.status_code == 400 and "Kies het bestand" in response.content.decode()


def test_hostile_html_in_a_name_is_shown_as_text(client, staff, poll):
    client.force_login(staff)
    post_list(client, poll.box, HEADER + "Jan <img src=x onerror=alert(1)> Vries;Dorpsstraat 1;2952AB;Arkel\n")
    assert VotingCode.objects.get().addressee == "Jan  Vries"  # tags are dropped from the list
    page = client.get(codes_url(poll.box)).content.decode()
    assert "<img src=x" not in page and "onerror" not in page


def test_a_comma_separated_list_with_a_bom_is_read_too(client, staff, poll):
    client.force_login(staff)
    data = "\ufeffNaam,Straat,Postcode,Woonplaats\nJan,Dorpsstraat 1,2952ab,Arkel\n".encode()
    assert post_list(client, poll.box, data).status_code == 302
    assert VotingCode.objects.get().postcode == "2952 AB"


def test_codes_are_found_by_postcode(client, staff, poll):
    issue(staff, poll.box, 2)
    VotingCode.objects.filter(addressee="Bewoner 2").update(postcode="4241 XZ")
    client.force_login(staff)
    page = client.get(codes_url(poll.box, postcode="4241xz")).content.decode()
    assert "Bewoner 2" in page and "Bewoner 1" not in page
    page = client.get(codes_url(poll.box, postcode="12AB34")).content.decode()
    assert "geen postcode" in page


def test_revoking_needs_a_reason_and_is_logged(client, staff, poll):
    [letter] = issue(staff, poll.box)
    client.force_login(staff)
    url = reverse("voting:code_revoke", args=[poll.box.pk, letter.code.pk])
    client.post(url, {"reason": ""})
    assert not VotingCode.objects.get().is_revoked
    response = client.post(url, {"reason": "Brief kwijt"}, follow=True)
    assert "is ingetrokken" in response.content.decode()
    assert VotingCode.objects.get().is_revoked
    with pytest.raises(Exception, match="klopt niet"):
        find_code(poll.box, letter.plain_code)
    event = CodeEvent.objects.get(action=CodeEvent.Action.REVOKED)
    assert (event.actor, event.reason, event.code) == (staff, "Brief kwijt", letter.code)
    assert "Brief kwijt" in client.get(codes_url(poll.box)).content.decode()  # the log shows it


def test_a_new_letter_revokes_the_old_code_and_prints_the_new_one_only(client, staff, poll):
    first, second = issue(staff, poll.box, 2)
    client.force_login(staff)
    response = client.post(reverse("voting:code_reissue", args=[poll.box.pk, first.code.pk]),
                           {"reason": "Verhuisd binnen het dorp"})
    key = response.url.rstrip("/").split("/")[-1]
    letters = client.post(reverse("voting:letters", args=[poll.box.pk, key]))
    [page] = pdf_pages(streamed(letters))
    assert "Bewoner 1" in page and "Bewoner 2" not in page
    assert first.plain_code not in page and second.plain_code not in page
    fresh_code = VotingCode.objects.get(replaces=first.code)
    printed = [line for line in page.splitlines() if line.count("-") == 6][0]
    assert find_code(poll.box, printed) == fresh_code
    assert VotingCode.objects.get(pk=first.code.pk).is_revoked
    assert CodeEvent.objects.filter(action=CodeEvent.Action.REISSUED, reason="Verhuisd binnen het dorp").exists()
    listing = client.get(codes_url(poll.box)).content.decode()
    assert "vervangen door een nieuwe code" in listing


def test_a_used_code_cannot_be_revoked_or_sent_again(client, staff, poll):
    [letter] = issue(staff, poll.box)
    Turnout.objects.create(box=poll.box, code=letter.code, channel="code")
    client.force_login(staff)
    for name in ("voting:code_revoke", "voting:code_reissue"):
        response = client.post(reverse(name, args=[poll.box.pk, letter.code.pk]), {"reason": "x"}, follow=True)
        assert "al gestemd" in response.content.decode()
    assert not VotingCode.objects.get().is_revoked and VotingCode.objects.count() == 1


def test_a_code_of_another_box_is_not_found_through_this_box(client, staff, poll, kern):
    other = letter_poll(kern)
    [letter] = issue(staff, other.box)
    client.force_login(staff)
    for name in ("voting:code_revoke", "voting:code_reissue"):
        assert client.post(reverse(name, args=[poll.box.pk, letter.code.pk]), {"reason": "x"}).status_code == 404
    assert client.post(reverse("voting:code_revoke", args=[999_999, letter.code.pk]), {"reason": "x"}).status_code \
        == 404
    assert not VotingCode.objects.get().is_revoked


def test_the_codes_page_takes_the_same_queries_for_3_or_60_codes(client, staff, poll, django_assert_max_num_queries):
    client.force_login(staff)
    client.get(codes_url(poll.box))  # the first visit writes the visit and the user bar's profile, once
    counts = []
    for n in (3, 57):
        issue(staff, poll.box, n)
        with django_assert_max_num_queries(10) as queries:
            assert client.get(codes_url(poll.box)).status_code == 200
        counts.append(own_queries(queries.captured_queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("role", ROLES)
def test_who_may_see_the_codes_page(client, cast, poll, role):
    user = cast[role]
    if role != "anonymous":
        client.force_login(fresh(user))
    response = client.get(codes_url(poll.box))
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response.url
    else:
        assert response.status_code == (200 if role in STAFF else 403)


def test_after_the_close_no_codes_are_managed(client, kern):
    poll = letter_poll(kern, closed=True)
    client.force_login(StaffFactory())
    assert client.get(codes_url(poll.box)).status_code == 403
