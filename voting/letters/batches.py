"""Letters kept for one download: issuing codes and printing them in one step, and the private file in between.

A batch is a folder ``voting-letters/<box>/<key>/`` in the media storage (``key``: ``core.files.new_file_key``):

- ``status.json``: the batch's state and progress (no codes, no names);
- ``list.json``: the uploaded addressees, only until the letters are made;
- ``brieven.pdf``: the letters with the plain codes, only until they are downloaded once or 24 hours have passed.

No app registers the ``voting-letters`` prefix with ``core.files``, so ``serve_upload`` never serves these files
(a prefix nobody registered answers 404). The one way out is ``take_letters``: staff who may manage the box's
codes download the PDF once, after which it is deleted (decision 34).

Issuing and printing happen in one transaction (``make_letters``): when the PDF cannot be made (or the worker
stops half-way), no code was issued, and the list can simply be uploaded again.

Precondition for everything here: the default storage is on the file system (``FileSystemStorage``).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import error_text
from core.files import new_file_key
from voting.letters.pdf import LetterContext, LetterWriter, Recipient
from voting.models import BallotBox, CodeEvent, VotingCode
from voting.services._common import VotingError, require_perm
from voting.services.codes import Addressee, issue_codes, reissue_code

PREFIX = "voting-letters"
PDF_NAME = "brieven.pdf"
LIFETIME = timedelta(hours=24)
# A batch that says "working" but was not updated for this long lost its worker: its transaction rolled back.
STALE = timedelta(minutes=30)
# A download that never finished (the connection broke off without closing) frees the file again after this.
TAKING_TIMEOUT = timedelta(minutes=10)
PROGRESS_EVERY = 250
CHUNK = 256 * 1024
KEY = re.compile(r"^[A-Za-z0-9_-]{32}$")
PHONE = "14 0184"

NOT_FOUND = gettext_lazy("Deze brieven zijn er niet meer. Ze zijn al gedownload of ouder dan 24 uur.")
ONLY_STAFF = gettext_lazy("Alleen medewerkers maken brieven met stemcodes, zolang de stemming niet gesloten is.")


class State:
    WAITING = "waiting"
    WORKING = "working"
    READY = "ready"
    TAKEN = "taken"
    FAILED = "failed"


@dataclass
class Batch:
    """What ``status.json`` says about one batch of letters."""

    key: str
    box_id: int
    kind: str  # "list" (an uploaded list) or "reissue" (one new letter)
    total: int
    actor_id: int
    created_at: str
    updated_at: str
    state: str = State.WAITING
    done: int = 0
    message: str = ""
    taken_by: str = ""
    taken_at: str = ""
    code_url: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def created(self) -> datetime:
        return datetime.fromisoformat(self.created_at)

    @property
    def updated(self) -> datetime:
        return datetime.fromisoformat(self.updated_at)

    @property
    def taken(self) -> datetime | None:
        return datetime.fromisoformat(self.taken_at) if self.taken_at else None

    @property
    def expires(self) -> datetime:
        return self.created + LIFETIME

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.state in (State.READY, State.TAKEN, State.FAILED)

    def as_json(self) -> dict:
        return {"state": self.state, "done": self.done, "total": self.total, "percent": self.percent,
                "message": self.message}


# --- the folder --------------------------------------------------------------------------------------------

def _root() -> Path:
    return Path(default_storage.path(PREFIX))


def _folder(box_id: int, key: str) -> Path:
    return _root() / str(int(box_id)) / key


def _now() -> datetime:
    return timezone.now()


def _write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` readable by this system user only, replacing it in one step."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{new_file_key()[:8]}")
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def _save(batch: Batch) -> Batch:
    batch.updated_at = _now().isoformat()
    _write_private(_folder(batch.box_id, batch.key) / "status.json", json.dumps(asdict(batch)).encode())
    return batch


def _load(box_id: int, key: str) -> Batch | None:
    if not isinstance(key, str) or not KEY.match(key):
        return None
    try:
        data = json.loads((_folder(box_id, key) / "status.json").read_bytes())
        return Batch(**data)
    except (OSError, ValueError, TypeError):
        return None


def _remove(box_id: int, key: str) -> None:
    shutil.rmtree(_folder(box_id, key), ignore_errors=True)


def _stale(batch: Batch) -> bool:
    return batch.state in (State.WAITING, State.WORKING) and _now() - batch.updated > STALE


def _settled(batch: Batch) -> Batch | None:
    """The batch as it stands now, read only: None when older than 24 hours; failed when its worker stopped
    (ready when it stopped after the commit, before it could say so). ``delete_expired_letters`` cleans up."""
    if _now() >= batch.expires:
        return None
    if _stale(batch):
        if (_folder(batch.box_id, batch.key) / PDF_NAME).exists():
            batch.state, batch.done = State.READY, batch.total
        else:
            batch.state = State.FAILED
            batch.message = str(_("Het maken van de brieven is gestopt. Er zijn geen codes uitgegeven. Upload de "
                                  "lijst opnieuw."))
    return batch


def batch_of(box: BallotBox, key: str) -> Batch | None:
    """The box's batch ``key`` (None: never existed, of another box, or expired). Reads only."""
    batch = _load(box.pk, key)
    if batch is None or batch.box_id != box.pk:
        return None
    return _settled(batch)


def batches_of(box: BallotBox) -> list[Batch]:
    """The box's batches of the last 24 hours, newest first."""
    try:
        keys = [entry.name for entry in os.scandir(_root() / str(box.pk)) if entry.is_dir()]
    except OSError:
        return []
    found = [batch for key in keys if (batch := batch_of(box, key)) is not None]
    return sorted(found, key=lambda batch: batch.created_at, reverse=True)


def delete_expired_letters() -> int:
    """Remove every batch older than 24 hours (letters never downloaded included). Safe to run twice."""
    removed = 0
    try:
        boxes = [entry for entry in os.scandir(_root()) if entry.is_dir() and entry.name.isdigit()]
    except OSError:
        return 0
    for box in boxes:
        for entry in os.scandir(box.path):
            batch = _load(int(box.name), entry.name)
            too_old = batch is None and time.time() - entry.stat().st_mtime > LIFETIME.total_seconds()
            if too_old or (batch is not None and _now() >= batch.expires):
                shutil.rmtree(entry.path, ignore_errors=True)
                removed += 1
            elif batch is not None and _stale(batch):
                with contextlib.suppress(OSError):  # the addresses of a job that died are not kept
                    (Path(entry.path) / "list.json").unlink()
    return removed


# --- making the letters ------------------------------------------------------------------------------------

def letter_context(box: BallotBox, code_url: str) -> LetterContext:
    from django.conf import settings

    return LetterContext(municipality=settings.SAMENLAB_MUNICIPALITY, title=str(box), opens_at=box.opens_at,
                         closes_at=box.closes_at, code_url=code_url,
                         phone=getattr(settings, "SAMENLAB_PHONE", PHONE))


def recipient_of(code: VotingCode, plain_code: str) -> Recipient:
    return Recipient(name=code.addressee, street=code.street, postcode=code.postcode, town=code.town,
                     code=plain_code)


def start_letters(*, actor, box: BallotBox, addressees: list[Addressee], code_url: str) -> Batch:
    """Keep the list and queue the job that issues a code per addressee and prints the letters.

    Precondition: ``addressees`` came from ``read_address_list``. Refused (nothing kept) when ``actor`` may not
    manage the box's codes or the box does not vote by letter.
    """
    from voting.letters.tasks import make_letters_task

    require_perm(actor, "voting.manage_codes", box, ONLY_STAFF)
    if not box.uses_letters:
        raise VotingError(_("Bij deze stemming stemt men niet met een brief."), code="no_letters")
    delete_expired_letters()
    now = _now().isoformat()
    batch = Batch(key=new_file_key(), box_id=box.pk, kind="list", total=len(addressees), actor_id=actor.pk,
                  created_at=now, updated_at=now, code_url=code_url)
    _write_private(_folder(box.pk, batch.key) / "list.json",
                   json.dumps([asdict(person) for person in addressees]).encode())
    _save(batch)
    make_letters_task.enqueue(box_id=box.pk, key=batch.key)
    return batch_of(box, batch.key) or batch


def make_letters(*, box_id: int, key: str) -> int:
    """The job: issue the codes and print them, in one transaction. Returns the number of letters (0 when the
    batch was not waiting: a job run twice does nothing the second time)."""
    box = BallotBox.objects.select_related("poll", "budget", "kern").filter(pk=box_id).first()
    batch = _load(box_id, key)
    if box is None or batch is None or batch.state != State.WAITING:
        return 0
    if _stale(batch):  # the page already says it failed; someone may have uploaded the list again since
        with contextlib.suppress(OSError):
            (_folder(box_id, key) / "list.json").unlink()
        batch.state = State.FAILED
        batch.message = str(_("Het maken van de brieven is gestopt. Er zijn geen codes uitgegeven. Upload de "
                              "lijst opnieuw."))
        _save(batch)
        return 0
    batch.state = State.WORKING
    _save(batch)
    folder = _folder(box_id, key)
    pdf_path = folder / PDF_NAME
    try:
        addressees = [Addressee(**person) for person in json.loads((folder / "list.json").read_bytes())]
        actor = get_user_model().objects.get(pk=batch.actor_id)
        with translation.override("nl"), transaction.atomic():
            letters = issue_codes(actor=actor, box=box, addressees=addressees)
            writer = LetterWriter(letter_context(box, batch.code_url))
            for letter in letters:
                writer.add(recipient_of(letter.code, letter.plain_code))
                if writer.count % PROGRESS_EVERY == 0:
                    batch.done = writer.count
                    _save(batch)
            _write_private(pdf_path, writer.output())
            CodeEvent.objects.create(box=box, action=CodeEvent.Action.PRINTED, count=len(letters), actor=actor)
    except Exception as error:
        with contextlib.suppress(OSError):
            pdf_path.unlink()
        refused = isinstance(error, (VotingError, PermissionDenied))
        batch.state = State.FAILED
        batch.message = error_text(error) if refused else str(
            _("Het maken van de brieven is mislukt. Er zijn geen codes uitgegeven. Probeer het opnieuw of bel de "
              "servicedesk."))
        _save(batch)
        if not refused:
            raise
        return 0
    finally:
        with contextlib.suppress(OSError):
            (folder / "list.json").unlink()
    batch.state, batch.done = State.READY, batch.total
    _save(batch)
    return batch.total


def reissue_letter(*, actor, code: VotingCode, reason: str, code_url: str) -> Batch:
    """Revoke ``code`` (if it is not yet) and print one letter with its new code, kept for one download.

    Precondition: ``code.box`` was read with its poll or budget. Refused like ``reissue_code``; then nothing
    changes.
    """
    box = code.box
    require_perm(actor, "voting.manage_codes", box, ONLY_STAFF)
    now = _now().isoformat()
    batch = Batch(key=new_file_key(), box_id=box.pk, kind="reissue", total=1, actor_id=actor.pk, created_at=now,
                  updated_at=now, code_url=code_url, state=State.WORKING)
    pdf_path = _folder(box.pk, batch.key) / PDF_NAME
    try:
        with translation.override("nl"), transaction.atomic():
            letter = reissue_code(actor=actor, code=code, reason=reason)
            writer = LetterWriter(letter_context(box, code_url))
            writer.add(recipient_of(letter.code, letter.plain_code))
            _write_private(pdf_path, writer.output())
    except BaseException:
        _remove(box.pk, batch.key)
        raise
    batch.state, batch.done = State.READY, 1
    batch.extra = {"addressee": letter.code.addressee}
    return _save(batch)


# --- the one download --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Download:
    chunks: object  # an iterator of bytes; the PDF is deleted once the last chunk has gone out
    size: int
    filename: str


def take_letters(*, actor, box: BallotBox, key: str) -> Download:
    """The letters of batch ``key``, once: the PDF is deleted when its last byte has gone out.

    While one download runs, a second is refused; a download that breaks off leaves the PDF for another try.
    """
    require_perm(actor, "voting.manage_codes", box, ONLY_STAFF)
    delete_expired_letters()
    batch = batch_of(box, key)
    if batch is None or batch.state == State.TAKEN:
        raise VotingError(str(NOT_FOUND), code="gone")
    if batch.state != State.READY:
        raise VotingError(_("De brieven zijn nog niet klaar."), code="not_ready")
    folder = _folder(box.pk, key)
    pdf_path, lock = folder / PDF_NAME, folder / "taking"
    try:
        os.close(os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        if time.time() - lock.stat().st_mtime < TAKING_TIMEOUT.total_seconds():
            raise VotingError(_("Deze brieven worden op dit moment al gedownload."), code="busy") from None
        lock.touch()
    try:
        size = pdf_path.stat().st_size
    except OSError:
        lock.unlink(missing_ok=True)
        raise VotingError(str(NOT_FOUND), code="gone") from None
    name = actor.get_full_name() or actor.email

    def chunks():
        complete = False
        try:
            with open(pdf_path, "rb") as handle:
                while data := handle.read(CHUNK):
                    yield data
            complete = True
        finally:
            if complete:
                pdf_path.unlink(missing_ok=True)
                fresh = _load(box.pk, key)
                if fresh is not None:
                    fresh.state, fresh.taken_by, fresh.taken_at = State.TAKEN, name, _now().isoformat()
                    _save(fresh)
            lock.unlink(missing_ok=True)

    stamp = timezone.localtime(batch.created).strftime("%Y%m%d-%H%M")
    return Download(chunks=chunks(), size=size, filename=f"stemcodes-{box.pk}-{stamp}.pdf")
