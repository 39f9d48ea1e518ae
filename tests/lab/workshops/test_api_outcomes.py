"""/api/v1/workshops/<id>/exports/ and /follow-ups/: what comes out of a workshop, for exactly those who may see
its results (404 for anyone else, as the results page), the same bytes as the page's downloads, and never a
participant's name or device token."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from lab.models import IdeaFollowUp, LaneKind, ResultsVisibility, Workshop
from lab.workshops import services
from lab.workshops.seats import DEVICE_COOKIE
from lab.workshops.services.follow_up import change_follow_up, follow_up_as_action, follow_up_as_initiative
from tests.factories import StaffFactory, UserFactory
from tests.lab.workshops.conftest import guest_joins, signed_in, write

pytestmark = pytest.mark.django_db

NAMES = ["poster.pdf", "verslag.pdf", "kaart.png", "kaartjes.csv", "klantreis.json"]


def url(route, workshop, **kwargs):
    return reverse(f"api:workshops-{route}", kwargs={"pk": workshop.pk, **kwargs})


def same_file(data: bytes) -> bytes:
    """A PDF without the moment it was made and the file id drawn from it: two renderings a second apart differ
    only there."""
    data = re.sub(rb"/CreationDate \([^)]*\)", b"", data)
    return re.sub(rb"/ID \[<[0-9A-Fa-f]+> ?<[0-9A-Fa-f]+>\]", b"", data)


@pytest.fixture
def jan(finished):
    return finished.participants.get(user__email="jan@example.org").user


@pytest.fixture
def lead_of(finished):
    return finished.facilitators.get()


# --- who may ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("who, participants_only, public", [
    ("facilitator", 200, 200), ("participant", 200, 200), ("resident", 404, 200), ("anonymous", 404, 200),
])
def test_the_outcome_is_for_those_who_may_see_the_results(finished, jan, lead_of, who, participants_only, public):
    viewer = {"facilitator": lambda: signed_in(lead_of), "participant": lambda: signed_in(jan),
              "resident": lambda: signed_in(UserFactory()), "anonymous": Client}[who]()
    paths = [url("exports", finished), url("export", finished, name="klantreis.json"),
             url("follow-ups", finished)]
    assert [viewer.get(path).status_code for path in paths] == [participants_only] * 3
    Workshop.objects.filter(pk=finished.pk).update(results_visibility=ResultsVisibility.PUBLIC)
    assert [viewer.get(path).status_code for path in paths] == [public] * 3


def test_nothing_comes_out_before_the_end_not_even_for_the_facilitator(board, lead, guest):
    Workshop.objects.filter(pk=board.pk).update(results_visibility=ResultsVisibility.PUBLIC)
    device = Client()
    device.cookies[DEVICE_COOKIE] = guest.token
    for viewer in (signed_in(lead), device, Client()):
        for path in (url("exports", board), url("export", board, name="kaartjes.csv"), url("follow-ups", board)):
            assert viewer.get(path).status_code == 404


def test_a_seat_without_an_account_gets_the_outcome_on_its_device(board, lead, guest):
    services.end_workshop(actor=lead, workshop=board)
    device = Client()
    device.cookies[DEVICE_COOKIE] = guest.token
    assert Client().get(url("exports", board)).status_code == 404
    for path in (url("exports", board), url("export", board, name="kaartjes.csv"), url("follow-ups", board)):
        answer = device.get(path)
        assert answer.status_code == 200 and guest.token not in answer.content.decode()


def test_an_unknown_workshop_is_404(client):
    for name in ("exports", "follow-ups"):
        assert client.get(reverse(f"api:workshops-{name}", kwargs={"pk": 999999})).status_code == 404


# --- the list of exports ------------------------------------------------------------------------------------------

def test_the_list_has_every_export_and_the_csv_of_each_lane(finished, jan, django_assert_max_num_queries):
    client = signed_in(jan)
    with django_assert_max_num_queries(8):
        answer = client.get(url("exports", finished))
    assert answer.status_code == 200
    body = answer.json()
    assert body["workshop"] == finished.pk and body["journey_schema"] == reverse("lab:journey_schema")
    lanes = list(finished.lanes.all())
    whole = [e for e in body["exports"] if e["lane"] is None]
    assert [e["name"] for e in whole] == NAMES
    assert {e["name"]: e["media_type"] for e in whole} == {
        "poster.pdf": "application/pdf", "verslag.pdf": "application/pdf", "kaart.png": "image/png",
        "kaartjes.csv": "text/csv; charset=utf-8", "klantreis.json": "application/json"}
    assert whole[0]["title"] == "De klantreis als poster (PDF, A2)"
    per_lane = [e for e in body["exports"] if e["lane"] is not None]
    assert [e["lane"] for e in per_lane] == list(range(len(lanes))) and {e["name"] for e in per_lane} == {
        "kaartjes.csv"}
    assert [lane.title in e["title"] for lane, e in zip(lanes, per_lane, strict=True)] == [True] * len(lanes)
    first = per_lane[0]
    assert first["url"] == f"http://testserver{url('export', finished, name='kaartjes.csv')}?rij=0"
    assert first["page_url"] == reverse("lab:export", args=[finished.pk, "kaartjes.csv"]) + "?rij=0"


def test_every_url_in_the_list_gives_its_file(finished, jan):
    client = signed_in(jan)
    for entry in client.get(url("exports", finished)).json()["exports"]:
        for address in (entry["url"], entry["page_url"]):
            answer = client.get(address)
            assert answer.status_code == 200 and answer["Content-Type"] == entry["media_type"], address


# --- the files ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_each_file_is_the_pages_own_with_its_type_and_name(finished, jan, name):
    client = signed_in(jan)
    api = client.get(url("export", finished, name=name))
    page = client.get(reverse("lab:export", args=[finished.pk, name]))
    assert api.status_code == page.status_code == 200
    assert api["Content-Type"] == page["Content-Type"]
    assert api["Content-Disposition"] == page["Content-Disposition"]
    assert api["Content-Disposition"].startswith(f'attachment; filename="werksessie-{finished.pk}-')
    assert same_file(api.content) == same_file(page.content)


def test_a_client_may_ask_for_the_files_own_type(finished, jan):
    answer = signed_in(jan).get(url("export", finished, name="poster.pdf"), HTTP_ACCEPT="application/pdf")
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF")
    refused = Client().get(url("export", finished, name="poster.pdf"), HTTP_ACCEPT="application/pdf")
    assert refused.status_code == 404 and refused["Content-Type"] == "application/json"


def test_the_csv_of_one_lane_is_the_pages_own(finished, jan):
    client = signed_in(jan)
    api = client.get(url("export", finished, name="kaartjes.csv"), {"rij": 4})
    page = client.get(reverse("lab:export", args=[finished.pk, "kaartjes.csv"]), {"rij": 4})
    assert api.status_code == 200 and api.content == page.content
    assert "rij-5.csv" in api["Content-Disposition"]
    assert all(";Knelpunten;" in row for row in api.content.decode().strip().split("\r\n")[1:])


def test_an_unknown_file_or_lane_is_404_and_a_lane_that_is_no_number_400(finished, jan):
    client = signed_in(jan)
    assert client.get(url("export", finished, name="iets.exe")).status_code == 404
    assert Client().get(url("export", finished, name="iets.exe")).status_code == 404
    csv = url("export", finished, name="kaartjes.csv")
    assert client.get(csv, {"rij": finished.lanes.count()}).status_code == 404
    for bad in ("x", "-1", "1.5"):
        answer = client.get(csv, {"rij": bad})
        assert answer.status_code == 400 and "rij" in answer.json()["errors"]


def test_dots_only_once_they_were_shown(finished, jan):
    client = signed_in(jan)
    journey = url("export", finished, name="klantreis.json")
    assert any("dots" in card for card in client.get(journey).json()["cards"])
    Workshop.objects.filter(pk=finished.pk).update(votes_shown=False)
    assert not any("dots" in card for card in client.get(journey).json()["cards"])
    assert "stippen" not in client.get(url("export", finished, name="kaartjes.csv")).content.decode().splitlines()[0]


# --- follow-ups ---------------------------------------------------------------------------------------------------

@pytest.fixture
def followed(finished, jan, lead_of):
    ideas = list(finished.cards.filter(lane__kind=LaneKind.IDEAS, merged_into__isnull=True).order_by("order", "pk"))
    owner = StaffFactory(first_name="Olga", last_name="Eigenaar")
    action = follow_up_as_action(actor=lead_of, card=ideas[0], owner=owner, title="Een checklist op de site",
                                 note="Na de zomer")
    change_follow_up(actor=lead_of, follow_up=action, status="in_progress", note="Na de zomer")
    draft = follow_up_as_initiative(actor=lead_of, card=ideas[1], offer_to=jan)
    return IdeaFollowUp.objects.get(pk=action.pk), IdeaFollowUp.objects.get(pk=draft.pk)


def test_the_follow_ups_as_the_results_page_shows_them(finished, jan, followed, django_assert_max_num_queries):
    action, draft = followed
    client = signed_in(jan)
    with django_assert_max_num_queries(8):
        answer = client.get(url("follow-ups", finished))
    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == 2 and body["next"] is None
    rows = {row["id"]: row for row in body["results"]}
    assert rows[action.pk] == {
        "id": action.pk, "card": action.card_id, "idea": action.card.text, "kind": "action",
        "kind_label": "wordt een actie van de gemeente", "title": "Een checklist op de site",
        "status": "in_progress", "status_label": "mee bezig", "note": "Na de zomer", "initiative": None,
        "updated_at": rows[action.pk]["updated_at"]}
    assert rows[draft.pk]["kind"] == "initiative" and rows[draft.pk]["status"] == "planned"
    assert rows[draft.pk]["initiative"] == {"id": draft.initiative_id, "title": draft.initiative.title,
                                            "url": draft.initiative.get_absolute_url()}
    assert rows[draft.pk]["title"] == draft.initiative.title
    results_page = client.get(reverse("lab:results", args=[finished.pk])).content.decode()
    assert draft.initiative.get_absolute_url() in results_page and "Een checklist op de site" in results_page


def test_the_follow_ups_name_nobody(finished, jan, followed):
    Workshop.objects.filter(pk=finished.pk).update(results_visibility=ResultsVisibility.PUBLIC)
    people = [p.user for p in finished.participants.filter(user__isnull=False)] + [finished.facilitators.get()]
    people.append(followed[0].owner)
    for number, person in enumerate(people):  # names that no idea's text can hold by chance
        type(person).objects.filter(pk=person.pk).update(first_name=f"Voornaamx{number}",
                                                         last_name=f"Achternaamx{number}")
    body = Client().get(url("follow-ups", finished)).content.decode()
    assert "Voornaamx" not in body and "Achternaamx" not in body and "Sanne" not in body
    assert not any(person.email in body for person in people)
    for seat in finished.participants.filter(device_token_hash__isnull=False):
        assert seat.device_token_hash not in body


def test_a_follow_up_of_a_card_never_shared_is_not_listed(board, lead, guest):
    kept, _created = write(guest, "Nooit gedeeld", kind=LaneKind.IDEAS)
    shared_seat = guest_joins(board, "Kees")
    services.reveal(actor=lead, workshop=board)
    shared, _created = write(shared_seat, "Een checklist", kind=LaneKind.IDEAS)
    owner = StaffFactory()
    for card in (kept, shared):
        follow_up_as_action(actor=lead, card=card, owner=owner, title=f"Doen: {card.pk}")
    board.cards.filter(pk=kept.pk).update(private=True)
    services.end_workshop(actor=lead, workshop=Workshop.objects.get(pk=board.pk))
    results = signed_in(lead).get(url("follow-ups", board)).json()["results"]
    assert [row["card"] for row in results] == [shared.pk]


# --- the schema ---------------------------------------------------------------------------------------------------

def test_exports_and_follow_ups_are_in_the_schema(client):
    schema = client.get("/api/schema/?format=json").json()
    paths = schema["paths"]
    listing = paths["/api/v1/workshops/{id}/exports/"]["get"]["responses"]
    assert listing["200"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Exports"}
    assert "404" in listing
    one = paths["/api/v1/workshops/{id}/exports/{name}/"]["get"]
    assert set(one["responses"]["200"]["content"]) == {"application/pdf", "image/png", "text/csv",
                                                      "application/json"}
    assert {"400", "404"} <= set(one["responses"])
    [name] = [p for p in one["parameters"] if p["name"] == "name"]
    assert sorted(name["schema"]["enum"]) == sorted(NAMES)
    assert any(p["name"] == "rij" and p["in"] == "query" for p in one["parameters"])
    follow_ups = paths["/api/v1/workshops/{id}/follow-ups/"]["get"]["responses"]["200"]
    assert follow_ups["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/PaginatedFollowUpList"}
    fields = schema["components"]["schemas"]["FollowUp"]["properties"]
    assert set(fields) == {"id", "card", "idea", "kind", "kind_label", "title", "status", "status_label", "note",
                           "initiative", "updated_at"}
    export_fields = schema["components"]["schemas"]["Export"]["properties"]
    assert set(export_fields) == {"name", "media_type", "title", "lane", "url", "page_url"}
