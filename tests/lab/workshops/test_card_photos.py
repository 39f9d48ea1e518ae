"""A photo on a card: stored clean (no position, no camera), kept private exactly as long as the card is (the
board page, the stored events, the file itself), replaced and removed without a file left behind, and refused
with a reason when it is not a photo. The board's forms send it with the card."""

import io
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from initiatives.images import process_image
from lab.files import CARD_PREFIX
from lab.models import Card, LaneKind, Phase, ResultsVisibility
from lab.workshops import services
from tests.lab.workshops.conftest import cell, events, guest_joins, phone, signed_in
from tests.photos import gps_tagged_jpeg, jpeg_bytes

pytestmark = pytest.mark.django_db


def with_photo(seat, text="De brief kwam niet", *, alt="Een lege brievenbus", client_id=None, image=None):
    stage, lane = cell(seat.workshop, LaneKind.PAIN)
    return services.add_card(actor=seat.user or AnonymousUser(), participant=seat, stage=stage, lane=lane,
                             text=text, client_id=client_id or uuid.uuid4(),
                             image=image or process_image(gps_tagged_jpeg()), photo_alt=alt)


def stored_folders() -> list[str]:
    return default_storage.listdir(CARD_PREFIX)[0] if default_storage.exists(CARD_PREFIX) else []


def url_of(card) -> str:
    return card.photo_url


# --- stored clean, and with the card ------------------------------------------------------------------------

def test_a_cards_photo_is_stored_without_position_or_camera_in_every_size(guest, django_capture_on_commit_callbacks):
    card, made = with_photo(guest)
    assert made and card.has_photo and card.photo_alt == "Een lege brievenbus"
    assert [r["width"] for r in card.photo_renditions] == sorted(r["width"] for r in card.photo_renditions)
    for name in card.photo_names():
        assert name.startswith(f"{CARD_PREFIX}/{card.photo_key}/")
        with default_storage.open(name) as handle:
            image = Image.open(io.BytesIO(handle.read()))
            assert not image.getexif() and "exif" not in image.info
    assert stored_folders() == [card.photo_key]


def test_the_rule_is_asked_before_any_file_is_written(board, guest, lead):
    services.lock_board(actor=lead, workshop=board, locked=True)
    guest.workshop.refresh_from_db()
    with pytest.raises(PermissionDenied):
        with_photo(guest)
    # Not even written for a moment and removed again: the app's folder was never made.
    assert not default_storage.exists(CARD_PREFIX) and not Card.objects.exists()


def test_a_retry_keeps_the_first_photo_and_leaves_no_second_file(guest):
    client_id = uuid.uuid4()
    first, made = with_photo(guest, client_id=client_id)
    again, made_again = with_photo(guest, client_id=client_id, image=process_image(jpeg_bytes((300, 300))))
    assert made and not made_again and again.pk == first.pk and again.photo_key == first.photo_key
    assert stored_folders() == [first.photo_key]


def test_a_card_that_fails_after_the_files_were_written_leaves_none(guest, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the stream is down")

    monkeypatch.setattr("lab.workshops.services.cards.announce", broken)
    with pytest.raises(RuntimeError):
        with_photo(guest)
    assert stored_folders() == [] and not Card.objects.exists()


def test_a_description_with_html_is_kept_as_plain_text_and_a_too_long_one_changes_nothing(guest):
    card, _made = with_photo(guest, alt='<img src=x onerror="alert(1)">Een <b>bus</b>')
    assert "<" not in card.photo_alt and "bus" in card.photo_alt
    with pytest.raises(ValidationError):
        with_photo(guest, alt="x" * 251)
    assert Card.objects.count() == 1 and stored_folders() == [card.photo_key]


def test_changing_the_photo_removes_the_old_files_after_the_commit(guest, django_capture_on_commit_callbacks):
    card, _made = with_photo(guest)
    old_names, old_key = card.photo_names(), card.photo_key
    with django_capture_on_commit_callbacks(execute=True):
        changed = services.edit_card(actor=AnonymousUser(), participant=guest, card=card, text="Nog steeds niks",
                                     image=process_image(jpeg_bytes((640, 480))), photo_alt="Een volle bus")
    assert changed.photo_key != old_key and changed.photo_alt == "Een volle bus"
    assert not any(default_storage.exists(name) for name in old_names)
    assert stored_folders() == [changed.photo_key]


def test_a_refused_change_keeps_the_old_photo_and_writes_nothing(guest, other_guest):
    card, _made = with_photo(guest)
    with pytest.raises(PermissionDenied):
        services.edit_card(actor=AnonymousUser(), participant=other_guest, card=card, text="Van mij",
                           image=process_image(jpeg_bytes()))
    card.refresh_from_db()
    assert card.text == "De brief kwam niet" and stored_folders() == [card.photo_key]
    assert all(default_storage.exists(name) for name in card.photo_names())


def test_a_change_that_fails_after_the_new_files_were_written_leaves_them_not_and_keeps_the_old(guest, monkeypatch):
    card, _made = with_photo(guest)

    def broken(*args, **kwargs):
        raise RuntimeError("the stream is down")

    monkeypatch.setattr("lab.workshops.services.cards.announce", broken)
    with pytest.raises(RuntimeError):
        services.edit_card(actor=AnonymousUser(), participant=guest, card=card, text=card.text,
                           image=process_image(jpeg_bytes()))
    card.refresh_from_db()
    assert stored_folders() == [card.photo_key] and all(default_storage.exists(n) for n in card.photo_names())


def test_removing_the_photo_or_the_card_removes_its_files(guest, django_capture_on_commit_callbacks):
    card, _made = with_photo(guest)
    names = card.photo_names()
    with django_capture_on_commit_callbacks(execute=True):
        bare = services.edit_card(actor=AnonymousUser(), participant=guest, card=card, text=card.text,
                                  remove_photo=True)
    assert not bare.has_photo and bare.photo_alt == "" and stored_folders() == []
    assert not any(default_storage.exists(name) for name in names)
    second, _made = with_photo(guest)
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_card(actor=AnonymousUser(), participant=guest, card=second)
    assert stored_folders() == []


def test_only_the_description_changes_when_no_new_photo_is_sent(guest):
    card, _made = with_photo(guest)
    changed = services.edit_card(actor=AnonymousUser(), participant=guest, card=card, text=card.text,
                                 photo_alt="Een brievenbus in de regen")
    assert changed.photo_key == card.photo_key and changed.photo_alt == "Een brievenbus in de regen"


# --- private until the reveal, on every channel -----------------------------------------------------------

def test_before_the_reveal_only_the_author_and_the_facilitators_see_the_photo(board, guest, other_guest, lead,
                                                                               staff):
    card, _made = with_photo(guest)
    assert card.private
    url = url_of(card)
    assert phone(guest).get(url).status_code == 200
    assert signed_in(lead).get(url).status_code == 200
    # Staff may look at any board, but a private card is its author's and the facilitators' (lab.view_card).
    assert signed_in(staff).get(url).status_code == 404
    assert phone(other_guest).get(url).status_code == 404
    assert Client().get(url).status_code == 404
    own = phone(guest).get(url)
    assert own["Cache-Control"] == "private, no-store"
    # The board page of another participant, and everything the stream holds, say nothing of it.
    page = phone(other_guest).get(reverse("lab:board", args=[board.pk])).content.decode()
    assert card.photo_key not in page and "Een lege brievenbus" not in page
    for event in events(board):
        assert card.photo_key not in str(event.payload) and "brievenbus" not in str(event.payload)
    assert card.photo_key in phone(guest).get(reverse("lab:board", args=[board.pk])).content.decode()
    assert card.photo_key in signed_in(lead).get(reverse("lab:board", args=[board.pk])).content.decode()


def test_after_the_reveal_everyone_on_the_board_sees_it_and_the_stream_carries_it(board, guest, other_guest, lead):
    card, _made = with_photo(guest)
    services.reveal(actor=lead, workshop=board)
    assert phone(other_guest).get(url_of(card)).status_code == 200
    assert Client().get(url_of(card)).status_code == 404  # still the board's only
    revealed = events(board, "cards.revealed")[-1].payload["cards"]
    assert revealed[0]["photo"]["alt"] == "Een lege brievenbus"
    assert revealed[0]["photo"]["url"] == url_of(card)
    page = phone(other_guest).get(reverse("lab:board", args=[board.pk])).content.decode()
    assert f'src="{url_of(card)}"' in page and 'alt="Een lege brievenbus"' in page
    text_view = phone(other_guest).get(reverse("lab:board", args=[board.pk]) + "?tekst=1").content.decode()
    assert "foto: Een lege brievenbus" in text_view


def test_a_changed_photo_leaves_no_old_address_in_the_stored_events(board, guest, lead):
    services.set_phase(actor=lead, workshop=board, phase=Phase.SHARE)
    card, _made = with_photo(guest)
    old_key = card.photo_key
    services.edit_card(actor=AnonymousUser(), participant=guest, card=card, text=card.text,
                       image=process_image(jpeg_bytes((500, 400))))
    assert not any(old_key in str(event.payload) for event in events(board))


@pytest.mark.parametrize("visibility, anonymous_sees", [(ResultsVisibility.PUBLIC, 200),
                                                        (ResultsVisibility.PARTICIPANTS, 404)])
def test_after_the_end_the_results_decide_who_else_sees_a_shared_photo(board, guest, lead, visibility,
                                                                         anonymous_sees):
    shared, _made = with_photo(guest)
    services.reveal(actor=lead, workshop=board)
    services.set_phase(actor=lead, workshop=board, phase=Phase.BRAINSTORM)  # a second round, never revealed
    never_shared, _made = with_photo(guest, text="Nog een geheim")
    assert never_shared.private
    services.end_workshop(actor=lead, workshop=board)
    services.write_summary(actor=lead, workshop=board, summary="", results_visibility=visibility)
    answer = Client().get(url_of(shared))
    assert answer.status_code == anonymous_sees
    if anonymous_sees == 200:
        assert answer["Cache-Control"].startswith("public")
        results = Client().get(reverse("lab:results", args=[board.pk])).content.decode()
        assert f'src="{url_of(shared)}"' in results and never_shared.photo_key not in results
    assert Client().get(url_of(never_shared)).status_code == 404
    assert phone(guest).get(url_of(never_shared)).status_code == 200


def test_a_guessed_or_forged_name_answers_like_a_missing_file(guest):
    card, _made = with_photo(guest)
    client = phone(guest)
    assert client.get(f"/media/{CARD_PREFIX}/{card.photo_key}/9999.jpg").status_code == 404
    assert client.get(f"/media/{CARD_PREFIX}/{'A' * 32}/480.jpg").status_code == 404
    assert client.get(f"/media/{CARD_PREFIX}/{card.photo_key}/../{card.photo_key}/480.jpg").status_code == 404


def test_a_seat_in_another_workshop_does_not_open_the_photo(guest, lead, kern):
    from tests.lab.workshops.conftest import plan

    card, _made = with_photo(guest)
    elsewhere = services.open_workshop(actor=lead, workshop=plan(lead, kern=kern))
    stranger = guest_joins(elsewhere, "Piet")
    assert phone(stranger).get(url_of(card)).status_code == 404


# --- the board's forms ---------------------------------------------------------------------------------------

def upload(content: bytes, name: str = "foto.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def post_card(client, board, *, photo=None, alt="", fragment=True, text="Geen bus meer"):
    stage, lane = cell(board, LaneKind.PAIN)
    data = {"stage": stage.pk, "lane": lane.pk, "text": text, "client_id": str(uuid.uuid4()), "photo_alt": alt}
    if photo is not None:
        data["photo"] = photo
    headers = {"HTTP_X_BOARD_FRAGMENT": "1"} if fragment else {}
    return client.post(reverse("lab:add_card", args=[board.pk]), data, **headers)


def test_the_board_offers_a_photo_with_each_new_card_and_sends_it_along(board, guest):
    client = phone(guest)
    page = client.get(reverse("lab:board", args=[board.pk])).content.decode()
    assert 'enctype="multipart/form-data"' in page and 'name="photo"' in page and 'name="photo_alt"' in page
    answer = post_card(client, board, photo=upload(gps_tagged_jpeg()), alt="Een bushalte zonder bus")
    assert answer.status_code == 201
    card = Card.objects.get()
    assert card.has_photo and card.photo_alt == "Een bushalte zonder bus"
    assert f'src="{card.photo_url}"' in answer.content.decode()


@pytest.mark.parametrize("photo", [
    upload(b"<svg onload=alert(1)></svg>", "foto.jpg"),
    upload(b"just text", "foto.png", "image/png"),
    upload(b"", "foto.jpg"),
])
def test_something_that_is_not_a_photo_is_refused_with_a_reason_and_nothing_is_made(board, guest, photo):
    answer = post_card(phone(guest), board, photo=photo)
    assert answer.status_code == 400
    assert answer.json()["error"]
    assert not Card.objects.exists() and stored_folders() == []


def test_a_photo_over_ten_megabytes_is_refused_before_it_is_read(board, guest, settings):
    huge = upload(b"\xff\xd8\xff" + b"0" * (10 * 1024 * 1024 + 1))
    answer = post_card(phone(guest), board, photo=huge)
    assert answer.status_code == 400 and "10" in answer.json()["error"]
    assert not Card.objects.exists() and stored_folders() == []


def test_without_the_script_a_bad_photo_comes_back_as_a_message(board, guest):
    answer = post_card(phone(guest), board, photo=upload(b"niet een foto"), fragment=False)
    assert answer.status_code == 302 and not Card.objects.exists()


def test_the_author_changes_and_removes_the_photo_from_the_board(board, guest, django_capture_on_commit_callbacks):
    client = phone(guest)
    post_card(client, board, photo=upload(jpeg_bytes()), alt="Eerste")
    card = Card.objects.get()
    edit = reverse("lab:edit_card", args=[board.pk, card.pk])
    with django_capture_on_commit_callbacks(execute=True):
        changed = client.post(edit, {"text": "Geen bus meer", "photo": upload(jpeg_bytes((400, 300))),
                                     "photo_alt": "Tweede"}, HTTP_X_BOARD_FRAGMENT="1")
    assert changed.status_code == 200
    card.refresh_from_db()
    assert card.photo_alt == "Tweede" and card.photo_renditions[0]["width"] == 400
    refused = client.post(edit, {"text": "Geen bus meer", "photo": upload(b"tekst"), "photo_alt": "Derde"},
                          HTTP_X_BOARD_FRAGMENT="1")
    assert refused.status_code == 400
    card.refresh_from_db()
    assert card.photo_alt == "Tweede"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit, {"text": "Geen bus meer", "photo_alt": "Tweede", "remove_photo": "1"},
                    HTTP_X_BOARD_FRAGMENT="1")
    card.refresh_from_db()
    assert not card.has_photo and stored_folders() == []


def test_a_too_long_text_with_a_photo_keeps_the_services_reason(board, guest):
    client = phone(guest)
    post_card(client, board, photo=upload(jpeg_bytes()))
    card = Card.objects.get()
    answer = client.post(reverse("lab:edit_card", args=[board.pk, card.pk]), {"text": "x" * 501},
                         HTTP_X_BOARD_FRAGMENT="1")
    assert answer.status_code == 400 and "500" in answer.json()["error"]
    card.refresh_from_db()
    assert card.text == "Geen bus meer"


def test_the_facilitator_changes_a_cards_photo_on_its_own_page(board, guest, lead):
    services.set_phase(actor=lead, workshop=board, phase=Phase.SHARE)
    card, _made = with_photo(guest)
    client = signed_in(lead)
    page = client.get(reverse("lab:manage_card", args=[board.pk, card.pk])).content.decode()
    assert f'src="{card.photo_url}"' in page and 'name="remove_photo"' in page
    client.post(reverse("lab:edit_card", args=[board.pk, card.pk]),
                {"text": card.text, "photo_alt": card.photo_alt, "remove_photo": "1"})
    card.refresh_from_db()
    assert not card.has_photo


def test_the_board_page_reads_no_more_with_photos_on_its_cards(board, guest, django_assert_max_num_queries):
    for n in range(12):
        with_photo(guest, text=f"Kaartje {n}")
    client = phone(guest)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("lab:board", args=[board.pk])).content.decode()
    assert page.count(f"/media/{CARD_PREFIX}/") >= 12


def test_a_card_in_the_spotlight_shows_its_photo_big_to_everyone_who_may_see_it(board, guest, other_guest, lead):
    card, _made = with_photo(guest)
    services.reveal(actor=lead, workshop=board)
    card.refresh_from_db()
    services.spotlight(actor=lead, workshop=board, card=card)
    page = phone(other_guest).get(reverse("lab:board", args=[board.pk])).content.decode()
    box = page[page.index("data-spotlight-box"):page.index("</section>", page.index("data-spotlight-box"))]
    assert "De brief kwam niet" in box and f'src="{card.photo_url}"' in box and 'alt="Een lege brievenbus"' in box


def test_the_demos_finished_workshop_has_a_card_with_a_photo_in_its_report(kern):
    from pypdf import PdfReader

    from lab.models import Workshop
    from lab.workshops.demo import FINISHED, LETTER_ALT, _finished
    from tests.factories import StaffFactory, UserFactory

    for email in ("jan@example.org", "kees@example.org"):
        UserFactory(email=email, kern=kern)
    _finished(StaffFactory(email="fatima@example.org"))
    workshop = Workshop.objects.get(title=FINISHED)
    card = Card.objects.get(workshop=workshop, photo_alt=LETTER_ALT)
    assert not card.private and all(default_storage.exists(name) for name in card.photo_names())
    from lab.workshops.exports import card_photos, report_pdf
    from lab.workshops.journey_json import journey_and_cards

    journey, cards = journey_and_cards(workshop)
    report = PdfReader(io.BytesIO(report_pdf(journey, photos=card_photos(cards))))
    assert sum(len(page.images) for page in report.pages) == 1


def test_a_refused_change_with_a_photo_writes_no_file_even_for_a_moment(guest, other_guest, monkeypatch):
    """The rule is asked before the photo is stored: someone else's card gets no file written and removed again.
    (A spy on the real storage: every save still happens, and is counted.)"""
    card, _made = with_photo(guest)
    saved = []
    real_save = default_storage.save
    monkeypatch.setattr(default_storage, "save", lambda name, *args, **kwargs: saved.append(name) or real_save(
        name, *args, **kwargs))
    with pytest.raises(PermissionDenied):
        services.edit_card(actor=AnonymousUser(), participant=other_guest, card=card, text="Van mij",
                           image=process_image(jpeg_bytes()))
    assert saved == []


def test_removing_the_card_in_the_spotlight_puts_the_spotlight_out(board, guest, lead):
    services.set_phase(actor=lead, workshop=board, phase=Phase.SHARE)
    card, _made = with_photo(guest)
    services.spotlight(actor=lead, workshop=board, card=card)
    services.remove_card(actor=AnonymousUser(), participant=guest, card=card)
    board.refresh_from_db()
    assert board.spotlight_id is None


def test_a_second_phone_with_the_same_client_id_at_the_same_moment_leaves_no_files(guest, monkeypatch):
    """The first card stands (the database's unique client id); the second try's photo files are removed. The
    other phone's card is made just after this one's files are written: the moment two phones can meet."""
    from lab.workshops.services import photos

    client_id = uuid.uuid4()
    real_store = photos.store

    def store_then_the_other_phone_wins(image, *, prefix):
        stored = real_store(image, prefix=prefix)
        stage, lane = cell(guest.workshop, LaneKind.PAIN)
        Card.objects.create(workshop=guest.workshop, stage=stage, lane=lane, author=guest, text="Eerst",
                            client_id=client_id)
        return stored

    monkeypatch.setattr(photos, "store", store_then_the_other_phone_wins)
    card, made = with_photo(guest, client_id=client_id)
    assert not made and card.text == "Eerst" and not card.has_photo
    assert stored_folders() == []
