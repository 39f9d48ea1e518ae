"""/api/v1/workshops/: joining by code, the board as each viewer may see it, idempotent cards and dots, the
facilitator's controls, results; forged ids, someone else's card and bad input change nothing."""

import json
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from lab.models import Card, Dot, Feeling, LaneKind, Phase, ResultsVisibility, Workshop, WorkshopState
from lab.workshops import services
from lab.workshops.seats import DEVICE_COOKIE, token_hash
from lab.workshops.selectors import visible_cards
from live.services import last_seq
from tests.lab.workshops.conftest import cell, guest_joins, phone, plan, signed_in, write

pytestmark = pytest.mark.django_db


def url(name, workshop=None, **kwargs):
    if workshop is not None:
        kwargs["pk"] = workshop.pk
    return reverse(f"api:workshops-{name}", kwargs=kwargs)


def post(client, path, data, method="post"):
    return getattr(client, method)(path, json.dumps(data), content_type="application/json")


def new_card(board, kind=LaneKind.PAIN, position=0, **changes):
    s, lane = cell(board, kind, position)
    return {"stage": s.pk, "lane": lane.pk, "text": "Lang wachten op een brief", "client_id": str(uuid.uuid4()),
            **changes}


def snapshot(board):
    """What a refused request must leave as it was."""
    board.refresh_from_db()
    return (list(Card.objects.filter(workshop=board).values_list("pk", "text", "stage", "lane", "private")),
            list(Dot.objects.values_list("pk", "card")), list(Feeling.objects.values_list("pk", "score")),
            services.stream_of(board) and last_seq(services.stream_of(board)),
            (board.state, board.phase, board.board_locked, board.revealed, board.votes_shown))


@pytest.fixture
def other_board(lead):
    return services.open_workshop(actor=lead, workshop=plan(lead, title="Mantelzorg aanvragen"))


def vote_phase(board, lead):
    services.reveal(actor=lead, workshop=board)
    return services.set_phase(actor=lead, workshop=board, phase=Phase.VOTE)


# --- the list and one workshop ---------------------------------------------------------------------------------

def test_the_list_shows_public_fields_and_never_the_code(client, board, kern, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        found = client.get(url("list"))
    assert found.status_code == 200
    [item] = found.json()["results"]
    assert item["title"] == board.title and item["kern"] == {"name": kern.name, "slug": kern.slug}
    assert item["facilitators"] == [{"name": "Fenna " + board.facilitators.get().last_name}]
    assert "join_code" not in item and board.join_code not in found.content.decode()
    assert client.get(url("list"), {"kern": "gemeente"}).json()["results"] == []
    assert client.get(url("list"), {"state": "ended"}).json()["results"] == []
    assert client.get(url("list"), {"kern": "nergens"}).status_code == 400


def test_the_list_takes_the_same_queries_for_one_or_twenty(client, lead, django_assert_max_num_queries):
    for n in range(20):
        plan(lead, title=f"Sessie {n}")
    with django_assert_max_num_queries(4):
        assert len(client.get(url("list")).json()["results"]) == 20


def test_the_detail_has_stages_lanes_the_controls_and_the_code_until_it_ended(client, board, lead):
    found = client.get(url("detail", board)).json()
    assert [s["title"] for s in found["stages"]] == ["Oriëntatie", "Aanvraag", "Wachten", "Besluit", "Daarna"]
    assert [lane["kind"] for lane in found["lanes"]] == ["does", "touchpoints", "thinks", "feels", "pain", "ideas"]
    assert found["live"]["state"] == "open" and found["live"]["phase"] == "brainstorm"
    assert found["join_code"] == board.join_code and found["stream"] == f"workshop.{board.pk}"
    services.end_workshop(actor=lead, workshop=board)
    assert client.get(url("detail", board)).json()["join_code"] is None
    assert client.get(url("detail", pk=999999)).status_code == 404


# --- joining -----------------------------------------------------------------------------------------------------

def test_joining_gives_a_seat_and_an_httponly_device_cookie_and_again_the_same_seat(board):
    device = Client()
    joined = post(device, url("join"), {"code": board.join_code, "display_name": "Sanne"})
    assert joined.status_code == 200
    seat = joined.json()
    assert seat["name"] == "Sanne" and seat["workshop"] == board.pk and not seat["anonymous"]
    cookie = joined.cookies[DEVICE_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and not cookie["secure"]
    assert int(cookie["max-age"]) >= 30 * 24 * 3600
    assert cookie.value not in joined.content.decode()  # the token is in the cookie only
    assert board.participants.get(pk=seat["id"]).device_token_hash == token_hash(cookie.value)
    again = post(device, url("join"), {"code": f"{board.join_code[:3]} {board.join_code[3:]}",
                                       "display_name": "Iemand anders"})
    assert again.status_code == 200 and again.json()["id"] == seat["id"]
    assert DEVICE_COOKIE not in again.cookies and board.participants.count() == 1


def test_the_device_cookie_is_secure_over_https(board):
    joined = Client().post(url("join"), {"code": board.join_code, "display_name": "Sanne"}, secure=True)
    assert joined.status_code == 200 and joined.cookies[DEVICE_COOKIE]["secure"]


def test_anonymous_joining_keeps_no_name(board, resident):
    joined = post(signed_in(resident), url("join"), {"code": board.join_code, "display_name": "Jan",
                                                     "anonymous": True})
    seat = board.participants.get(pk=joined.json()["id"])
    assert joined.json()["name"] == "Deelnemer" and joined.json()["anonymous"]
    assert seat.user_id is None and seat.display_name == "" and DEVICE_COOKIE in joined.cookies


def test_a_signed_in_resident_joins_as_themselves_without_a_cookie(board, resident):
    joined = post(signed_in(resident), url("join"), {"code": board.join_code})
    assert joined.status_code == 200 and joined.json()["name"] == resident.first_name
    assert DEVICE_COOKIE not in joined.cookies and board.participants.get().user == resident


@pytest.mark.parametrize(("code", "status"), [("999999", 404), ("12345", 400), ("abcdef", 400), ("", 400),
                                              (123456, 400), (None, 400)])
def test_a_wrong_or_malformed_code_is_refused_and_makes_nothing(client, board, code, status):
    refused = post(client, url("join"), {"code": code if code != 123456 else [code], "display_name": "Sanne"})
    assert refused.status_code == status, refused.content
    assert refused.json()["detail"] and board.participants.count() == 0
    if status == 404:
        assert refused.json()["detail"] == "Er is geen werksessie met deze code. Kijk de zes cijfers na."


def test_an_ended_workshop_cannot_be_joined(client, board, lead):
    services.end_workshop(actor=lead, workshop=board)
    refused = post(client, url("join"), {"code": board.join_code, "display_name": "Sanne"})
    assert refused.status_code == 403 and refused.json()["detail"] == "Deze werksessie is afgelopen."
    assert board.participants.count() == 0


def test_joining_is_throttled(client, board, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"workshop_join": "3/min"})
    answers = [post(client, url("join"), {"code": "000000" if n else board.join_code, "display_name": "Sanne"})
               for n in range(4)]
    assert [a.status_code for a in answers] == [200, 404, 404, 429]
    assert answers[-1]["Retry-After"] and answers[-1].json()["code"] == "throttled"


def test_a_visitors_write_needs_the_csrf_token(board, guest):
    device = Client(enforce_csrf_checks=True)
    device.cookies[DEVICE_COOKIE] = guest.token
    refused = post(device, url("cards", board), new_card(board))
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    assert post(device, url("join"), {"code": board.join_code, "display_name": "X"}).status_code == 403
    assert Card.objects.count() == 0


# --- the board ---------------------------------------------------------------------------------------------------

def test_private_cards_show_only_their_place_to_others_until_the_reveal(board, lead, guest, other_guest):
    mine, _ = write(guest, "Mijn geheim")
    answer = phone(guest).get(url("board", board)).json()
    assert [(c["id"], c["text"], c["private"]) for c in answer["cards"]] == [(mine.pk, "Mijn geheim", True)]
    others = phone(other_guest).get(url("board", board))
    [hidden] = others.json()["cards"]
    assert hidden["id"] == mine.pk and hidden["private"] and "Mijn geheim" not in others.content.decode()
    assert not {"text", "author", "author_id", "group"} & set(hidden)
    assert signed_in(lead).get(url("board", board)).json()["cards"][0]["text"] == "Mijn geheim"
    services.reveal(actor=lead, workshop=board)
    assert phone(other_guest).get(url("board", board)).json()["cards"][0]["text"] == "Mijn geheim"


def test_the_cards_with_text_are_exactly_the_ones_the_selector_lets_the_viewer_see(board, lead, guest, other_guest):
    for seat in (guest, other_guest):
        write(seat, f"Van {seat.display_name}")
    services.set_phase(actor=lead, workshop=board, phase=Phase.SHARE)
    write(guest, "Gedeeld")
    for seat, client, facilitator in ((guest, phone(guest), False), (other_guest, phone(other_guest), False),
                                      (None, signed_in(lead), True)):
        cards = client.get(url("board", board)).json()["cards"]
        assert len(cards) == 3
        texted = {c["id"] for c in cards if "text" in c}
        assert texted == set(visible_cards(board, seat, facilitator=facilitator).values_list("pk", flat=True))


def test_who_is_not_on_the_board_is_refused(client, board, other_board, resident):
    stranger_seat = guest_joins(other_board, "Elders")
    for visitor in (client, signed_in(resident), phone(stranger_seat)):
        refused = visitor.get(url("board", board))
        assert refused.status_code == 403 and refused.json()["detail"] == "Doe eerst mee met de code van de werksessie."
    forged = Client()
    forged.cookies[DEVICE_COOKIE] = "vervalst"
    assert forged.get(url("board", board)).status_code == 403
    assert client.get(url("board", pk=999999)).status_code == 404


def test_staff_and_the_facilitator_watch_the_board_without_a_seat(board, lead, staff):
    for client, facilitator in ((signed_in(lead), True), (signed_in(staff), False)):
        answer = client.get(url("board", board)).json()
        assert answer["viewer"] == {"seat": None, "facilitator": facilitator}
        assert answer["dots_left"] is None and answer["my_dots"] == [] and answer["my_feelings"] == []


def test_the_board_has_the_viewers_own_feelings_the_curve_and_the_streams_position(board, guest, other_guest):
    stage, _lane = cell(board)
    services.set_feeling(actor=AnonymousUser(), participant=guest, stage=stage, score=-2)
    services.set_feeling(actor=AnonymousUser(), participant=other_guest, stage=stage, score=1)
    answer = phone(guest).get(url("board", board)).json()
    assert answer["my_feelings"] == [{"stage": stage.pk, "kind": "current", "score": -2}]
    assert answer["curve"] == [{"stage": stage.pk, "kind": "current", "average": -0.5, "count": 2}]
    assert answer["last_seq"] == last_seq(services.stream_of(board)) > 0
    assert answer["viewer"]["seat"] == {"id": guest.pk, "workshop": board.pk, "name": "Sanne", "anonymous": False}
    assert answer["live"]["phase"] == "brainstorm" and answer["dots_left"] == 3 and answer["votes"] is None


def test_the_board_takes_at_most_ten_queries_with_sixty_cards(board, lead, guest, member, resident,
                                                              django_assert_max_num_queries):
    seats = [guest_joins(board, f"Gast {n}") for n in range(20)]
    for n in range(60):
        write(seats[n % 20], f"Kaartje {n}", kind=(LaneKind.PAIN, LaneKind.IDEAS, LaneKind.DOES)[n % 3],
              stage=n % 5)
    vote_phase(board, lead)
    card = Card.objects.filter(lane__kind=LaneKind.IDEAS).first()
    services.place_dot(actor=AnonymousUser(), participant=guest, card=card, client_id=uuid.uuid4())
    services.show_votes(actor=lead, workshop=board)
    for client in (phone(guest), signed_in(lead), signed_in(resident)):
        with django_assert_max_num_queries(10):
            answer = client.get(url("board", board))
        assert len(answer.json()["cards"]) == 60 and answer.json()["votes"] == {str(card.pk): 1}


# --- cards -------------------------------------------------------------------------------------------------------

def test_a_card_is_201_then_200_on_a_retry_with_the_same_card(board, guest):
    data = new_card(board)
    first, again = (post(phone(guest), url("cards", board), data) for _ in range(2))
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json() and first.json()["text"] == "Lang wachten op een brief"
    assert first.json()["private"] and Card.objects.count() == 1


def test_html_is_stripped_from_a_card(board, guest):
    made = post(phone(guest), url("cards", board), new_card(board, text="<b>Te</b> lang <script>x()</script>wachten"))
    assert made.status_code == 201 and Card.objects.get().text == "Te lang wachten"


@pytest.mark.parametrize(("changes", "field"), [
    ({"text": ""}, "text"),
    ({"text": "x" * 1_000_000}, "text"),
    ({"text": ["een", "lijst"]}, "text"),
    ({"stage": "eerste"}, "stage"),
    ({"lane": None}, "lane"),
    ({"client_id": "x"}, "client_id"),
])
def test_bad_card_input_is_a_400_naming_the_field_and_nothing_changes(board, guest, changes, field):
    before = snapshot(board)
    refused = post(phone(guest), url("cards", board), new_card(board, **changes))
    assert refused.status_code == 400 and field in refused.json()["errors"], refused.content[:300]
    assert snapshot(board) == before


def test_a_card_of_only_html_is_refused(board, guest):
    refused = post(phone(guest), url("cards", board), new_card(board, text="<script>alert(1)</script>"))
    assert refused.status_code == 400 and Card.objects.count() == 0


def test_a_stage_or_lane_of_another_board_is_refused(board, other_board, guest):
    before = snapshot(board)
    stage, lane = cell(other_board)
    for changes in ({"stage": stage.pk}, {"lane": lane.pk}):
        refused = post(phone(guest), url("cards", board), new_card(board, **changes))
        assert refused.status_code == 400 and refused.json()["errors"] == {
            next(iter(changes)): ["Dit hoort niet bij deze werksessie."]}
    assert snapshot(board) == before and Card.objects.count() == 0


def test_a_visitor_without_a_seat_cannot_add_a_card(client, board, resident):
    for visitor in (client, signed_in(resident)):
        assert post(visitor, url("cards", board), new_card(board)).status_code == 403
    assert Card.objects.count() == 0


def test_the_author_changes_and_removes_their_own_card_and_nobody_else_can(board, guest, other_guest):
    card, _ = write(guest, "Eerste versie")
    card_url = url("card", board, card_id=card.pk)
    before = snapshot(board)
    for method in ("patch", "delete"):
        refused = post(phone(other_guest), card_url, {"text": "Overgenomen"}, method=method)
        assert refused.status_code == 403
    assert snapshot(board) == before
    changed = post(phone(guest), card_url, {"text": "Tweede <i>versie</i>"}, method="patch")
    assert changed.status_code == 200 and changed.json()["text"] == "Tweede versie"
    assert phone(guest).delete(card_url).status_code == 204 and not Card.objects.filter(pk=card.pk).exists()


def test_a_card_of_another_workshop_in_the_path_is_404(board, other_board, guest):
    elsewhere, _ = write(guest_joins(other_board), "Elders")
    for method in ("patch", "delete"):
        assert post(phone(guest), url("card", board, card_id=elsewhere.pk), {"text": "x"},
                    method=method).status_code == 404
    assert Card.objects.get(pk=elsewhere.pk).text == "Elders"


def test_the_facilitator_moves_and_groups_a_card_a_participant_cannot(board, lead, guest):
    card, _ = write(guest, "Verplaats mij")
    stage, lane = cell(board, LaneKind.IDEAS, 2)
    refused = post(phone(guest), url("card", board, card_id=card.pk), {"stage": stage.pk, "lane": lane.pk},
                   method="patch")
    assert refused.status_code == 403 and Card.objects.get(pk=card.pk).lane.kind == LaneKind.PAIN
    moved = post(signed_in(lead), url("card", board, card_id=card.pk),
                 {"stage": stage.pk, "lane": lane.pk, "group": "Wachten"}, method="patch")
    assert moved.status_code == 200
    assert (moved.json()["stage"], moved.json()["lane"], moved.json()["group"]) == (stage.pk, lane.pk, "Wachten")


def test_a_move_that_fails_halfway_changes_nothing(board, lead, guest, other_board):
    card, _ = write(guest, "Blijf staan")
    stage, lane = cell(other_board)
    before = snapshot(board)
    refused = post(signed_in(lead), url("card", board, card_id=card.pk),
                   {"text": "Nieuw", "stage": stage.pk, "lane": lane.pk}, method="patch")
    assert refused.status_code == 400 and snapshot(board) == before


def test_a_locked_lane_takes_no_card(board, lead, guest):
    _stage, lane = cell(board)
    services.lock_lane(actor=lead, lane=lane, locked=True)
    assert post(phone(guest), url("cards", board), new_card(board)).status_code == 403
    assert Card.objects.count() == 0


# --- feelings and dots -------------------------------------------------------------------------------------------

def test_a_participant_places_and_changes_a_feeling(board, guest):
    stage, _lane = cell(board)
    for score in (2, -1):
        placed = post(phone(guest), url("feelings", board), {"stage": stage.pk, "score": score}, method="put")
        assert placed.status_code == 200 and placed.json() == {"stage": stage.pk, "kind": "current", "score": score}
    assert Feeling.objects.get().score == -1


@pytest.mark.parametrize("data", [{"score": 3}, {"score": "veel"}, {"score": 1.5}, {"score": True},
                                  {"score": 1, "kind": "later"}, {"score": 1, "stage": None}])
def test_a_bad_feeling_is_refused(board, guest, data):
    stage, _lane = cell(board)
    refused = post(phone(guest), url("feelings", board), {"stage": stage.pk, **data}, method="put")
    assert refused.status_code == 400 and Feeling.objects.count() == 0


def test_a_feeling_needs_a_seat_and_a_stage_of_this_board(client, board, other_board, guest):
    stage, _lane = cell(other_board)
    assert post(phone(guest), url("feelings", board), {"stage": stage.pk, "score": 1}, method="put").status_code == 400
    own, _lane = cell(board)
    assert post(client, url("feelings", board), {"stage": own.pk, "score": 1}, method="put").status_code == 403
    assert Feeling.objects.count() == 0


def test_dots_are_idempotent_limited_and_never_counted_for_others(board, lead, guest, other_guest):
    idea, _ = write(guest, "Een checklist", kind=LaneKind.IDEAS)
    vote_phase(board, lead)
    device = phone(other_guest)
    tap = {"card": idea.pk, "client_id": str(uuid.uuid4())}
    first, again = post(device, url("dots", board), tap), post(device, url("dots", board), tap)
    assert (first.status_code, again.status_code) == (201, 200) and first.json()["id"] == again.json()["id"]
    assert first.json()["dots_left"] == 2
    for _ in range(2):
        post(device, url("dots", board), {"card": idea.pk, "client_id": str(uuid.uuid4())})
    over = post(device, url("dots", board), {"card": idea.pk, "client_id": str(uuid.uuid4())})
    assert over.status_code == 400 and over.json()["code"] == "invalid" and Dot.objects.count() == 3
    assert phone(guest).get(url("board", board)).json()["votes"] is None
    assert device.get(url("board", board)).json()["votes"] is None
    assert len(device.get(url("board", board)).json()["my_dots"]) == 3


def test_a_dot_on_a_card_of_another_board_or_a_private_card_is_refused(board, lead, guest, other_board):
    elsewhere, _ = write(guest_joins(other_board), "Elders", kind=LaneKind.IDEAS)
    secret, _ = write(guest, "Nog geheim", kind=LaneKind.IDEAS)
    services.set_phase(actor=lead, workshop=board, phase=Phase.VOTE)
    assert post(phone(guest), url("dots", board), {"card": elsewhere.pk, "client_id": str(uuid.uuid4())}
                ).status_code == 400
    assert post(phone(guest), url("dots", board), {"card": secret.pk, "client_id": str(uuid.uuid4())}
                ).status_code == 403
    assert post(Client(), url("dots", board), {"card": secret.pk, "client_id": str(uuid.uuid4())}).status_code == 403
    assert Dot.objects.count() == 0


def test_only_ones_own_dot_can_be_taken_away(board, lead, guest, other_guest):
    idea, _ = write(guest, "Een checklist", kind=LaneKind.IDEAS)
    vote_phase(board, lead)
    dot = post(phone(guest), url("dots", board), {"card": idea.pk, "client_id": str(uuid.uuid4())}).json()
    assert phone(other_guest).delete(url("dot", board, dot_id=dot["id"])).status_code == 404
    assert Dot.objects.count() == 1
    assert phone(guest).delete(url("dot", board, dot_id=dot["id"])).status_code == 204
    assert Dot.objects.count() == 0


# --- the facilitator ---------------------------------------------------------------------------------------------

def control(client, board, **data):
    return post(client, url("control", board), data)


def test_a_participant_or_a_visitor_cannot_run_the_workshop(client, board, guest, staff):
    before = snapshot(board)
    for visitor in (client, phone(guest), signed_in(staff)):
        for action in ("reveal", "end", "lock_board", "show_votes"):
            refused = control(visitor, board, action=action)
            assert refused.status_code == 403
    assert refused.json()["detail"] == "Alleen de begeleiders bedienen de werksessie."
    assert snapshot(board) == before


def test_the_facilitator_runs_the_workshop(board, lead, guest):
    card, _ = write(guest, "Geheim", kind=LaneKind.IDEAS)
    stage, lane = cell(board, LaneKind.IDEAS, 3)
    facilitator = signed_in(lead)
    steps = [({"action": "timer", "seconds": 300}, lambda w: w.timer_ends_at is not None),
             ({"action": "stop_timer"}, lambda w: w.timer_ends_at is None),
             ({"action": "reveal"}, lambda w: w.revealed and w.phase == Phase.SHARE),
             ({"action": "spotlight", "card": card.pk}, lambda w: w.spotlight_id == card.pk),
             ({"action": "spotlight", "card": None}, lambda w: w.spotlight_id is None),
             ({"action": "focus", "stage": stage.pk}, lambda w: w.focus_stage_id == stage.pk),
             ({"action": "lock_board"}, lambda w: w.board_locked),
             ({"action": "unlock_board"}, lambda w: not w.board_locked),
             ({"action": "phase", "phase": "vote"}, lambda w: w.phase == Phase.VOTE),
             ({"action": "show_votes"}, lambda w: w.votes_shown),
             ({"action": "end"}, lambda w: w.state == WorkshopState.ENDED)]
    lane_answer = control(facilitator, board, action="lock_lane", lane=lane.pk)
    assert lane_answer.status_code == 200 and lane_answer.json()["lane"]["locked"]
    assert control(facilitator, board, action="unlock_lane", lane=lane.pk).json()["lane"]["locked"] is False
    added = control(facilitator, board, action="add_stage", title="Evaluatie")
    assert added.json()["stage"]["title"] == "Evaluatie"
    for data, holds in steps:
        answer = control(facilitator, board, **data)
        assert answer.status_code == 200, (data, answer.content)
        assert holds(Workshop.objects.get(pk=board.pk)), data
        assert answer.json()["live"]["state"] == Workshop.objects.get(pk=board.pk).state


def test_the_facilitator_opens_a_planned_workshop(planned, lead):
    assert control(signed_in(lead), planned, action="open").json()["live"]["state"] == "open"


@pytest.mark.parametrize("data", [{"action": "fly"}, {"action": "phase"}, {"action": "phase", "phase": "dance"},
                                  {"action": "timer"}, {"action": "timer", "seconds": 5},
                                  {"action": "timer", "seconds": "lang"}, {"action": "lock_lane"},
                                  {"action": "spotlight", "card": "een"}, {}])
def test_bad_controls_are_400_and_change_nothing(board, lead, data):
    before = snapshot(board)
    refused = control(signed_in(lead), board, **data)
    assert refused.status_code == 400 and refused.json()["detail"]
    assert snapshot(board) == before


def test_forged_targets_of_another_board_are_refused(board, other_board, lead):
    elsewhere, _ = write(guest_joins(other_board), "Elders")
    stage, lane = cell(other_board)
    services.reveal(actor=lead, workshop=other_board)
    before = snapshot(board)
    for data in ({"action": "spotlight", "card": elsewhere.pk}, {"action": "focus", "stage": stage.pk},
                 {"action": "lock_lane", "lane": lane.pk}):
        refused = control(signed_in(lead), board, **data)
        assert refused.status_code == 400, data
    assert snapshot(board) == before and not other_board.lanes.filter(locked=True).exists()


def test_a_private_card_cannot_go_in_the_spotlight(board, lead, guest):
    card, _ = write(guest, "Geheim")
    refused = control(signed_in(lead), board, action="spotlight", card=card.pk)
    assert refused.status_code == 400 and Workshop.objects.get(pk=board.pk).spotlight_id is None


# --- results -----------------------------------------------------------------------------------------------------

def test_results_only_once_ended_and_votes_only_once_shown(client, board, lead, guest):
    idea, _ = write(guest, "Een checklist", kind=LaneKind.IDEAS)
    kept_secret, _ = write(guest, "Nooit gedeeld", kind=LaneKind.PAIN)
    assert phone(guest).get(url("results", board)).status_code == 404
    services.reveal(actor=lead, workshop=board)
    write(guest, "Na het delen geschreven")
    Card.objects.filter(pk=kept_secret.pk).update(private=True)
    services.set_phase(actor=lead, workshop=board, phase=Phase.VOTE)
    services.place_dot(actor=AnonymousUser(), participant=guest, card=idea, client_id=uuid.uuid4())
    services.end_workshop(actor=lead, workshop=Workshop.objects.get(pk=board.pk))
    answer = phone(guest).get(url("results", board))
    assert answer.status_code == 200 and answer.json()["votes"] is None
    assert "Nooit gedeeld" not in answer.content.decode()
    assert client.get(url("results", board)).status_code == 404  # for the participants only
    Workshop.objects.filter(pk=board.pk).update(results_visibility=ResultsVisibility.PUBLIC, votes_shown=True)
    public = client.get(url("results", board)).json()
    assert public["votes"] == {str(idea.pk): 1} and public["workshop"]["state"] == "ended"


# --- anonymity and tokens ----------------------------------------------------------------------------------------

def test_no_answer_says_who_wrote_an_anonymous_card(board, lead, resident):
    joined = post(signed_in(resident), url("join"), {"code": board.join_code, "anonymous": True})
    device = Client()
    device.force_login(resident)
    device.cookies[DEVICE_COOKIE] = joined.cookies[DEVICE_COOKIE].value
    made = post(device, url("cards", board), new_card(board, text="Anoniem kaartje"))
    assert made.status_code == 201 and made.json()["author"] == "Deelnemer"
    services.reveal(actor=lead, workshop=board)
    services.set_phase(actor=lead, workshop=board, phase=Phase.SHARE)
    for viewer in (signed_in(lead), device):
        for name in ("board", "detail"):
            body = viewer.get(url(name, board)).content.decode()
            assert resident.first_name not in body and resident.last_name not in body and resident.email not in body


def test_no_answer_ever_carries_a_device_token(board, lead, guest):
    device = phone(guest)
    stage, _lane = cell(board)
    answers = [post(device, url("join"), {"code": board.join_code, "display_name": "Sanne"}),
               device.get(url("board", board)), post(device, url("cards", board), new_card(board)),
               post(device, url("feelings", board), {"stage": stage.pk, "score": 1}, method="put"),
               device.get(url("detail", board)), device.get(url("list")),
               signed_in(lead).get(url("board", board))]
    for answer in answers:
        assert answer.status_code in (200, 201)
        assert guest.token not in answer.content.decode() and token_hash(guest.token) not in answer.content.decode()


def test_a_client_id_of_someone_elses_card_is_no_way_to_it(board, guest, other_guest):
    data = new_card(board, text="Van Sanne")
    assert post(phone(guest), url("cards", board), data).status_code == 201
    replayed = post(phone(other_guest), url("cards", board), data)
    assert replayed.status_code == 400 and "Van Sanne" not in replayed.content.decode()
    assert Card.objects.count() == 1


def test_every_operation_is_in_the_schema(client):
    paths = client.get("/api/schema/?format=json").json()["paths"]
    expected = {("/api/v1/workshops/", "get"), ("/api/v1/workshops/join/", "post"),
                ("/api/v1/workshops/{id}/", "get"), ("/api/v1/workshops/{id}/board/", "get"),
                ("/api/v1/workshops/{id}/cards/", "post"), ("/api/v1/workshops/{id}/cards/{card_id}/", "patch"),
                ("/api/v1/workshops/{id}/cards/{card_id}/", "delete"), ("/api/v1/workshops/{id}/feelings/", "put"),
                ("/api/v1/workshops/{id}/dots/", "post"), ("/api/v1/workshops/{id}/dots/{dot_id}/", "delete"),
                ("/api/v1/workshops/{id}/control/", "post"), ("/api/v1/workshops/{id}/results/", "get"),
                ("/api/v1/workshops/{id}/exports/", "get"), ("/api/v1/workshops/{id}/exports/{name}/", "get"),
                ("/api/v1/workshops/{id}/follow-ups/", "get")}
    found = {(path, method) for path, operations in paths.items() if path.startswith("/api/v1/workshops/")
             for method in operations if method != "parameters"}
    assert found == expected
    assert {"404", "429"} <= set(paths["/api/v1/workshops/join/"]["post"]["responses"])
    board_card = paths["/api/v1/workshops/{id}/board/"]["get"]["responses"]["200"]
    assert board_card["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Board"}
