"""/api/v1/workshops/: a card takes a photo (multipart/form-data) when it is made or changed. The photo is stored
clean, shown exactly where the card's text is (never for someone else's private card), served only to whom may
see it, replaced and removed without a file left behind; a bad photo, a forged card or someone else's card is
refused and nothing changes. A persona shows its photo too; the schema says all of it."""

import io
import json
import uuid

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test import Client
from django.test.client import encode_multipart
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from initiatives.images import process_image
from lab.files import CARD_PREFIX
from lab.models import Card, LaneKind, Phase, ResultsVisibility
from lab.workshops import services
from tests.lab.workshops.conftest import cell, guest_joins, phone, plan, signed_in
from tests.photos import gps_tagged_jpeg, jpeg_bytes, metadata_left_in

pytestmark = pytest.mark.django_db

BOUNDARY = "samenlab-test-grens"


def url(name, workshop, **kwargs):
    return reverse(f"api:workshops-{name}", kwargs={"pk": workshop.pk, **kwargs})


def photo_file(data: bytes, name: str = "foto.jpg") -> io.BytesIO:
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def card_fields(board, kind=LaneKind.PAIN, **changes) -> dict:
    stage, lane = cell(board, kind)
    return {"stage": stage.pk, "lane": lane.pk, "text": "De bus kwam niet", "client_id": str(uuid.uuid4()),
            **changes}


def send_card(client, board, *, photo=None, alt="Een lege bushalte", **changes):
    """A new card as multipart/form-data, with a photo (a GPS-tagged one unless ``photo`` says otherwise)."""
    data = card_fields(board, photo_alt=alt, **changes)
    data["photo"] = photo if photo is not None else photo_file(gps_tagged_jpeg())
    return client.post(url("cards", board), data)


def patch_multipart(client, path, data):
    return client.patch(path, encode_multipart(BOUNDARY, data), content_type=f"multipart/form-data; "
                                                                             f"boundary={BOUNDARY}")


def patch_json(client, path, data):
    return client.patch(path, json.dumps(data), content_type="application/json")


def stored_folders() -> list[str]:
    return sorted(default_storage.listdir(CARD_PREFIX)[0]) if default_storage.exists(CARD_PREFIX) else []


def state(board) -> list:
    """What a refused request must leave as it was: every card with its text and photo, and the stored files."""
    return [list(Card.objects.filter(workshop=board).order_by("pk").values_list(
        "pk", "text", "photo_key", "photo_renditions", "photo_alt")), stored_folders()]


def cards_on_board(client, board) -> dict:
    return {card["id"]: card for card in client.get(url("board", board)).json()["cards"]}


def with_photo(seat, text="De brief kwam niet", alt="Een lege brievenbus"):
    from django.contrib.auth.models import AnonymousUser

    stage, lane = cell(seat.workshop, LaneKind.PAIN)
    card, _made = services.add_card(actor=seat.user or AnonymousUser(), participant=seat, stage=stage, lane=lane,
                                    text=text, client_id=uuid.uuid4(), image=process_image(jpeg_bytes((640, 480))),
                                    photo_alt=alt)
    return card


# --- making a card with a photo --------------------------------------------------------------------------------

def test_a_card_sent_with_a_photo_stores_it_clean_and_answers_with_it(board, guest):
    answer = send_card(phone(guest), board)
    assert answer.status_code == 201, answer.content[:300]
    card = Card.objects.get()
    photo = answer.json()["photo"]
    assert card.has_photo and card.photo_alt == "Een lege bushalte"
    assert photo["url"] == card.photo_url and photo["large_url"] == card.photo_large_url
    assert photo["alt"] == "Een lege bushalte"
    assert [r["width"] for r in photo["renditions"]] == [480, 960, 1200]
    for name in card.photo_names():
        with default_storage.open(name) as handle:
            assert metadata_left_in(handle.read()) == []
    assert stored_folders() == [card.photo_key]


def test_a_retry_with_a_photo_answers_the_first_card_and_stores_no_second_photo(board, guest):
    fields = card_fields(board, photo_alt="Eerste")
    first = phone(guest).post(url("cards", board), {**fields, "photo": photo_file(jpeg_bytes())})
    again = phone(guest).post(url("cards", board), {**fields, "photo": photo_file(jpeg_bytes((300, 300)))})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["photo"] == first.json()["photo"] and len(stored_folders()) == 1


def test_a_card_without_a_photo_says_so_and_json_still_works(board, guest):
    answer = phone(guest).post(url("cards", board), json.dumps(card_fields(board)), content_type="application/json")
    assert answer.status_code == 201 and answer.json()["photo"] is None and stored_folders() == []


def make_bomb() -> bytes:
    buffer = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(buffer, "PNG")  # a few kilobytes that would unpack to 100 megapixels
    return buffer.getvalue()


@pytest.mark.parametrize(("content", "name", "reason"), [
    (lambda: b"Dit is gewoon tekst, geen foto.", "foto.jpg", "geen foto die we kunnen gebruiken"),
    (lambda: b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "foto.jpg", "geen foto die we kunnen"),
    (lambda: b"<html><script>alert(1)</script></html>", "foto.png", "geen foto die we kunnen gebruiken"),
    (lambda: jpeg_bytes() + b"\0" * (10 * 1024 * 1024), "groot.jpg", "Het maximum is 10 MB"),
    (make_bomb, "bom.png", "te veel beeldpunten"),
    (lambda: gps_tagged_jpeg()[:8000], "kapot.jpg", "beschadigd"),
], ids=["text", "svg", "html", "over-10-MB", "bomb", "damaged"])
def test_a_bad_photo_is_a_400_with_the_reason_and_nothing_is_stored(board, guest, content, name, reason):
    before = state(board)
    answer = send_card(phone(guest), board, photo=photo_file(content(), name))
    assert answer.status_code == 400
    assert reason in answer.json()["errors"]["photo"][0] and reason in answer.json()["detail"]
    assert state(board) == before and not Card.objects.exists() and stored_folders() == []


def test_a_photo_sent_as_text_is_refused_in_dutch(board, guest):
    answer = phone(guest).post(url("cards", board), card_fields(board, photo="geen bestand"))
    assert answer.status_code == 400
    assert answer.json()["errors"]["photo"] == ["Dit bestand is geen foto die we kunnen gebruiken. Kies een foto "
                                                "in JPEG-, PNG- of WebP-formaat."]
    assert not Card.objects.exists()


def test_a_stage_of_another_workshop_with_a_photo_stores_nothing(board, guest, lead):
    other = services.open_workshop(actor=lead, workshop=plan(lead, title="Mantelzorg aanvragen"))
    stage, _lane = cell(other)
    answer = send_card(phone(guest), board, stage=stage.pk)
    assert answer.status_code == 400 and "stage" in answer.json()["errors"]
    assert not Card.objects.exists() and stored_folders() == []


def test_a_visitor_without_a_seat_or_a_locked_board_stores_no_photo(client, board, guest, lead):
    assert send_card(client, board).status_code == 403
    services.lock_board(actor=lead, workshop=board, locked=True)
    assert send_card(phone(guest), board).status_code == 403
    assert not Card.objects.exists() and stored_folders() == []


# --- private until the reveal ----------------------------------------------------------------------------------

def test_a_private_cards_photo_is_its_authors_and_the_facilitators_until_the_reveal(board, guest, other_guest, lead,
                                                                                    member, resident):
    made = send_card(phone(guest), board).json()
    card = Card.objects.get(pk=made["id"])
    assert card.private
    seen_by_other = phone(other_guest).get(url("board", board))
    assert "photo" not in cards_on_board(phone(other_guest), board)[card.pk]
    assert card.photo_key not in seen_by_other.content.decode() and "bushalte" not in seen_by_other.content.decode()
    assert card.photo_key not in signed_in(resident).get(url("board", board)).content.decode()
    assert cards_on_board(phone(guest), board)[card.pk]["photo"]["alt"] == "Een lege bushalte"
    assert cards_on_board(signed_in(lead), board)[card.pk]["photo"]["url"] == card.photo_url
    # The file itself: the author's device and the facilitator, nobody else on the board.
    assert phone(guest).get(card.photo_url).status_code == 200
    assert signed_in(lead).get(card.photo_url).status_code == 200
    assert phone(other_guest).get(card.photo_url).status_code == 404
    assert signed_in(resident).get(card.photo_url).status_code == 404
    assert Client().get(card.photo_url).status_code == 404

    services.reveal(actor=lead, workshop=board)
    for client in (phone(other_guest), signed_in(resident), phone(guest), signed_in(lead)):
        assert cards_on_board(client, board)[card.pk]["photo"]["url"] == card.photo_url
        for rendition in cards_on_board(client, board)[card.pk]["photo"]["renditions"]:
            assert client.get(rendition["url"]).status_code == 200
    assert Client().get(card.photo_url).status_code == 404  # the board's, not the world's, until public results


def test_after_the_end_the_results_carry_the_shared_photos_only(board, guest, lead):
    shared = Card.objects.get(pk=send_card(phone(guest), board).json()["id"])
    services.reveal(actor=lead, workshop=board)
    services.set_phase(actor=lead, workshop=board, phase=Phase.BRAINSTORM)
    secret = Card.objects.get(pk=send_card(phone(guest), board, alt="Een geheime tuin").json()["id"])
    assert secret.private
    services.end_workshop(actor=lead, workshop=board)
    services.write_summary(actor=lead, workshop=board, summary="", results_visibility=ResultsVisibility.PUBLIC)
    results = Client().get(url("results", board))
    assert [c["photo"]["url"] for c in results.json()["cards"]] == [shared.photo_url]
    assert secret.photo_key not in results.content.decode() and "geheime tuin" not in results.content.decode()
    assert Client().get(shared.photo_url).status_code == 200
    assert Client().get(secret.photo_url).status_code == 404


# --- changing the photo ----------------------------------------------------------------------------------------

def test_the_author_replaces_the_photo_and_the_old_files_go_after_the_commit(board, guest,
                                                                            django_capture_on_commit_callbacks):
    card = Card.objects.get(pk=send_card(phone(guest), board).json()["id"])
    old_names, old_key = card.photo_names(), card.photo_key
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        answer = patch_multipart(phone(guest), url("card", board, card_id=card.pk),
                                 {"photo": photo_file(jpeg_bytes((400, 300))), "photo_alt": "Een volle bus"})
    assert answer.status_code == 200, answer.content[:300]
    assert all(default_storage.exists(name) for name in old_names)  # still there until the commit
    for callback in callbacks:
        callback()
    card.refresh_from_db()
    assert card.photo_key != old_key and card.text == "De bus kwam niet" and card.photo_alt == "Een volle bus"
    assert answer.json()["photo"]["url"] == card.photo_url and answer.json()["photo"]["alt"] == "Een volle bus"
    assert not any(default_storage.exists(name) for name in old_names)
    assert stored_folders() == [card.photo_key]


def test_the_description_alone_and_the_text_with_a_photo_change_in_one_request(board, guest):
    card = Card.objects.get(pk=send_card(phone(guest), board).json()["id"])
    described = patch_json(phone(guest), url("card", board, card_id=card.pk), {"photo_alt": "Regen op de halte"})
    assert described.status_code == 200 and described.json()["photo"]["alt"] == "Regen op de halte"
    both = patch_multipart(phone(guest), url("card", board, card_id=card.pk),
                           {"text": "Nog steeds geen bus", "photo": photo_file(jpeg_bytes((500, 400)))})
    card.refresh_from_db()
    assert both.status_code == 200 and card.text == "Nog steeds geen bus" and card.photo_alt == "Regen op de halte"
    assert card.photo_renditions[0]["width"] == 480 and both.json()["text"] == "Nog steeds geen bus"


@pytest.mark.parametrize("send", [lambda c, p: patch_json(c, p, {"remove_photo": True}),
                                  lambda c, p: patch_multipart(c, p, {"remove_photo": "true"})],
                         ids=["json", "multipart"])
def test_remove_photo_takes_it_off_and_its_files_go(board, guest, django_capture_on_commit_callbacks, send):
    card = Card.objects.get(pk=send_card(phone(guest), board).json()["id"])
    names = card.photo_names()
    with django_capture_on_commit_callbacks(execute=True):
        answer = send(phone(guest), url("card", board, card_id=card.pk))
    assert answer.status_code == 200 and answer.json()["photo"] is None
    card.refresh_from_db()
    assert not card.has_photo and card.photo_alt == "" and card.text == "De bus kwam niet"
    assert stored_folders() == [] and not any(default_storage.exists(name) for name in names)


def test_an_empty_multipart_change_is_refused(board, guest):
    card = Card.objects.get(pk=send_card(phone(guest), board).json()["id"])
    before = state(board)
    answer = patch_multipart(phone(guest), url("card", board, card_id=card.pk), {})
    assert answer.status_code == 400 and answer.json()["detail"] == "Geef op wat er verandert."
    assert state(board) == before


def test_a_new_photo_and_remove_photo_at_once_is_refused(board, guest):
    card = Card.objects.get(pk=send_card(phone(guest), board).json()["id"])
    before = state(board)
    answer = patch_multipart(phone(guest), url("card", board, card_id=card.pk),
                             {"photo": photo_file(jpeg_bytes()), "remove_photo": "true"})
    assert answer.status_code == 400 and "remove_photo" in answer.json()["errors"]
    assert state(board) == before


@pytest.mark.parametrize(("content", "reason"), [(lambda: b"tekst", "geen foto"), (make_bomb, "te veel beeldpunten")],
                         ids=["text", "bomb"])
def test_a_bad_new_photo_keeps_the_old_one(board, guest, content, reason):
    card = Card.objects.get(pk=send_card(phone(guest), board).json()["id"])
    before = state(board)
    answer = patch_multipart(phone(guest), url("card", board, card_id=card.pk),
                             {"text": "Anders", "photo": photo_file(content(), "foto.jpg")})
    assert answer.status_code == 400 and reason in answer.json()["errors"]["photo"][0]
    assert state(board) == before and all(default_storage.exists(name) for name in card.photo_names())


def test_someone_elses_card_takes_no_photo_and_loses_none(board, guest, other_guest, lead):
    card = Card.objects.get(pk=send_card(phone(guest), board).json()["id"])
    before = state(board)
    path = url("card", board, card_id=card.pk)
    assert patch_multipart(phone(other_guest), path, {"photo": photo_file(jpeg_bytes())}).status_code == 403
    assert patch_json(phone(other_guest), path, {"remove_photo": True}).status_code == 403
    assert patch_json(phone(other_guest), path, {"photo_alt": "Van mij"}).status_code == 403
    assert patch_multipart(Client(), path, {"photo": photo_file(jpeg_bytes())}).status_code == 403
    assert state(board) == before


def test_a_card_of_another_workshop_in_the_path_takes_no_photo(board, guest, lead):
    other = services.open_workshop(actor=lead, workshop=plan(lead, title="Mantelzorg aanvragen"))
    stranger = guest_joins(other, "Piet")
    elsewhere = Card.objects.get(pk=send_card(phone(stranger), other).json()["id"])
    before = state(other)
    for client in (phone(guest), phone(stranger), signed_in(lead)):
        forged = patch_multipart(client, url("card", board, card_id=elsewhere.pk),
                                 {"photo": photo_file(jpeg_bytes()), "photo_alt": "Vervalst"})
        assert forged.status_code == 404
        assert patch_json(client, url("card", board, card_id=elsewhere.pk), {"remove_photo": True}).status_code == 404
    assert state(other) == before


def test_a_photo_with_a_change_the_author_may_not_make_writes_no_file(board, guest):
    """A photo comes last: when grouping (the facilitator's) is refused, no file was written for a moment."""
    card = Card.objects.get(pk=send_card(phone(guest), board).json()["id"])
    before = state(board)
    answer = patch_multipart(phone(guest), url("card", board, card_id=card.pk),
                             {"photo": photo_file(jpeg_bytes()), "group": "Wachten"})
    assert answer.status_code == 403
    assert state(board) == before


def test_the_facilitator_changes_a_cards_photo_and_moves_it_in_one_request(board, guest, lead):
    card = Card.objects.get(pk=send_card(phone(guest), board).json()["id"])
    stage, lane = cell(board, LaneKind.IDEAS, 2)
    answer = patch_multipart(signed_in(lead), url("card", board, card_id=card.pk),
                             {"stage": stage.pk, "lane": lane.pk, "photo_alt": "Door de begeleider"})
    assert answer.status_code == 200
    assert (answer.json()["lane"], answer.json()["photo"]["alt"]) == (lane.pk, "Door de begeleider")


# --- reads stay flat -------------------------------------------------------------------------------------------

def queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_board_and_the_results_read_no_more_for_more_photos(board, guest, lead):
    with_photo(guest, "Eerste")
    services.reveal(actor=lead, workshop=board)
    queries(phone(guest), url("board", board)), queries(signed_in(lead), url("board", board))  # warm caches
    few = (queries(phone(guest), url("board", board)), queries(signed_in(lead), url("board", board)))
    for n in range(12):
        with_photo(guest, f"Kaartje {n}")
    many = (queries(phone(guest), url("board", board)), queries(signed_in(lead), url("board", board)))
    assert many == few and max(many) <= 10
    services.end_workshop(actor=lead, workshop=board)
    assert len(signed_in(lead).get(url("results", board)).json()["cards"]) == 13
    assert queries(signed_in(lead), url("results", board)) <= 10


# --- personas and the schema ------------------------------------------------------------------------------------

def test_a_persona_shows_its_photo_in_the_workshop(client, board, lead):
    services.add_persona(actor=lead, workshop=board, name="Els", situation="Net verhuisd",
                         image=process_image(jpeg_bytes((600, 400))), photo_alt="Een tekening van Els")
    services.add_persona(actor=lead, workshop=board, name="Ahmed", situation="Werkt in Rotterdam")
    personas = {p["name"]: p for p in client.get(url("detail", board)).json()["personas"]}
    assert personas["Ahmed"]["photo"] is None
    photo = personas["Els"]["photo"]
    assert photo["alt"] == "Een tekening van Els" and [r["width"] for r in photo["renditions"]] == [480, 600]
    assert client.get(photo["url"]).status_code == 200


def test_the_schema_documents_photos_on_cards_and_personas(client):
    schema = client.get("/api/schema/?format=json").json()
    components = schema["components"]["schemas"]
    for path, method, body in (("/api/v1/workshops/{id}/cards/", "post", "CardCreateRequest"),
                               ("/api/v1/workshops/{id}/cards/{card_id}/", "patch", "PatchedCardChangeRequest")):
        content = schema["paths"][path][method]["requestBody"]["content"]
        assert set(content) == {"application/json", "multipart/form-data"}
        assert content["multipart/form-data"]["schema"] == {"$ref": f"#/components/schemas/{body}"}
        photo = components[body]["properties"]["photo"]
        assert (photo["type"], photo["format"]) == ("string", "binary")
        assert "photo_alt" in components[body]["properties"]
    assert components["PatchedCardChangeRequest"]["properties"]["remove_photo"]["type"] == "boolean"
    for owner in ("Card", "Persona"):
        photo = components[owner]["properties"]["photo"]
        assert photo["allOf"] == [{"$ref": "#/components/schemas/WorkshopPhoto"}] and photo["nullable"]
    assert "photo" not in components["Card"]["required"]
    assert set(components["WorkshopPhoto"]["properties"]) == {"url", "large_url", "alt", "renditions"}
