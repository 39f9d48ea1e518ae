"""The outbox: one ``MunicipalReport`` row per reported observation, sent by background work.

The rules that keep one observation from becoming two meldingen (docs/decisions/0025):

1. The row is committed (state *pending*) in the triage transaction, before anything is sent.
2. A worker claims the row under its lock: *pending* (due) or a *sending* row whose lease ran out becomes
   *sending* with ``lease_until`` and ``attempts + 1``, and that is committed before any call goes out. Two
   workers racing for one row: the second waits for the lock, then sees a live lease and leaves it.
3. The melding's id is saved the moment it comes back (state *sent*, in its own short transaction).
4. Before every create, when the adapter can, the melding is first looked up by our ``reference``. A worker
   killed after the POST and before step 3 leaves a *sending* row with an expiring lease; whoever takes it
   over finds the melding and saves its id instead of creating a second one. The same covers a time-out
   whose request did arrive.
5. When the adapter cannot look up (Open311; Signalen without a token) and the outcome of the last try is
   unknown (a lease that ran out, a time-out, a 5xx on create), the row becomes *uncertain* and is never
   sent again by itself: staff check the municipality's system and send again or link the melding.
6. Photos go one at a time after the melding; each one sent is recorded in ``photos_sent`` at once, so a
   retry sends only the missing ones. (A worker killed during an upload may send that one photo twice: a
   duplicate photo is harmless, a duplicate melding is not.)
7. Failures: back to *pending* with ``next_attempt_at`` by exponential back-off with jitter and a cap;
   after ``MUNICIPAL_REPORTS_MAX_ATTEMPTS`` the row is *failed* (staff can retry). A 4xx is *failed* at once.
"""

from __future__ import annotations

import logging
import random
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.permissions import require
from maps.handoff.adapters import (
    CLOSED_STATES,
    Adapter,
    Created,
    HandoffError,
    Photo,
    get_adapter,
)
from maps.handoff.report import build_report, photos_of
from maps.models import MunicipalReport
from maps.models import handoff as handoff_models
from maps.services._common import plain
from maps.services.errors import WalkStateError

logger = logging.getLogger(__name__)

State = MunicipalReport.State
NUMBER_SEPARATOR = handoff_models.NUMBER_SEPARATOR
DUE_BATCH = 50
REFRESH_BATCH = 200


# --- The melding's number and key ---------------------------------------------------------------------------
# One field holds both: "SIG-123|<uuid>" for Signalen (people say the number, the public API wants the UUID);
# just the id where the two are the same (Open311).

def external_id_for(created: Created) -> str:
    if created.number and created.number != created.key:
        return f"{created.number}{NUMBER_SEPARATOR}{created.key}"[:64]
    return created.key[:64]


def melding_key(report: MunicipalReport) -> str:
    return report.external_id.rpartition(NUMBER_SEPARATOR)[2]


def melding_number(report: MunicipalReport) -> str:
    """The melding's number as the municipality shows it ("SIG-123"), for the observation's page."""
    return report.number


# --- Enqueue ------------------------------------------------------------------------------------------------

def reference_for(observation) -> str:
    return f"samenlab-waarneming-{observation.pk}"


def enqueue_report(*, observation, actor) -> MunicipalReport:
    """Put the observation in the outbox and send it after commit.

    Precondition: inside the triage transaction, with the observation's row locked (so two decisions cannot
    both create a row; the one-to-one and the unique reference are the database's guard). Reporting an
    observation that already has a row returns that row and sends nothing new. ``actor`` decided; the
    melding's reporter is read from the triage entry that records the decision.
    """
    report = MunicipalReport.objects.filter(observation=observation).first()
    if report is not None:
        return report
    report = MunicipalReport.objects.create(
        observation=observation, adapter=settings.MUNICIPAL_REPORTS_ADAPTER, reference=reference_for(observation),
        state=State.PENDING, next_attempt_at=timezone.now(),
    )
    _send_after_commit(report.pk)
    return report


def _send_after_commit(report_id: int) -> None:
    from maps.handoff.tasks import send_municipal_report

    transaction.on_commit(lambda: send_municipal_report.enqueue(report_id=report_id))


# --- Back-off -----------------------------------------------------------------------------------------------

def backoff_delay(attempt: int, *, rng: random.Random | None = None) -> timedelta:
    """The wait after failed attempt ``attempt`` (1, 2, …): base × 2^(attempt−1), capped, then a random
    half of it added to the other half ("equal jitter"), so retries of many rows after an outage spread out
    and never wait less than half the schedule."""
    rng = rng or random
    base = settings.MUNICIPAL_REPORTS_BACKOFF_BASE_SECONDS
    cap = settings.MUNICIPAL_REPORTS_BACKOFF_CAP_SECONDS
    full = min(cap, base * 2 ** max(0, attempt - 1))
    return timedelta(seconds=full / 2 + rng.uniform(0, full / 2))


# --- Send ---------------------------------------------------------------------------------------------------

def due_filter(now) -> Q:
    """Rows a worker may claim: pending and due, or a lease that ran out (a worker died while sending, or
    while adding photos to a melding that is already sent)."""
    return (Q(state=State.PENDING) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            | Q(state__in=[State.SENDING, State.SENT], lease_until__lt=now))


def _is_due(report: MunicipalReport, now) -> bool:
    if report.state == State.PENDING:
        return report.next_attempt_at is None or report.next_attempt_at <= now
    if report.state in (State.SENDING, State.SENT):
        return report.lease_until is not None and report.lease_until < now
    return False


def _claim(report_id: int) -> tuple[MunicipalReport, bool] | None:
    """Take the row for this worker (committed before anything is sent). Returns the row and whether it was
    taken over from a worker whose lease ran out before a melding id was saved."""
    now = timezone.now()
    with transaction.atomic():
        report = MunicipalReport.objects.select_for_update().filter(pk=report_id).first()
        if report is None or not _is_due(report, now):
            return None
        taken_over = report.state == State.SENDING and not report.external_id
        report.state = State.SENDING
        report.attempts += 1
        report.lease_until = now + timedelta(seconds=settings.MUNICIPAL_REPORTS_LEASE_SECONDS)
        report.next_attempt_at = None
        report.save(update_fields=["state", "attempts", "lease_until", "next_attempt_at"])
    return report, taken_over


def _extend_lease(report: MunicipalReport) -> None:
    report.lease_until = timezone.now() + timedelta(seconds=settings.MUNICIPAL_REPORTS_LEASE_SECONDS)
    MunicipalReport.objects.filter(pk=report.pk).update(lease_until=report.lease_until)


def _notify(report: MunicipalReport) -> None:
    """Precondition: inside a transaction, the report's new id and status saved."""
    from maps.services.triage import report_status_changed

    report_status_changed(report=report)


def _save_created(report: MunicipalReport, created: Created, photos_with_it: list[int]) -> None:
    """The melding exists: save its id now, before anything else can fail."""
    with transaction.atomic():
        report.external_id = external_id_for(created)
        report.external_status = created.status[:64]
        report.external_status_text = created.status_text[:300]
        report.state = State.SENT
        report.sent_at = timezone.now()
        report.attempts = 0  # the photos that may follow get their own attempts
        report.last_error = ""
        report.photos_sent = [*report.photos_sent, *photos_with_it]
        report.save(update_fields=["external_id", "external_status", "external_status_text", "state", "sent_at",
                                   "attempts", "last_error", "photos_sent"])
    # Announced in a transaction of its own: a failing announcement must not undo the saved id.
    try:
        with transaction.atomic():
            _notify(report)
    except Exception:
        logger.exception("municipal report %s: announcing the melding failed", report.reference)


def _photo(photo) -> Photo:
    photo.image.open("rb")
    try:
        data = photo.image.read()
    finally:
        photo.image.close()
    content_type = {b"\xff\xd8": "image/jpeg", b"\x89P": "image/png"}.get(data[:2], "image/webp")
    return Photo(filename=photo.image.name.rpartition("/")[2] or f"foto-{photo.pk}", content_type=content_type,
                 data=data)


def _send_photos(report: MunicipalReport, adapter: Adapter) -> None:
    if not adapter.sends_attachments_separately:
        return
    for photo in photos_of(report):
        if photo.pk in report.photos_sent:
            continue
        try:
            content = _photo(photo)
        except OSError as error:  # the file is gone from storage: nothing to send, nothing to retry
            logger.warning("municipal report %s: photo %s not readable: %s", report.reference, photo.pk, error)
            continue
        adapter.add_attachment(melding_key(report), content)
        report.photos_sent = [*report.photos_sent, photo.pk]
        report.lease_until = timezone.now() + timedelta(seconds=settings.MUNICIPAL_REPORTS_LEASE_SECONDS)
        MunicipalReport.objects.filter(pk=report.pk).update(photos_sent=report.photos_sent,
                                                            lease_until=report.lease_until)


def _finish(report: MunicipalReport) -> None:
    report.lease_until = None
    report.next_attempt_at = None
    report.state = State.SENT
    report.save(update_fields=["lease_until", "next_attempt_at", "state"])


def _mark_uncertain(report: MunicipalReport, message: str) -> None:
    report.state = State.UNCERTAIN
    report.lease_until = None
    report.next_attempt_at = None
    report.last_error = message
    report.save(update_fields=["state", "lease_until", "next_attempt_at", "last_error"])
    logger.warning("municipal report %s is uncertain: %s", report.reference, message)


def _record_failure(report: MunicipalReport, error: HandoffError, adapter: Adapter) -> None:
    report.last_error = str(error)[:2000]
    report.lease_until = None
    if report.external_id:
        # The melding exists; what failed is a photo. Retry those, and after the last attempt keep the melding
        # as sent with the error noted (the photos stay with us).
        if error.permanent or report.attempts >= settings.MUNICIPAL_REPORTS_MAX_ATTEMPTS:
            report.state, report.next_attempt_at = State.SENT, None
        else:
            report.state, report.next_attempt_at = State.PENDING, timezone.now() + backoff_delay(report.attempts)
    elif error.outcome_unknown and not adapter.can_find_by_reference:
        report.state, report.next_attempt_at = State.UNCERTAIN, None
    elif error.permanent or report.attempts >= settings.MUNICIPAL_REPORTS_MAX_ATTEMPTS:
        report.state, report.next_attempt_at = State.FAILED, None
    else:
        report.state, report.next_attempt_at = State.PENDING, timezone.now() + backoff_delay(report.attempts)
    report.save(update_fields=["last_error", "lease_until", "state", "next_attempt_at"])
    logger.warning("municipal report %s: attempt %s failed (%s): %s", report.reference, report.attempts,
                   report.state, error)


def send_report(report_id: int) -> str:
    """Send one outbox row (the task ``maps.handoff.tasks.send_municipal_report``). Returns the row's state
    afterwards, or "skipped" when it was not due or another worker holds it."""
    report = MunicipalReport.objects.filter(pk=report_id).only("adapter").first()
    if report is None:
        return "skipped"
    try:
        adapter = get_adapter(report.adapter)
    except HandoffError:
        logger.error("municipal report %s: unknown adapter %r", report_id, report.adapter)
        return "skipped"
    if not adapter.configured:
        # Nothing is claimed or counted: the rows wait until the system is configured.
        logger.warning("municipal report %s waits: the %s adapter has no base URL", report_id, adapter.name)
        return "skipped"
    claimed = _claim(report_id)
    if claimed is None:
        return "skipped"
    report, taken_over = claimed
    try:
        if not report.external_id:
            built = build_report(report)
            photos = photos_of(report)
            found = adapter.find_by_reference(built) if adapter.can_find_by_reference else None
            if found is None and taken_over and not adapter.can_find_by_reference:
                _mark_uncertain(report, "A worker stopped after it may have sent this melding, and this system "
                                        "cannot be searched by our reference: check it before sending again.")
                return report.state
            if found is not None:
                _save_created(report, found, [])
            else:
                with_request = [] if adapter.sends_attachments_separately else [_photo(p) for p in photos]
                created, with_it = adapter.create(built, with_request)
                _save_created(report, created, [p.pk for p in photos[:with_it]])
            _extend_lease(report)
        _send_photos(report, adapter)
        _finish(report)
    except HandoffError as error:
        _record_failure(report, error, adapter)
    except Exception as error:
        # Anything else (a bug, the database) may have struck after a create: treated as an unknown outcome.
        _record_failure(report, HandoffError(repr(error), outcome_unknown=True), adapter)
        raise
    return report.state


def send_due_reports(limit: int = DUE_BATCH) -> int:
    """The periodic run: every due row, one after another (each claims itself, so two runs do not clash)."""
    now = timezone.now()
    ids = list(MunicipalReport.objects.filter(due_filter(now)).order_by("next_attempt_at", "pk")
               .values_list("pk", flat=True)[:limit])
    sent = 0
    for report_id in ids:
        if send_report(report_id) == State.SENT:
            sent += 1
    return sent


# --- Status -------------------------------------------------------------------------------------------------

def refresh_statuses(limit: int = REFRESH_BATCH) -> int:
    """Poll the status of sent meldingen; save and announce (``report_status_changed``) only a change.
    Closed meldingen are read again once a day (they may be reopened). Returns how many changed."""
    now = timezone.now()
    recheck_closed = now - timedelta(seconds=settings.MUNICIPAL_REPORTS_CLOSED_RECHECK_SECONDS)
    reports = (MunicipalReport.objects.filter(state=State.SENT)
               .filter(~Q(external_status__in=CLOSED_STATES) | Q(status_checked_at__lt=recheck_closed)
                       | Q(status_checked_at__isnull=True))
               .order_by(F("status_checked_at").asc(nulls_first=True), "pk")[:limit])
    changed = 0
    for report in list(reports):
        try:
            status = get_adapter(report.adapter).status(melding_key(report))
        except HandoffError as error:
            logger.warning("status of municipal report %s not read: %s", report.reference, error)
            continue
        if _save_status(report.pk, status):
            changed += 1
    return changed


def _save_status(report_id: int, status) -> bool:
    with transaction.atomic():
        report = MunicipalReport.objects.select_for_update().get(pk=report_id)
        report.status_checked_at = timezone.now()
        fields = ["status_checked_at"]
        new_status, new_text = status.status[:64], status.status_text[:300]
        is_change = (new_status, new_text) != (report.external_status, report.external_status_text)
        if status.key:
            report.external_id = external_id_for(Created(key=status.key, number=status.number or status.key))
            fields.append("external_id")
            is_change = True
        if is_change:
            report.external_status, report.external_status_text = new_status, new_text
            fields += ["external_status", "external_status_text"]
        report.save(update_fields=fields)
        if is_change:
            _notify(report)
    return is_change


# --- Staff --------------------------------------------------------------------------------------------------

def retry_report(*, report: MunicipalReport, actor) -> MunicipalReport:
    """Staff send a *failed* or *uncertain* row again (for *uncertain*: after checking that the municipality's
    system does not have it). The attempts start again from zero."""
    require(actor, "maps.triage", report.observation, _("U mag deze melding niet opnieuw versturen."))
    with transaction.atomic():
        locked = MunicipalReport.objects.select_for_update().get(pk=report.pk)
        if locked.state not in (State.FAILED, State.UNCERTAIN):
            raise WalkStateError(_("Alleen een mislukte of onzekere melding kan opnieuw worden verstuurd."),
                                 code="state")
        locked.state, locked.attempts, locked.next_attempt_at = State.PENDING, 0, timezone.now()
        locked.lease_until = None
        locked.save(update_fields=["state", "attempts", "next_attempt_at", "lease_until"])
        _send_after_commit(locked.pk)
    return locked


def link_report(*, report: MunicipalReport, actor, number: str, key: str = "") -> MunicipalReport:
    """Staff found the melding of an *uncertain* (or *failed*) row in the municipality's system: record it
    as sent (``key``: Signalen's UUID when it differs from the number), so nothing is sent again."""
    require(actor, "maps.triage", report.observation, _("U mag deze melding niet koppelen."))
    number = plain(number, field=_("meldingnummer"), max_length=40, required=True)
    key = plain(key, field=_("sleutel"), max_length=64)
    with transaction.atomic():
        locked = MunicipalReport.objects.select_for_update().get(pk=report.pk)
        if locked.state not in (State.FAILED, State.UNCERTAIN):
            raise WalkStateError(_("Alleen een mislukte of onzekere melding kan worden gekoppeld."), code="state")
        locked.lease_until = None
        _save_created(locked, Created(key=key or number, number=number), [])
    return locked
