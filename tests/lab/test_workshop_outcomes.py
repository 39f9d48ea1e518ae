"""What comes out of a workshop, as pages: the exports for those who may see the results (dots only once shown),
the facilitator's summary and who sees the results, what happens with each idea, and 'Hoe was deze bijeenkomst?'
for a seat without an account (a POST; one answer per seat)."""

import pytest
from django.urls import reverse

from lab.models import IdeaFollowUp, ResultsVisibility, Workshop
from lab.workshops.seats import DEVICE_COOKIE
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def facilitator(workshop):
    return workshop.facilitators.get()


@pytest.mark.parametrize("name, kind, start", [
    ("poster.pdf", "application/pdf", b"%PDF"), ("verslag.pdf", "application/pdf", b"%PDF"),
    ("kaart.png", "image/png", b"\x89PNG"), ("kaartjes.csv", "text/csv; charset=utf-8", "\ufeff".encode()),
    ("klantreis.json", "application/json", b"{"),
])
def test_every_export_for_a_participant(client, finished, name, kind, start):
    client.force_login(finished.participants.get(user__email="jan@example.org").user)
    response = client.get(reverse("lab:export", args=[finished.pk, name]))
    assert response.status_code == 200 and response["Content-Type"] == kind
    assert response.content.startswith(start)
    assert f'filename="werksessie-{finished.pk}-' in response["Content-Disposition"]


def test_exports_are_for_those_who_may_see_the_results(client, finished):
    url = reverse("lab:export", args=[finished.pk, "klantreis.json"])
    assert client.get(url).status_code == 404  # results for participants only
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    Workshop.objects.filter(pk=finished.pk).update(results_visibility=ResultsVisibility.PUBLIC)
    data = client.get(url).json()
    assert data["format"] == "samenlab.journey/1" and any("dots" in c for c in data["cards"])
    assert client.get(reverse("lab:export", args=[finished.pk, "iets.exe"])).status_code == 404


def test_the_csv_of_one_lane_and_a_lane_that_does_not_exist(client, finished):
    client.force_login(facilitator(finished))
    url = reverse("lab:export", args=[finished.pk, "kaartjes.csv"])
    one = client.get(url, {"rij": 4})
    assert one.status_code == 200 and "rij-5.csv" in one["Content-Disposition"]
    assert all(";Knelpunten;" in row for row in one.content.decode().strip().split("\r\n")[1:])
    for bad in ("6", "-1", "x"):
        assert client.get(url, {"rij": bad}).status_code == 404


def test_the_facilitator_writes_the_summary_and_opens_the_results(client, finished):
    url = reverse("lab:write_summary", args=[finished.pk])
    client.force_login(UserFactory())
    client.post(url, {"summary": "Niets", "results_visibility": "public"})
    finished.refresh_from_db()
    assert finished.results_visibility == "participants"
    client.force_login(facilitator(finished))
    response = client.post(url, {"summary": "Een checklist <b>en</b> sms", "results_visibility": "public"})
    assert response.status_code == 302
    finished.refresh_from_db()
    assert (finished.summary, finished.results_visibility) == ("Een checklist en sms", "public")
    client.logout()
    assert client.get(reverse("lab:results", args=[finished.pk])).status_code == 200


def test_the_facilitator_decides_what_happens_with_an_idea(client, finished):
    idea = finished.cards.filter(lane__kind="ideas").order_by("pk").first()
    url = reverse("lab:follow_up", args=[finished.pk, idea.pk])
    client.force_login(finished.participants.get(user__email="jan@example.org").user)
    assert client.get(url).status_code == 403
    client.force_login(facilitator(finished))
    page = client.get(url)
    assert page.status_code == 200 and idea.text in page.content.decode()
    carrier = finished.participants.get(user__email="kees@example.org").user
    client.post(url, {"outcome": "initiative", "carrier": carrier.pk})
    follow_up = IdeaFollowUp.objects.get(card=idea)
    assert follow_up.initiative.initiator == carrier
    results = client.get(reverse("lab:results", args=[finished.pk])).content.decode()
    assert follow_up.initiative.get_absolute_url() in results
    client.post(reverse("lab:change_follow_up", args=[finished.pk, follow_up.pk]), {"status": "in_progress"})
    follow_up.refresh_from_db()
    assert follow_up.status == "in_progress"


def test_an_action_without_a_staff_owner_is_refused_and_nothing_is_made(client, finished):
    idea = finished.cards.filter(lane__kind="ideas").order_by("pk").first()
    client.force_login(facilitator(finished))
    client.post(reverse("lab:follow_up", args=[finished.pk, idea.pk]), {"outcome": "action", "title": "Doen"})
    assert not IdeaFollowUp.objects.exists()


def test_a_seat_without_an_account_answers_by_a_post_not_a_get(client, finished):
    from lab.workshops.seats import new_device_token, token_hash

    seat = finished.participants.get(display_name="Sanne")
    token = new_device_token()
    type(seat).objects.filter(pk=seat.pk).update(device_token_hash=token_hash(token), feedback_invitation=None)
    client.cookies[DEVICE_COOKIE] = token
    url = reverse("lab:workshop_feedback", args=[finished.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302 and "/lab/hoe-was-het/" in response["Location"]
    assert client.get(response["Location"]).status_code == 200
    client.cookies[DEVICE_COOKIE] = new_device_token()  # no seat here
    assert client.post(url).status_code == 404
