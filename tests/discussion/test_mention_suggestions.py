"""The names the comment form offers after "@": who is in the list, who may ask, and bad input.

``discussion.selectors.mention_suggestions`` decides who is offered; ``/gesprek/<id>/namen/?q=`` (and
``/gesprek/over/<app.model>/<id>/namen/?q=`` for an object without a thread yet) answers only who may
comment there, with nothing but a name and a kern per person.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from core.permissions import may
from discussion.models import KernBlock
from discussion.notices import _mentioned_users
from discussion.selectors import MENTION_SUGGESTIONS, mention_suggestions
from initiatives.models import Status
from tests import factories
from tests.factories_discussion import CommentFactory, kern_thread, private_thread
from tests.factories_initiatives import InitiativeFactory
from tests.roles import ROLES, STAFF, fresh

pytestmark = pytest.mark.django_db

AUTHOR = "initiator"  # the cast's author of whatever a grid builds
# session, person, thread, its object, the people found (a thread only some may read: its object's
# initiators, and each person found is asked the rule; at most MENTION_SUGGESTIONS more).
QUERIES = 5
QUERIES_RESTRICTED = 6


def labels(thread, prefix, requester):
    return [person["label"] for person in mention_suggestions(thread=thread, prefix=prefix, requester=requester)]


def person(kern, first, last, **extra):
    return factories.UserFactory(kern=kern, first_name=first, last_name=last, **extra)


def ask(client, thread, q="ma", user=None):
    client.logout()
    if user is not None and user.is_authenticated:
        client.force_login(user)
    return client.get(f"/gesprek/{thread.pk}/namen/", {"q": q})


# --- who is offered (the selector) ------------------------------------------------------------------------


def test_residents_of_the_kern_and_those_who_took_part(kern, other_kern, resident):
    thread = kern_thread(kern)
    person(kern, "Marieke", "Jansen")
    commenter_elsewhere = person(other_kern, "Mark", "Bos")
    CommentFactory(thread=thread, author=commenter_elsewhere)
    person(other_kern, "Maarten", "Smit")  # lives elsewhere and took no part
    assert sorted(labels(thread, "ma", resident)) == ["Marieke Jansen", "Mark Bos"]


def test_those_who_took_part_come_first_then_by_name(kern, other_kern, resident):
    thread = kern_thread(kern)
    person(kern, "Maaike", "Aarts")
    person(kern, "mandy", "Zwart")  # the order of names ignores capitals
    person(kern, "Marco", "de Boer")
    took_part = person(other_kern, "Mats", "Visser")
    CommentFactory(thread=thread, author=took_part)
    assert labels(thread, "ma", resident) == ["Mats Visser", "Maaike Aarts", "mandy Zwart", "Marco de Boer"]


def test_a_hidden_or_deleted_comment_is_not_taking_part(kern, other_kern, resident):
    thread = kern_thread(kern)
    hidden, deleted = person(other_kern, "Maud", "Hendriks"), person(other_kern, "Max", "Peters")
    CommentFactory(thread=thread, author=hidden, hidden_at=timezone.now(), hidden_reason="x")
    CommentFactory(thread=thread, author=deleted, deleted_at=timezone.now())
    assert labels(thread, "ma", resident) == []


def test_a_comment_in_another_thread_is_not_taking_part(kern, other_kern, resident):
    thread = kern_thread(kern)
    CommentFactory(thread=kern_thread(other_kern), author=person(other_kern, "Maud", "Hendriks"))
    assert labels(thread, "ma", resident) == []


def test_inactive_people_are_never_offered(kern, other_kern, resident):
    thread = kern_thread(kern)
    person(kern, "Marieke", "Jansen", is_active=False)
    gone = person(other_kern, "Mark", "Bos")
    CommentFactory(thread=thread, author=gone)
    gone.is_active = False
    gone.save()
    assert labels(thread, "ma", resident) == []


def test_the_requester_is_never_offered(kern):
    thread = kern_thread(kern)
    marieke = person(kern, "Marieke", "Jansen")
    CommentFactory(thread=thread, author=marieke)
    person(kern, "Mark", "Bos")
    assert labels(thread, "ma", marieke) == ["Mark Bos"]


def test_at_most_eight(kern, resident):
    thread = kern_thread(kern)
    for n in range(MENTION_SUGGESTIONS + 4):
        person(kern, f"Ma{chr(ord('a') + n)}", "Jansen")
    assert MENTION_SUGGESTIONS == 8
    assert len(labels(thread, "ma", resident)) == 8


@pytest.mark.parametrize(("prefix", "found"), [
    ("mar", True),                 # the start of the first name
    ("jan", True),                 # the start of the last name, "Jansen"
    ("marieke ja", True),          # the start of the full name
    ("ieke", False),               # not the start of anything
    ("ma%", False), ("m_", False),  # typed as text, never as a pattern
])
def test_the_start_of_a_first_last_or_full_name(kern, resident, prefix, found):
    person(kern, "Marieke", "Jansen")
    assert (labels(kern_thread(kern), prefix, resident) == ["Marieke Jansen"]) is found


@pytest.mark.parametrize(("prefix", "found"), [("de", True), ("vr", True), ("de v", True), ("ries", False)])
def test_each_word_of_a_last_name_counts(kern, resident, prefix, found):
    person(kern, "Dirk", "de Vries")
    assert (labels(kern_thread(kern), prefix, resident) == ["Dirk de Vries"]) is found


@pytest.mark.parametrize("first_name", ["", "M", "Anne Marie", "J.P.", "Ma!"])
def test_a_first_name_that_cannot_be_mentioned_is_not_offered(kern, resident, first_name):
    person(kern, first_name, "Maas")
    assert labels(kern_thread(kern), "ma", resident) == []


def test_every_name_offered_reaches_its_person_when_written(kern, other_kern, resident):
    thread = kern_thread(kern)
    people = [person(kern, "Marieke", "de Jong"), person(kern, "Mo", ""), person(kern, "Marie-José", "Ma")]
    took_part = person(other_kern, "Mats", "van den Berg")
    CommentFactory(thread=thread, author=took_part)
    offered = labels(thread, "m", resident)
    assert len(offered) == 4
    comment = CommentFactory(thread=thread, author=resident, body=" en ".join(f"@{label}" for label in offered))
    assert {p.pk for p in _mentioned_users(comment, thread)} == {p.pk for p in [*people, took_part]}


def test_a_thread_without_a_kern_offers_only_those_who_took_part(kern, resident):
    from discussion.services import get_or_create_thread
    from discussion.targets import register

    register("community.HelpTopic", read_perm="discussion.view_kern_conversation")  # open to all, no kern
    thread = get_or_create_thread(target=factories.HelpTopicFactory())
    assert thread.kern_id is None
    person(None, "Maarten", "Smit")  # has no kern either: that is no reason to offer him
    mila = person(kern, "Mila", "Dekker")
    assert labels(thread, "m", resident) == []
    CommentFactory(thread=thread, author=mila)
    assert labels(thread, "m", resident) == ["Mila Dekker"]


def test_an_object_without_a_thread_yet_offers_the_residents_of_its_kern(kern, other_kern, resident):
    from discussion.templatetags.discussion import unsaved_thread

    person(kern, "Marieke", "Jansen")
    person(other_kern, "Mark", "Bos")
    assert labels(unsaved_thread(kern), "ma", resident) == ["Marieke Jansen"]


def test_a_thread_only_some_may_read_offers_only_its_readers(kern):
    draft = InitiativeFactory(kern=kern, status=Status.DRAFT, initiator=person(kern, "Iris", "Maas"))
    from discussion.services import get_or_create_thread

    thread = get_or_create_thread(target=draft)
    council = factories.CouncilMembershipFactory(kern=kern, user=person(kern, "Maria", "Bakker")).user
    neighbour = person(kern, "Martin", "Kok")  # lives there, but may not see a draft
    assert not may(neighbour, "discussion.view_thread", thread) and may(council, "discussion.view_thread", thread)
    assert labels(thread, "ma", draft.initiator) == ["Maria Bakker"]


def test_only_a_name_and_a_kern(kern, resident):
    person(kern, "Marieke", "Jansen", email="marieke.jansen@example.org")
    assert mention_suggestions(thread=kern_thread(kern), prefix="ma", requester=resident) == [
        {"label": "Marieke Jansen", "kern": "Arkel"}]


# --- who may ask (the endpoint): the shared cast x thread ---------------------------------------------------


def grid(client, cast, thread):
    return {role: ask(client, thread, "zz", fresh(cast[role])).status_code for role in ROLES}


def expected(cast, thread):
    """200 for who may comment (the comment form's rule), 404 for who may not see the thread, else 403;
    signed out always 403."""
    answers = {}
    for role in ROLES:
        user = fresh(cast[role])
        if not user.is_authenticated:
            answers[role] = 403
        elif not may(user, "discussion.view_thread", thread):
            answers[role] = 404
        else:
            answers[role] = 200 if may(user, "discussion.post_comment", thread) else 403
    return answers


def test_grid_own_kern_thread(client, cast, kern):
    thread = kern_thread(kern)
    assert grid(client, cast, thread) == expected(cast, thread) == {
        role: 403 if role == "anonymous" else 200 for role in ROLES}


def test_grid_other_kern_thread(client, cast, other_kern):
    thread = kern_thread(other_kern)
    assert grid(client, cast, thread) == expected(cast, thread) == {
        role: 403 if role == "anonymous" else 200 for role in ROLES}


def test_grid_closed_thread(client, cast, kern):
    thread = kern_thread(kern)
    thread.is_closed = True
    thread.save()
    assert grid(client, cast, thread) == expected(cast, thread) == dict.fromkeys(ROLES, 403)


def test_grid_private_thread(client, cast, kern):
    thread = private_thread(requester=cast[AUTHOR], kern=kern)
    readers = {AUTHOR, *STAFF}
    assert grid(client, cast, thread) == expected(cast, thread) == {
        role: 403 if role == "anonymous" else 200 if role in readers else 404 for role in ROLES}


def test_grid_draft_initiative(client, cast, kern):
    from discussion.services import get_or_create_thread

    thread = get_or_create_thread(target=InitiativeFactory(kern=kern, status=Status.DRAFT, initiator=cast[AUTHOR]))
    readers = {AUTHOR, "council", *STAFF}
    assert grid(client, cast, thread) == expected(cast, thread) == {
        role: 403 if role == "anonymous" else 200 if role in readers else 404 for role in ROLES}


def test_blocked_in_the_kern_may_not_ask_there_but_elsewhere(client, cast, kern, other_kern):
    KernBlock.objects.create(kern=kern, user=cast["resident"], reason="Spam")
    assert ask(client, kern_thread(kern), user=cast["resident"]).status_code == 403
    assert ask(client, kern_thread(other_kern), user=cast["resident"]).status_code == 200


def test_signed_out_is_told_to_log_in_even_for_a_private_thread(client, kern):
    for thread in (kern_thread(kern), private_thread(kern=kern)):
        response = ask(client, thread)
        assert response.status_code == 403
        assert response["Content-Type"] == "application/json"
        assert response.json()["code"] == "not_authenticated"
        assert response.json()["detail"] == "Log in om mee te praten"


def test_the_answer_holds_only_names_and_kernen(client, kern, resident):
    thread = kern_thread(kern)
    marieke = person(kern, "Marieke", "Jansen", email="mjansen@example.org", phone="0612345678")
    response = ask(client, thread, user=resident)
    assert response.json() == {"results": [{"label": "Marieke Jansen", "kern": "Arkel"}]}
    text = response.content.decode()
    assert "mjansen" not in text and "0612345678" not in text and '"id"' not in text and str(marieke.pk) not in text


def test_no_cache_keeps_the_names(client, kern, resident):
    thread = kern_thread(kern)
    for user, q in [(resident, "ma"), (resident, "m"), (None, "ma")]:
        assert ask(client, thread, q, user)["Cache-Control"] == "private, no-store"


# --- bad input ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("q", ["m", " m ", "", "   ", "x" * 41, "\x00ma"])
def test_a_query_too_short_too_long_or_broken_is_refused(client, kern, resident, q):
    response = ask(client, kern_thread(kern), q, resident)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and response.json()["errors"]["q"]


def test_a_missing_query_is_refused(client, kern, resident):
    client.force_login(resident)
    response = client.get(f"/gesprek/{kern_thread(kern).pk}/namen/")
    assert response.status_code == 400
    assert response.json()["detail"] == "Typ na @ minstens 2 letters van de naam."


def test_the_query_is_stripped_and_casefolded(client, kern, resident):
    person(kern, "Marieke", "Jansen")
    thread = kern_thread(kern)
    for q in ["  MA  ", "Ma", "marieke jansen", " " * 5 + "mA" + " " * 40]:
        assert ask(client, thread, q, resident).json()["results"] == [{"label": "Marieke Jansen", "kern": "Arkel"}]
    assert ask(client, thread, "m" * 40, resident).status_code == 200  # 40 is allowed, 41 is not


@pytest.mark.parametrize("q", ["<script>alert(1)</script>", "' OR 1=1 --", "%%", "__", "\\\\", "ma\u202e", "🙂🙂"])
def test_a_hostile_query_is_an_answer_not_an_error(client, kern, resident, q):
    person(kern, "Marieke", "Jansen")
    response = ask(client, kern_thread(kern), q, resident)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"results": []}


@pytest.mark.parametrize("path", [
    "/gesprek/999999/namen/", f"/gesprek/{10 ** 30}/namen/", "/gesprek/abc/namen/", "/gesprek/-1/namen/",
    "/gesprek/over/auth.user/1/namen/", "/gesprek/over/nope.nope/1/namen/", "/gesprek/over/kern/1/namen/",
    "/gesprek/over/community.kern/999999/namen/",
])
def test_a_forged_or_unknown_thread_is_not_found(client, kern, resident, path):
    kern_thread(kern)
    client.force_login(resident)
    assert client.get(path, {"q": "ma"}).status_code == 404


def test_an_object_without_a_thread_yet(client, kern, other_kern, resident):
    person(other_kern, "Mark", "Bos")
    client.force_login(resident)
    response = client.get(f"/gesprek/over/community.kern/{other_kern.pk}/namen/", {"q": "ma"})
    assert response.json() == {"results": [{"label": "Mark Bos", "kern": "Kinderdijk"}]}
    draft = InitiativeFactory(kern=kern, status=Status.DRAFT)
    assert client.get(f"/gesprek/over/initiatives.initiative/{draft.pk}/namen/", {"q": "ma"}).status_code == 404
    client.force_login(draft.initiator)
    assert client.get(f"/gesprek/over/initiatives.initiative/{draft.pk}/namen/", {"q": "ma"}).status_code == 200


# --- cost ---------------------------------------------------------------------------------------------------


def test_the_same_few_queries_for_3_or_30_residents(client, kern, other_kern, resident,
                                                    django_assert_max_num_queries):
    thread = kern_thread(kern)
    client.force_login(resident)
    url = f"/gesprek/{thread.pk}/namen/?q=ma"
    client.get(url)  # the start of a visit writes once (community.middleware.VisitMiddleware)
    for n in range(3):
        CommentFactory(thread=thread, author=person(other_kern if n % 2 else kern, f"Ma{n:02d}x", "Jansen"))
    with django_assert_max_num_queries(QUERIES) as few:
        assert len(client.get(url).json()["results"]) == 3
    for n in range(3, 30):
        CommentFactory(thread=thread, author=person(other_kern if n % 2 else kern, f"Ma{n:02d}x", "Jansen"))
        person(kern, f"Mb{n:02d}x", "Jansen")
    with django_assert_max_num_queries(QUERIES) as many:
        assert len(client.get(url).json()["results"]) == 8
    assert len(many) == len(few)


def test_a_thread_only_some_may_read_costs_at_most_one_query_per_person_offered(
        client, kern, django_assert_max_num_queries):
    from discussion.services import get_or_create_thread

    draft = InitiativeFactory(kern=kern, status=Status.DRAFT)
    thread = get_or_create_thread(target=draft)
    for n in range(30):
        factories.CouncilMembershipFactory(kern=kern, user=person(kern, f"Ma{n:02d}x", "Jansen"))
    client.force_login(draft.initiator)
    client.get(f"/gesprek/{thread.pk}/namen/?q=ma")  # the start of a visit writes once
    with django_assert_max_num_queries(QUERIES_RESTRICTED + MENTION_SUGGESTIONS):
        assert len(client.get(f"/gesprek/{thread.pk}/namen/?q=ma").json()["results"]) == 8


# --- the page and the script ----------------------------------------------------------------------------------


def test_the_comment_form_offers_names_only_to_who_may_comment(client, kern, resident):
    thread = kern_thread(kern)
    page = client.get(f"/gesprek/{thread.pk}/").content.decode()
    assert "data-mention-url" not in page and "mention-autocomplete.js" not in page
    client.force_login(resident)
    page = client.get(f"/gesprek/{thread.pk}/").content.decode()
    assert f'data-mention-url="/gesprek/{thread.pk}/namen/"' in page and "mention-autocomplete.js" in page
    assert 'data-mention-found-many="%(count)s namen gevonden.' in page
    assert 'aria-live="polite" data-role="mention-status"' in page


def test_the_page_speaks_english_when_asked(client, kern, resident):
    resident.preferred_language = "en"
    resident.save()
    client.force_login(resident)
    page = client.get(f"/gesprek/{kern_thread(kern).pk}/").content.decode()
    assert 'data-mention-none="No names found."' in page
    assert 'data-mention-found-many="%(count)s names found.' in page


def test_a_name_written_by_hand_still_reaches_its_person(client, kern, resident, django_capture_on_commit_callbacks):
    from community.models import Notification

    thread = kern_thread(kern)
    marieke = person(kern, "Marieke", "Jansen")
    client.force_login(resident)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/gesprek/{thread.pk}/reageren/", {"body": "Wat vindt u, @Marieke Jansen?"})
    assert Notification.objects.filter(recipient=marieke, kind="discussion.mention").exists()


def test_the_script_writes_names_as_text_never_as_html():
    script = (Path(settings.BASE_DIR) / "static/js/mention-autocomplete.js").read_text()
    for html_sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "DOMParser"):
        assert html_sink not in script
    assert "name.textContent = person.label" in script and "kern.textContent = person.kern" in script



# --- how often --------------------------------------------------------------------------------------------

def test_nobody_lists_a_kern_two_letters_at_a_time(client, kern, resident, monkeypatch):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {**api_settings.DEFAULT_THROTTLE_RATES,
                                                               "mention_suggestions": "3/min"})
    person(kern, "Marieke", "Jansen")
    thread = kern_thread(kern)
    assert [ask(client, thread, user=resident).status_code for _ in range(3)] == [200, 200, 200]
    refused = ask(client, thread, user=resident)
    assert refused.status_code == 429 and "Marieke" not in refused.content.decode()
    assert refused.json()["detail"] and refused["Retry-After"]
    neighbour = factories.UserFactory(kern=kern)
    assert ask(client, thread, user=neighbour).status_code == 200  # counted per person


def test_a_short_name_is_refused_in_the_visitors_language(client, kern, resident):
    thread = kern_thread(kern)
    client.force_login(resident)
    client.cookies["django_language"] = "en"
    refused = client.get(f"/gesprek/{thread.pk}/namen/", {"q": "m"})
    assert refused.status_code == 400 and "at least 2 letters" in refused.content.decode()
