"""The workshop pages answer the right people and refuse the others; their forms call the services."""

import datetime
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from community.rules import FACILITATORS_GROUP
from lab.models import (
    Card,
    Dot,
    Feeling,
    Lane,
    LaneKind,
    Participant,
    Persona,
    Phase,
    Stage,
    Workshop,
    WorkshopState,
)
from lab.workshops import services
from lab.workshops.seats import DEVICE_COOKIE
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def facilitator(kern):
    person = factories.UserFactory(kern=kern, first_name="Fenna")
    person.groups.add(Group.objects.get_or_create(name=FACILITATORS_GROUP)[0])
    return person


def plan(actor, **changes):
    starts = timezone.now() + datetime.timedelta(days=2)
    values = {"title": "Verhuizen naar Molenlanden", "service": "Verhuizen", "starts_at": starts,
              "ends_at": starts + datetime.timedelta(hours=2), "place": "Dorpshuis Arkel", **changes}
    return services.plan_workshop(actor=actor, **values)


@pytest.fixture
def workshop(facilitator):
    return plan(facilitator)


@pytest.fixture
def running(workshop, facilitator):
    return services.open_workshop(actor=facilitator, workshop=workshop)


def joined_client(workshop, name="Anna", anonymous=False) -> tuple[Client, Participant]:
    """A phone without an account that joined with the code (its device cookie set)."""
    client = Client()
    response = client.post(reverse("lab:join"), {"code": workshop.join_code, "display_name": name,
                                                 "anonymous": "on" if anonymous else ""})
    assert response.status_code == 302, response.content.decode()[:3000]
    return client, Participant.objects.order_by("-pk").first()


def cell(workshop, kind=LaneKind.DOES, order=0):
    return Stage.objects.filter(workshop=workshop)[order], Lane.objects.get(workshop=workshop, kind=kind)


# --- the list, the detail page, planning ------------------------------------------------------------------------

def test_the_list_and_the_page_show_the_workshop_to_everyone(client, workshop):
    assert workshop.title in client.get(reverse("lab:workshops")).content.decode()
    page = client.get(reverse("lab:workshop", args=[workshop.pk]))
    content = page.content.decode()
    assert page.status_code == 200 and "Dorpshuis Arkel" in content and "Fenna" in content
    assert workshop.join_code in content and "<svg" not in content  # the QR code is for the facilitators


def test_the_page_shows_the_personas(client, workshop):
    Persona.objects.create(workshop=workshop, name="Mira", situation="Verhuist met twee kinderen", needs="Rust")
    content = client.get(reverse("lab:workshop", args=[workshop.pk])).content.decode()
    assert "Mira" in content and "Verhuist met twee kinderen" in content and "Rust" in content


def test_the_list_per_kern_and_for_the_whole_municipality(client, facilitator, kern, other_kern):
    here = plan(facilitator, title="In Arkel", kern=kern)
    everywhere = plan(facilitator, title="Overal")
    arkel = client.get(reverse("lab:workshops"), {"kern": kern.slug}).content.decode()
    whole = client.get(reverse("lab:workshops"), {"kern": "gemeente"}).content.decode()
    assert here.title in arkel and everywhere.title not in arkel
    assert everywhere.title in whole and here.title not in whole
    assert client.get(reverse("lab:workshops"), {"kern": "nergens"}).status_code == 404


def test_facilitators_see_the_code_big_and_a_qr_code_of_the_join_link(client, workshop, facilitator):
    client.force_login(facilitator)
    content = client.get(reverse("lab:workshop", args=[workshop.pk])).content.decode()
    assert '<svg aria-hidden="true"' in content and 'class="join-qr"' in content
    assert f"QR-code om mee te doen. De code is {workshop.join_code}." in content
    assert f"/meedoen/?code={workshop.join_code}" in content


def test_an_unknown_workshop_is_404(client):
    assert client.get(reverse("lab:workshop", args=[999])).status_code == 404
    assert client.get(reverse("lab:board", args=[999])).status_code == 404


def test_staff_plan_a_workshop_with_the_default_stages_prefilled(client, staff, kern):
    client.force_login(staff)
    form = client.get(reverse("lab:plan_workshop")).content.decode()
    assert "Oriëntatie\nAanvraag\nWachten\nBesluit\nDaarna" in form
    response = client.post(reverse("lab:plan_workshop"), {
        "title": "Mantelzorg <b>aanvragen</b>", "service": "Mantelzorgwaardering", "customer_group": "Mantelzorgers",
        "description": "", "kern": kern.slug, "date": "2030-03-01", "start_time": "19:30", "end_time": "21:00",
        "place": "Gemeentehuis", "online_url": "", "dots_per_participant": "4", "stages": "Eerst\n\nDan\nTot slot"})
    workshop = Workshop.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("lab:workshop", args=[workshop.pk])
    assert workshop.title == "Mantelzorg aanvragen" and workshop.kern == kern and workshop.dots_per_participant == 4
    assert [s.title for s in workshop.stages.all()] == ["Eerst", "Dan", "Tot slot"]
    assert list(workshop.facilitators.all()) == [staff]


@pytest.mark.parametrize("who, status", [("resident", 403), ("council", 403), ("facilitator", 200), ("staff", 200)])
def test_only_staff_and_the_labs_facilitators_plan(client, cast, who, status):
    client.force_login(cast[who])
    assert client.get(reverse("lab:plan_workshop")).status_code == status


def test_planning_needs_a_place_or_a_link_and_an_end_after_the_start(client, staff):
    client.force_login(staff)
    response = client.post(reverse("lab:plan_workshop"), {
        "title": "X", "service": "Y", "date": "2030-03-01", "start_time": "21:00", "end_time": "19:00",
        "dots_per_participant": "3", "stages": "Een"})
    assert response.status_code == 400 and not Workshop.objects.exists()
    content = response.content.decode()
    assert "Vul een plaats in" in content and "Het einde ligt na het begin." not in content  # the place first
    response = client.post(reverse("lab:plan_workshop"), {
        "title": "X", "service": "Y", "date": "2030-03-01", "start_time": "21:00", "end_time": "19:00",
        "place": "Hier", "dots_per_participant": "3", "stages": "Een"})
    assert "Het einde ligt na het begin." in response.content.decode() and not Workshop.objects.exists()


# --- joining ----------------------------------------------------------------------------------------------------

def test_the_join_form_takes_the_code_from_the_qr_link(client, workshop):
    content = client.get(reverse("lab:join"), {"code": workshop.join_code}).content.decode()
    assert f'value="{workshop.join_code}"' in content and 'inputmode="numeric"' in content
    assert "one-time-code" not in content


def test_joining_with_a_code_sets_the_device_cookie_and_a_second_visit_is_the_same_seat(workshop):
    client = Client()
    response = client.post(reverse("lab:join"), {"code": f"{workshop.join_code[:3]} {workshop.join_code[3:]}",
                                                 "display_name": "Anna <script>x</script>"})
    assert response.status_code == 302 and response["Location"] == reverse("lab:board", args=[workshop.pk])
    cookie = response.cookies[DEVICE_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["max-age"] == 30 * 24 * 3600
    assert not cookie["secure"]
    seat = Participant.objects.get()
    assert seat.display_name == "Anna" and seat.user is None and seat.device_token_hash
    again = client.post(reverse("lab:join"), {"code": workshop.join_code, "display_name": "Anna"})
    assert again.status_code == 302 and DEVICE_COOKIE not in again.cookies
    assert Participant.objects.count() == 1
    assert client.get(reverse("lab:board", args=[workshop.pk])).status_code == 200


def test_the_cookie_is_secure_over_https(workshop):
    response = Client().post(reverse("lab:join"), {"code": workshop.join_code, "display_name": "Bert"},
                             secure=True)
    assert response.cookies[DEVICE_COOKIE]["secure"]


def test_a_wrong_code_says_so_and_makes_nothing(client, workshop):
    wrong = "000000" if workshop.join_code != "000000" else "111111"
    response = client.post(reverse("lab:join"), {"code": wrong, "display_name": "Anna"})
    assert response.status_code == 400 and "Er is geen werksessie met deze code" in response.content.decode()
    response = client.post(reverse("lab:join"), {"code": "12a", "display_name": "Anna"})
    assert "Een code heeft zes cijfers" in response.content.decode()
    assert not Participant.objects.exists() and DEVICE_COOKIE not in response.cookies


def test_an_ended_workshop_cannot_be_joined(client, running, facilitator):
    services.end_workshop(actor=facilitator, workshop=running)
    response = client.post(reverse("lab:join"), {"code": running.join_code, "display_name": "Anna"})
    assert response.status_code == 400 and "afgelopen" in response.content.decode()
    assert not Participant.objects.exists()


def test_anonymous_participation_keeps_no_name(workshop):
    Client().post(reverse("lab:join"), {"code": workshop.join_code, "display_name": "Anna", "anonymous": "on"})
    seat = Participant.objects.get()
    assert seat.anonymous and seat.display_name == "" and seat.public_name == "Deelnemer"


def test_a_signed_in_resident_joins_as_themselves_with_their_name_prefilled(client, workshop, resident):
    client.force_login(resident)
    assert 'value="Jan"' in client.get(reverse("lab:join")).content.decode()
    response = client.post(reverse("lab:join"), {"code": workshop.join_code, "display_name": "Jan"})
    assert response.status_code == 302 and DEVICE_COOKIE not in response.cookies
    assert Participant.objects.get().user == resident
    client.post(reverse("lab:join"), {"code": workshop.join_code, "display_name": "Jan"})
    assert Participant.objects.count() == 1


def test_a_signed_in_resident_who_chooses_anonymous_gets_a_device_seat(client, workshop, resident):
    client.force_login(resident)
    response = client.post(reverse("lab:join"), {"code": workshop.join_code, "anonymous": "on"})
    seat = Participant.objects.get()
    assert seat.user is None and seat.anonymous and DEVICE_COOKIE in response.cookies


# --- the board --------------------------------------------------------------------------------------------------

def test_the_board_refuses_who_is_not_on_it(client, running, cast):
    url = reverse("lab:board", args=[running.pk])
    assert client.get(url).status_code == 403
    for who in ("resident", "council", "facilitator"):  # a facilitator of the lab, but not of this workshop
        other = Client()
        other.force_login(cast[who])
        assert other.get(url).status_code == 403
    staff = Client()
    staff.force_login(cast["staff"])
    assert staff.get(url).status_code == 200


def test_the_text_view_reads_as_a_document_and_outsiders_get_no_card(client, running, facilitator):
    phone, _seat = joined_client(running)
    stage, lane = cell(running)
    card, _ = services.add_card(actor=facilitator, participant=None, stage=stage, lane=lane, text="Open kaartje",
                                client_id=uuid.uuid4())
    services.reveal(actor=facilitator, workshop=running)
    text = phone.get(reverse("lab:board", args=[running.pk]), {"tekst": "1"}).content.decode()
    assert "<h2" in text and "Fase 1: Oriëntatie" in text and "<h3>Wat doet de persoon?</h3>" in text
    assert "Open kaartje" in text and "<form" not in text.split("<main")[1].split("</main>")[0]
    assert client.get(reverse("lab:board_card", args=[running.pk, card.pk])).status_code == 403
    assert "Open kaartje" in phone.get(reverse("lab:board_card", args=[running.pk, card.pk])).content.decode()


def test_a_forged_device_cookie_finds_no_seat(running):
    client = Client()
    client.cookies[DEVICE_COOKIE] = "made-up"
    assert client.get(reverse("lab:board", args=[running.pk])).status_code == 403


def test_a_seat_in_one_workshop_is_not_a_seat_in_another(running, facilitator):
    other = services.open_workshop(actor=facilitator, workshop=plan(facilitator, title="Ander"))
    phone, _seat = joined_client(running)
    assert phone.get(reverse("lab:board", args=[other.pk])).status_code == 403


def test_a_participant_adds_a_card_by_form_and_html_is_stripped(running):
    phone, seat = joined_client(running)
    stage, lane = cell(running)
    key = uuid.uuid4()
    data = {"client_id": str(key), "stage": stage.pk, "lane": lane.pk, "text": "Ik <b>zocht</b> het formulier"}
    response = phone.post(reverse("lab:add_card", args=[running.pk]), data)
    assert response.status_code == 302 and f"fase={stage.pk}" in response["Location"]
    card = Card.objects.get()
    assert (card.text, card.author, card.private) == ("Ik zocht het formulier", seat, True)
    phone.post(reverse("lab:add_card", args=[running.pk]), data)  # the same form sent twice: one card
    assert Card.objects.count() == 1
    board = phone.get(reverse("lab:board", args=[running.pk])).content.decode()
    assert "Ik zocht het formulier" in board and "<b>" not in board


def test_a_card_sent_by_the_script_gets_the_card_back(running):
    phone, _seat = joined_client(running)
    stage, lane = cell(running)
    response = phone.post(reverse("lab:add_card", args=[running.pk]),
                          {"client_id": str(uuid.uuid4()), "stage": stage.pk, "lane": lane.pk, "text": "Via fetch"},
                          HTTP_X_BOARD_FRAGMENT="1")
    assert response.status_code == 201 and response.content.decode().lstrip().startswith("<li")
    assert "Via fetch" in response.content.decode()
    refused = phone.post(reverse("lab:add_card", args=[running.pk]),
                         {"client_id": str(uuid.uuid4()), "stage": stage.pk, "lane": lane.pk, "text": ""},
                         HTTP_X_BOARD_FRAGMENT="1")
    assert refused.status_code == 400 and "error" in refused.json()


def test_private_cards_of_others_show_as_hidden_until_the_reveal(running, facilitator):
    anna, _a = joined_client(running, "Anna")
    bert, _b = joined_client(running, "Bert")
    stage, lane = cell(running)
    anna.post(reverse("lab:add_card", args=[running.pk]),
              {"client_id": str(uuid.uuid4()), "stage": stage.pk, "lane": lane.pk, "text": "Geheim van Anna"})
    card = Card.objects.get()
    seen = bert.get(reverse("lab:board", args=[running.pk])).content.decode()
    assert "Geheim van Anna" not in seen and "Een kaartje (nog verborgen)" in seen
    fragment = bert.get(reverse("lab:board_card", args=[running.pk, card.pk])).content.decode()
    assert "Geheim van Anna" not in fragment and "nog verborgen" in fragment
    assert "Geheim van Anna" not in bert.get(reverse("lab:board", args=[running.pk]), {"tekst": "1"}).content.decode()
    host = Client()
    host.force_login(facilitator)
    assert "Geheim van Anna" in host.get(reverse("lab:board", args=[running.pk])).content.decode()
    services.reveal(actor=facilitator, workshop=running)
    assert "Geheim van Anna" in bert.get(reverse("lab:board", args=[running.pk])).content.decode()


def test_someone_else_cannot_edit_or_remove_a_card(running):
    anna, _a = joined_client(running, "Anna")
    bert, _b = joined_client(running, "Bert")
    stage, lane = cell(running)
    anna.post(reverse("lab:add_card", args=[running.pk]),
              {"client_id": str(uuid.uuid4()), "stage": stage.pk, "lane": lane.pk, "text": "Van Anna"})
    card = Card.objects.get()
    bert.post(reverse("lab:edit_card", args=[running.pk, card.pk]), {"text": "Van Bert"})
    bert.post(reverse("lab:remove_card", args=[running.pk, card.pk]))
    card.refresh_from_db()
    assert card.text == "Van Anna"
    anna.post(reverse("lab:edit_card", args=[running.pk, card.pk]), {"text": "Nieuw <i>van</i> Anna"})
    card.refresh_from_db()
    assert card.text == "Nieuw van Anna"
    anna.post(reverse("lab:remove_card", args=[running.pk, card.pk]))
    assert not Card.objects.exists()


def test_a_card_of_another_workshop_is_404(running, facilitator):
    other = services.open_workshop(actor=facilitator, workshop=plan(facilitator, title="Ander"))
    stage, lane = cell(other)
    card, _ = services.add_card(actor=facilitator, participant=None, stage=stage, lane=lane, text="Elders",
                                client_id=uuid.uuid4())
    phone, _seat = joined_client(running)
    assert phone.get(reverse("lab:board_card", args=[running.pk, card.pk])).status_code == 404
    assert phone.post(reverse("lab:remove_card", args=[running.pk, card.pk])).status_code == 404


def test_a_participant_places_a_feeling_and_the_curve_is_drawn(running):
    phone, seat = joined_client(running)
    stage = Stage.objects.filter(workshop=running).first()
    response = phone.post(reverse("lab:set_feeling", args=[running.pk]),
                          {"stage": stage.pk, "current": "-2", "desired": "1"})
    assert response.status_code == 302
    assert {(f.kind, f.score) for f in Feeling.objects.filter(participant=seat)} == {("current", -2), ("desired", 1)}
    board = phone.get(reverse("lab:board", args=[running.pk])).content.decode()
    assert 'd="M60 180.0"' in board and 'data-average="-2.0"' in board and "-2,0 (1 deelnemer)" in board


def test_dots_in_the_vote_phase_and_the_count_hidden_until_shown(running, facilitator):
    phone, seat = joined_client(running)
    stage, lane = cell(running, LaneKind.PAIN)
    card, _ = services.add_card(actor=facilitator, participant=None, stage=stage, lane=lane, text="Lang wachten",
                                client_id=uuid.uuid4())
    services.reveal(actor=facilitator, workshop=running)
    services.set_phase(actor=facilitator, workshop=running, phase=Phase.VOTE)
    board = phone.get(reverse("lab:board", args=[running.pk])).content.decode()
    assert "Stip zetten" in board and "U heeft nog 3 stippen." in board
    phone.post(reverse("lab:place_dot", args=[running.pk, card.pk]), {"client_id": str(uuid.uuid4())})
    assert Dot.objects.filter(participant=seat).count() == 1
    board = phone.get(reverse("lab:board", args=[running.pk])).content.decode()
    assert "U heeft nog 2 stippen." in board and "1 stip</strong>" not in board
    services.show_votes(actor=facilitator, workshop=running)
    assert "1 stip</strong>" in phone.get(reverse("lab:board", args=[running.pk])).content.decode()
    dot = Dot.objects.get()
    phone.post(reverse("lab:remove_dot", args=[running.pk, dot.pk]))
    assert not Dot.objects.exists()


def test_the_facilitators_panel_is_only_for_the_workshops_facilitators(running, facilitator, staff):
    phone, _seat = joined_client(running)
    url = reverse("lab:control", args=[running.pk])
    assert "Begeleiden" not in phone.get(reverse("lab:board", args=[running.pk])).content.decode()
    assert phone.post(url, {"action": "end"}).status_code == 403
    other = Client()
    other.force_login(staff)
    assert other.post(url, {"action": "end"}).status_code == 403
    running.refresh_from_db()
    assert running.state == WorkshopState.OPEN


def test_the_facilitator_runs_the_workshop_with_the_panel(running, facilitator):
    host = Client()
    host.force_login(facilitator)
    url = reverse("lab:control", args=[running.pk])
    assert "Begeleiden" in host.get(reverse("lab:board", args=[running.pk])).content.decode()
    stage = Stage.objects.filter(workshop=running).last()
    lane = Lane.objects.filter(workshop=running).first()
    for data in ({"action": "phase", "phase": "vote"}, {"action": "timer", "minutes": "5"},
                 {"action": "bring", "stage": stage.pk}, {"action": "lock_board"},
                 {"action": "lock_lane", "lane": lane.pk}, {"action": "show_votes"},
                 {"action": "add_stage", "title": "Nazorg"}):
        response = host.post(url, data)
        assert response.status_code == 302, data
    running.refresh_from_db()
    lane.refresh_from_db()
    assert (running.phase, running.focus_stage, running.board_locked, running.votes_shown) == (
        "vote", stage, True, True)
    assert running.timer_ends_at > timezone.now() + datetime.timedelta(minutes=4) and lane.locked
    assert Stage.objects.filter(workshop=running, title="Nazorg").exists()
    response = host.post(url, {"action": "timer", "minutes": ""}, follow=True)
    assert "Kies een aantal minuten." in response.content.decode()
    host.post(url, {"action": "end"})
    running.refresh_from_db()
    assert running.state == WorkshopState.ENDED


def test_the_facilitator_moves_merges_groups_and_spotlights_a_card(running, facilitator):
    host = Client()
    host.force_login(facilitator)
    stage, lane = cell(running, LaneKind.IDEAS)
    first, _ = services.add_card(actor=facilitator, participant=None, stage=stage, lane=lane, text="Een loket",
                                 client_id=uuid.uuid4())
    second, _ = services.add_card(actor=facilitator, participant=None, stage=stage, lane=lane, text="Eén loket",
                                  client_id=uuid.uuid4())
    services.reveal(actor=facilitator, workshop=running)
    url = reverse("lab:manage_card", args=[running.pk, second.pk])
    assert "Een loket" in host.get(url).content.decode()
    host.post(url, {"action": "group", "label": "Loket"})
    host.post(url, {"action": "spotlight"})
    running.refresh_from_db()
    assert running.spotlight_id == second.pk
    board = host.get(reverse("lab:board", args=[running.pk])).content.decode()
    assert "In de schijnwerper" in board and "groep: Loket" in board
    later = Stage.objects.filter(workshop=running)[1]
    host.post(url, {"action": "move", "stage": later.pk, "lane": lane.pk})
    host.post(reverse("lab:manage_card", args=[running.pk, first.pk]), {"action": "merge", "into": second.pk})
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.stage == later and second.group_label == "Loket" and first.merged_into == second
    phone, _seat = joined_client(running)
    assert phone.get(url).status_code == 403


def test_the_facilitator_changes_and_removes_someone_elses_card_on_the_cards_own_page(running, facilitator):
    """On the board a participant changes and removes their own card in place; the facilitator's way to change or
    remove anyone's card is the card's own page (a board of 600 cards keeps two controls per card)."""
    phone, seat = joined_client(running)
    stage, lane = cell(running, LaneKind.IDEAS)
    card, _ = services.add_card(actor=seat.user or AnonymousUser(), participant=seat, stage=stage, lane=lane,
                                text="Een loket", client_id=uuid.uuid4())
    services.reveal(actor=facilitator, workshop=running)
    host = Client()
    host.force_login(facilitator)
    board = host.get(reverse("lab:board", args=[running.pk])).content.decode()
    remove = reverse("lab:remove_card", args=[running.pk, card.pk])
    assert f'id="kaartje-{card.pk}-wijzig"' not in board and f'action="{remove}"' not in board
    own = phone.get(reverse("lab:board", args=[running.pk])).content.decode()
    assert f'id="kaartje-{card.pk}-wijzig"' in own and f'action="{remove}"' in own
    page = host.get(reverse("lab:manage_card", args=[running.pk, card.pk])).content.decode()
    edit = reverse("lab:edit_card", args=[running.pk, card.pk])
    assert f'action="{edit}"' in page and 'name="text"' in page
    assert host.post(edit, {"text": "Eén <b>loket</b>"}).status_code == 302
    card.refresh_from_db()
    assert card.text == "Eén loket"
    assert f'action="{remove}"' in page
    assert host.post(remove).status_code == 302
    assert not Card.objects.filter(pk=card.pk).exists()


def test_the_board_needs_at_most_ten_queries_with_60_participants_and_600_cards(running, facilitator,
                                                                                django_assert_max_num_queries):
    stages = list(Stage.objects.filter(workshop=running))
    lanes = list(Lane.objects.filter(workshop=running))
    seats = [Participant.objects.create(workshop=running, display_name=f"P{n}", device_token_hash=f"{n:064d}")
             for n in range(59)]
    phone, seat = joined_client(running)
    seats.append(seat)
    Card.objects.bulk_create([
        Card(workshop=running, stage=stages[n % len(stages)], lane=lanes[n % len(lanes)], author=seats[n % 60],
             text=f"Kaartje {n}", private=n % 3 == 0, order=n) for n in range(600)])
    Feeling.objects.bulk_create([Feeling(participant=s, stage=stages[0], score=1) for s in seats])
    services.set_phase(actor=facilitator, workshop=running, phase=Phase.VOTE)
    services.show_votes(actor=facilitator, workshop=running)
    url = reverse("lab:board", args=[running.pk])
    with django_assert_max_num_queries(10):
        response = phone.get(url)
    assert response.status_code == 200 and response.content.decode().count('<li class="board-card') == 600
    host = Client()
    host.force_login(facilitator)
    host.get(url)
    with django_assert_max_num_queries(10):
        assert host.get(url).status_code == 200
    with django_assert_max_num_queries(10):
        assert phone.get(url, {"tekst": "1"}).status_code == 200


# --- results ----------------------------------------------------------------------------------------------------

def test_results_for_those_on_the_board_and_for_everyone_when_public(client, running, facilitator):
    phone, _seat = joined_client(running)
    stage, lane = cell(running, LaneKind.PAIN)
    services.add_card(actor=facilitator, participant=None, stage=stage, lane=lane, text="Te veel papier",
                      client_id=uuid.uuid4())
    services.reveal(actor=facilitator, workshop=running)
    url = reverse("lab:results", args=[running.pk])
    assert phone.get(url).status_code == 404  # not before the end
    services.end_workshop(actor=facilitator, workshop=running)
    page = phone.get(url)
    assert page.status_code == 200 and "Te veel papier" in page.content.decode()
    assert "Wat de deelnemers het belangrijkst vonden" not in page.content.decode()  # votes were never shown
    assert client.get(url).status_code == 404
    Workshop.objects.filter(pk=running.pk).update(results_visibility="public", summary="Het was <b>goed</b>")
    page = client.get(url).content.decode()
    assert "Te veel papier" in page and "Het was &lt;b&gt;goed&lt;/b&gt;" in page


def test_the_top_pain_points_by_dots_once_shown(running, facilitator):
    phone, seat = joined_client(running)
    stage, lane = cell(running, LaneKind.PAIN)
    card, _ = services.add_card(actor=facilitator, participant=None, stage=stage, lane=lane, text="Lang wachten",
                                client_id=uuid.uuid4())
    services.reveal(actor=facilitator, workshop=running)
    services.set_phase(actor=facilitator, workshop=running, phase=Phase.VOTE)
    phone.post(reverse("lab:place_dot", args=[running.pk, card.pk]), {"client_id": str(uuid.uuid4())})
    services.show_votes(actor=facilitator, workshop=running)
    services.end_workshop(actor=facilitator, workshop=running)
    page = phone.get(reverse("lab:results", args=[running.pk])).content.decode()
    assert "Wat de deelnemers het belangrijkst vonden" in page and "Lang wachten" in page and "1 stip" in page
