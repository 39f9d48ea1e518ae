"""Issuing codes from an uploaded list and printing them at once; the letters are downloaded once, then gone."""

import json
import os
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from tests.factories import StaffFactory
from tests.factories_voting import BallotBoxFactory, PollFactory
from tests.voting.app.hallkit import HEADER, csv_upload, letter_budget, letter_poll, pdf_pages, people, streamed
from voting.letters import batches
from voting.letters.batches import State, batch_of, make_letters, start_letters, take_letters
from voting.models import CodeEvent, VotingCode
from voting.services._common import VotingError, hash_secret

pytestmark = pytest.mark.django_db

CODE_URL = "http://testserver/stemcode/"


@pytest.fixture
def poll(kern):
    return letter_poll(kern)


def upload(client, box, text):
    return client.post(reverse("voting:codes", args=[box.pk]), {"addresses": csv_upload(text)})


def download(client, box, key):
    return client.post(reverse("voting:letters", args=[box.pk, key]))


def test_an_uploaded_list_becomes_codes_and_one_pdf_of_letters(client, staff, poll):
    client.force_login(staff)
    response = upload(client, poll.box, HEADER + "Jan de Vries;Dorpsstraat 1;2952ab;Arkel\n"
                      "Fatma Yılmaz;Kerkweg 2;2952 AC;Arkel\n")
    key = response.url.rstrip("/").split("/")[-1]
    assert response.url == reverse("voting:letters", args=[poll.box.pk, key])
    assert VotingCode.objects.filter(box=poll.box).count() == 2
    page = client.get(response.url)
    assert page.status_code == 200 and "Download de brieven" in page.content.decode()
    letters = download(client, poll.box, key)
    assert letters["Content-Type"] == "application/pdf"
    assert "no-store" in letters["Cache-Control"] and "private" in letters["Cache-Control"]
    assert "attachment;" in letters["Content-Disposition"]
    pages = pdf_pages(streamed(letters))
    assert len(pages) == 2
    assert "Jan de Vries" in pages[0] and "Fatma Yılmaz" not in pages[0]
    assert "Fatma Yılmaz" in pages[1] and "2952 AC  ARKEL" in pages[1]
    # The plain code on the letter is the one whose hash is kept, and only its hash.
    printed = [line for line in pages[0].splitlines() if line.count("-") == 6][0]
    code = VotingCode.objects.get(code_hash=hash_secret(printed))
    assert code.addressee == "Jan de Vries" and code.postcode == "2952 AB"
    actions = set(CodeEvent.objects.filter(box=poll.box).values_list("action", "count"))
    assert actions == {(CodeEvent.Action.ISSUED, 2), (CodeEvent.Action.PRINTED, 2)}


def test_the_letters_are_downloaded_once_and_the_file_is_gone(client, staff, poll):
    client.force_login(staff)
    key = start_letters(actor=staff, box=poll.box, addressees=people(3), code_url=CODE_URL).key
    folder = batches._folder(poll.box.pk, key)
    assert (folder / batches.PDF_NAME).exists() and not (folder / "list.json").exists()
    assert len(pdf_pages(streamed(download(client, poll.box, key)))) == 3
    assert not (folder / batches.PDF_NAME).exists()
    assert batch_of(poll.box, key).state == State.TAKEN
    again = download(client, poll.box, key)
    assert again.status_code == 302
    assert "al gedownload" in client.get(again.url).content.decode()
    colleague = StaffFactory()
    client.force_login(colleague)
    assert download(client, poll.box, key).status_code == 302  # nobody gets them a second time


def test_a_download_that_breaks_off_leaves_the_letters_for_another_try(staff, poll):
    key = start_letters(actor=staff, box=poll.box, addressees=people(2), code_url=CODE_URL).key
    first = take_letters(actor=staff, box=poll.box, key=key)
    with pytest.raises(VotingError, match="al gedownload"):  # one at a time
        take_letters(actor=staff, box=poll.box, key=key)
    next(first.chunks)
    first.chunks.close()  # the connection broke off
    second = take_letters(actor=staff, box=poll.box, key=key)
    assert len(pdf_pages(b"".join(second.chunks))) == 2
    assert batch_of(poll.box, key).state == State.TAKEN


def test_letters_nobody_downloaded_are_removed_after_24_hours(staff, poll, monkeypatch):
    key = start_letters(actor=staff, box=poll.box, addressees=people(1), code_url=CODE_URL).key
    later = timezone.now() + timedelta(hours=24, minutes=1)
    monkeypatch.setattr(batches, "_now", lambda: later)
    assert batch_of(poll.box, key) is None
    with pytest.raises(VotingError):
        take_letters(actor=staff, box=poll.box, key=key)
    assert not batches._folder(poll.box.pk, key).exists()


def test_the_letters_are_never_served_as_an_upload(client, staff, poll):
    key = start_letters(actor=staff, box=poll.box, addressees=people(1), code_url=CODE_URL).key
    client.force_login(staff)
    name = f"{batches.PREFIX}/{poll.box.pk}/{key}/{batches.PDF_NAME}"
    assert default_storage.exists(name)
    assert client.get(f"/media/{name}").status_code == 404
    assert oct(os.stat(default_storage.path(name)).st_mode & 0o777) == "0o600"


def test_when_the_letters_cannot_be_made_no_code_is_issued(staff, poll, monkeypatch):
    from voting.letters import pdf

    def broken(self):
        raise OSError("disk full")

    monkeypatch.setattr(pdf.LetterWriter, "output", broken)
    start_letters(actor=staff, box=poll.box, addressees=people(5), code_url=CODE_URL)  # the job fails (logged)
    assert VotingCode.objects.count() == 0 and CodeEvent.objects.count() == 0
    [batch] = batches.batches_of(poll.box)
    assert batch.state == State.FAILED and "geen codes" in batch.message
    assert not any(batches._folder(poll.box.pk, batch.key).glob("*.pdf"))
    assert not (batches._folder(poll.box.pk, batch.key) / "list.json").exists()


def test_a_job_that_died_is_shown_as_failed_and_its_list_is_removed(staff, poll, monkeypatch):
    monkeypatch.setattr("voting.letters.tasks.make_letters_task", SimpleNamespace(enqueue=lambda **kwargs: None))
    key = start_letters(actor=staff, box=poll.box, addressees=people(2), code_url=CODE_URL).key
    assert batch_of(poll.box, key).state == State.WAITING
    later = timezone.now() + timedelta(hours=1)
    monkeypatch.setattr(batches, "_now", lambda: later)
    assert batch_of(poll.box, key).state == State.FAILED
    batches.delete_expired_letters()
    assert not (batches._folder(poll.box.pk, key) / "list.json").exists()
    assert make_letters(box_id=poll.box.pk, key=key) == 0  # a worker that comes late does nothing
    assert VotingCode.objects.count() == 0


def test_a_job_that_comes_after_the_page_said_it_failed_issues_nothing(staff, poll, monkeypatch):
    monkeypatch.setattr("voting.letters.tasks.make_letters_task", SimpleNamespace(enqueue=lambda **kwargs: None))
    key = start_letters(actor=staff, box=poll.box, addressees=people(2), code_url=CODE_URL).key
    later = timezone.now() + timedelta(hours=1)
    monkeypatch.setattr(batches, "_now", lambda: later)
    assert make_letters(box_id=poll.box.pk, key=key) == 0
    assert VotingCode.objects.count() == 0 and batch_of(poll.box, key).state == State.FAILED
    assert not (batches._folder(poll.box.pk, key) / "list.json").exists()


def test_a_job_run_twice_issues_the_codes_once(staff, poll):
    key = start_letters(actor=staff, box=poll.box, addressees=people(2), code_url=CODE_URL).key
    assert make_letters(box_id=poll.box.pk, key=key) == 0
    assert VotingCode.objects.count() == 2


def test_the_progress_is_read_by_the_pages_script(client, staff, poll):
    key = start_letters(actor=staff, box=poll.box, addressees=people(2), code_url=CODE_URL).key
    client.force_login(staff)
    answer = client.get(reverse("voting:letters_status", args=[poll.box.pk, key])).json()
    assert answer == {"state": "ready", "done": 2, "total": 2, "percent": 100, "message": ""}


def test_a_batch_of_another_box_or_a_made_up_key_is_not_found(client, staff, poll, kern):
    key = start_letters(actor=staff, box=poll.box, addressees=people(1), code_url=CODE_URL).key
    other = letter_poll(kern)
    client.force_login(staff)
    for box, wanted in ((other.box, key), (poll.box, "x" * 32), (poll.box, "..%2F..%2Fetc"), (poll.box, "a")):
        base = f"/stemmen/{box.pk}/gemeentehuis/brieven/{wanted}/"
        assert client.get(base).status_code == 404
        assert client.get(base + "stand/").status_code == 404
    assert download(client, other.box, key).status_code == 302
    assert batch_of(poll.box, key).state == State.READY  # untouched


def test_a_budget_by_letter_gets_letters_too(client, staff, kern):
    budget = letter_budget(kern)
    key = start_letters(actor=staff, box=budget.box, addressees=people(1), code_url=CODE_URL).key
    client.force_login(staff)
    page = " ".join(pdf_pages(streamed(download(client, budget.box, key)))[0].split())
    assert budget.title in page


@pytest.mark.parametrize("who", ["resident", "council", "superuser_not_staff", "anonymous"])
def test_only_staff_make_or_download_letters(client, cast, poll, staff, who):
    key = start_letters(actor=staff, box=poll.box, addressees=people(1), code_url=CODE_URL).key
    if who != "anonymous":
        client.force_login(cast[who])
    assert upload(client, poll.box, HEADER + "A;B 1;2952AB;Arkel\n").status_code in (302, 403)
    assert download(client, poll.box, key).status_code in (302, 403)
    assert client.get(reverse("voting:letters", args=[poll.box.pk, key])).status_code in (302, 403)
    assert VotingCode.objects.count() == 1
    assert batch_of(poll.box, key).state == State.READY


def test_no_letters_for_a_box_that_does_not_vote_by_letter_or_is_closed(client, staff, kern):
    client.force_login(staff)
    plain = PollFactory(box=BallotBoxFactory(kern=kern))
    response = upload(client, plain.box, HEADER + "A;B 1;2952AB;Arkel\n")
    assert response.status_code == 400 and "niet met een brief" in response.content.decode()
    closed = letter_poll(kern, closed=True)
    assert upload(client, closed.box, HEADER + "A;B 1;2952AB;Arkel\n").status_code == 403
    assert VotingCode.objects.count() == 0 and not batches.batches_of(plain.box)


def test_the_status_file_holds_no_names_or_codes(staff, poll):
    key = start_letters(actor=staff, box=poll.box, addressees=people(1), code_url=CODE_URL).key
    status = json.loads((batches._folder(poll.box.pk, key) / "status.json").read_text())
    assert "Bewoner" not in json.dumps(status)
    assert set(status) >= {"state", "done", "total"}
