"""Asking people how an encounter was, and taking their answer. The only place that writes feedback.

``invite`` gives each person one invitation per encounter, with a one-time link (a random token of
256 bits; only its hash is stored) and tells them through the notification mechanism. ``answer`` takes
one answer per invitation: by the link without an account, or as the signed-in person who was invited.
The invitation row is locked while it is used, so two parallel submits give one answer.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from community.notifications.services import notify, resolve
from community.rules import kern_id_of
from core.text import clean_plain_text
from lab.feedback.subjects import UnknownSubject, get_subject
from lab.models import QUESTIONS, TEXT_MAX_LENGTH, FeedbackAnswer, FeedbackInvitation
from lab.notification_kinds import FEEDBACK_ASKED

TOKEN_BYTES = 32  # 256 bits from the operating system's random source
# Pasted text far beyond the limit is refused before it is cleaned.
RAW_TEXT_LIMIT = 10 * TEXT_MAX_LENGTH


class FeedbackError(ValidationError):
    """A refusal with a plain Dutch message; raising one changes nothing."""


class InvalidLink(FeedbackError):
    """The link's token matches no invitation (mistyped, forged, or the invitation was erased)."""


class NotInvited(FeedbackError):
    """This person was not asked about this encounter."""


class AlreadyAnswered(FeedbackError):
    """The invitation was used before: nothing changes."""


class SubjectGone(FeedbackError):
    """The encounter is not (or no longer) known."""


@dataclass(frozen=True)
class Invited:
    invitation: FeedbackInvitation
    created: bool
    link: str  # the one-time link's path; "" for an invitation made before (its token is not kept)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def link_for(token: str) -> str:
    return reverse("lab:feedback_by_link", args=[token])


def about(invitation: FeedbackInvitation) -> str:
    """What the invitation's notification is about, so answering settles it."""
    return f"lab.feedback_invitation:{invitation.pk}"


def _subject_and_object(kind: str, object_id: int):
    try:
        subject = get_subject(kind)
    except UnknownSubject:
        raise SubjectGone(_("Deze bijeenkomst kennen wij niet."), code="unknown_subject") from None
    obj = subject.object(object_id)
    if obj is None:
        raise SubjectGone(_("Deze bijeenkomst bestaat niet meer."), code="subject_gone")
    return subject, obj


def invite(*, kind: str, object_id: int, users: Iterable, send: bool = True) -> list[Invited]:
    """Ask each of ``users`` once how the encounter ``(kind, object_id)`` was.

    Idempotent: a person who already has an invitation for it keeps that one and is not told again.
    With ``send`` each new invitee gets a notification (and e-mail) with their one-time link, after
    commit; without it the caller hands out the returned links itself (on paper, as a QR code).
    """
    subject, obj = _subject_and_object(kind, object_id)
    people = {user.pk: user for user in users if user is not None and user.pk is not None}
    result = []
    with transaction.atomic():
        existing = {invitation.user_id: invitation for invitation in FeedbackInvitation.objects.filter(
            subject_kind=kind, subject_id=object_id, user_id__in=list(people))}
        for user_pk, user in sorted(people.items()):
            if user_pk in existing:
                result.append(Invited(existing[user_pk], created=False, link=""))
                continue
            token = secrets.token_urlsafe(TOKEN_BYTES)
            try:
                with transaction.atomic():  # a parallel invite of the same person: theirs stands
                    invitation = FeedbackInvitation.objects.create(
                        subject_kind=kind, subject_id=object_id, user=user, token_hash=hash_token(token))
            except IntegrityError:
                invitation = FeedbackInvitation.objects.get(subject_kind=kind, subject_id=object_id, user=user)
                result.append(Invited(invitation, created=False, link=""))
                continue
            link = link_for(token)
            result.append(Invited(invitation, created=True, link=link))
            if send:
                notify(kind=FEEDBACK_ASKED, recipients=[user], url=link, kern=kern_id_of(obj),
                       about=about(invitation), event_key=f"lab.feedback:{invitation.pk}",
                       params={"kind": kind, "title": str(subject.title(obj))})
    return result


def open_link(*, kind: str, object_id: int, invitation: FeedbackInvitation | None = None) -> Invited:
    """A one-time link for someone without an account (on their own screen, or on paper).

    With ``invitation`` (made before for the same device or person), that invitation gets a new link instead of a
    second invitation: the old link stops working, so one person still gives at most one answer. Precondition:
    the caller keeps ``invitation`` with whoever it belongs to, under a lock.
    """
    _subject_and_object(kind, object_id)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    if invitation is None:
        invitation = FeedbackInvitation.objects.create(subject_kind=kind, subject_id=object_id, user=None,
                                                       token_hash=hash_token(token))
        return Invited(invitation, created=True, link=link_for(token))
    if (invitation.subject_kind, invitation.subject_id) != (kind, object_id):
        raise FeedbackError(_("Deze uitnodiging hoort bij iets anders."), code="invalid_link")
    invitation.token_hash = hash_token(token)
    invitation.save(update_fields=["token_hash"])
    return Invited(invitation, created=False, link=link_for(token))


def invitation_for_token(token: str) -> FeedbackInvitation:
    """The invitation a link belongs to; ``InvalidLink`` when none does."""
    invitation = FeedbackInvitation.objects.filter(token_hash=hash_token(token or "")).first() if token else None
    if invitation is None:
        raise InvalidLink(_("Deze link werkt niet. Controleer of u de hele link heeft gekopieerd."),
                          code="invalid_link")
    return invitation


def clean_answer(*, choices: dict, text: str) -> tuple[dict, str]:
    """The three choices checked against their questions and the text made plain; ``FeedbackError`` if not."""
    cleaned = {}
    for name, _question, options in QUESTIONS:
        value = choices.get(name)
        if value not in options.values:
            raise FeedbackError(_("Kies bij elke vraag één antwoord."), code="invalid_choice")
        cleaned[name] = value
    text = text or ""
    if len(text) > RAW_TEXT_LIMIT:
        raise FeedbackError(_("Uw tekst is te lang. Schrijf hooguit %(n)s tekens.") % {"n": TEXT_MAX_LENGTH},
                            code="text_too_long")
    text = clean_plain_text(text)
    if len(text) > TEXT_MAX_LENGTH:
        raise FeedbackError(_("Uw tekst is te lang. Schrijf hooguit %(n)s tekens.") % {"n": TEXT_MAX_LENGTH},
                            code="text_too_long")
    return cleaned, text


def _lock_invitation(*, token: str | None, user, kind: str, object_id: int) -> FeedbackInvitation:
    """The invitation that lets this answer in, locked until the transaction ends (call inside ``atomic``)."""
    invitations = FeedbackInvitation.objects.select_for_update().filter(subject_kind=kind, subject_id=object_id)
    if token:
        invitation = invitations.filter(token_hash=hash_token(token)).first()
        if invitation is None:
            raise InvalidLink(_("Deze link werkt niet. Controleer of u de hele link heeft gekopieerd."),
                              code="invalid_link")
        return invitation
    if user is not None and user.is_authenticated:
        invitation = invitations.filter(user=user).first()
        if invitation is not None:
            return invitation
    raise NotInvited(_("U kunt hier niet antwoorden: u bent niet uitgenodigd voor deze bijeenkomst."),
                     code="not_invited")


def answer(*, token: str | None = None, user=None, kind: str, object_id: int, experience: str, heard: str,
           again: str, text: str = "") -> FeedbackAnswer:
    """Take one answer about ``(kind, object_id)``: with the link's ``token``, or as the invited ``user``.

    The answer keeps no trace of who gave it; the invitation only records that it was used. A second
    answer with the same invitation raises ``AlreadyAnswered`` and changes nothing.
    """
    choices, text = clean_answer(choices={"experience": experience, "heard": heard, "again": again}, text=text)
    _subject_and_object(kind, object_id)
    with transaction.atomic():
        invitation = _lock_invitation(token=token, user=user, kind=kind, object_id=object_id)
        if invitation.answered_at is not None:
            raise AlreadyAnswered(_("U heeft al geantwoord. Dank u wel!"), code="already_answered")
        return _record_answer(invitation=invitation, choices=choices, text=text)


def _record_answer(*, invitation: FeedbackInvitation, choices: dict, text: str) -> FeedbackAnswer:
    """Precondition: ``invitation`` is locked and not used yet."""
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["answered_at"])
    feedback = FeedbackAnswer.objects.create(subject_kind=invitation.subject_kind,
                                             subject_id=invitation.subject_id,
                                             answered_on=timezone.localdate(), text=text, **choices)
    resolve(about=about(invitation), kinds_=[FEEDBACK_ASKED])
    return feedback
