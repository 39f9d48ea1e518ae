"""Every change to a discussion: written under a transaction, announced live after commit.

Live payloads are fit for every reader of the thread (consumers relay without filtering): a hidden
or deleted comment is announced by id only; its author and moderators fetch their own view over
HTTP (see docs/decisions/0006-discussion-live-payloads.md).
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community.notifications.services import notify, resolve
from core.pagecache import invalidate_pages_after_commit
from core.permissions import require
from discussion.models import Comment, Flag, KernBlock, PostingLock, Reaction, Thread
from discussion.notices import moderators_to_tell, tell_about_comment
from discussion.notification_kinds import COMMENT_HIDDEN, COMMENT_RESTORED, FLAGGED
from discussion.targets import target_for
from discussion.text import render_body
from live import presence
from live.services import publish, rewrite_subject, write_seen

MAX_BODY = 5000
PRESENCE_DELAY = 1.5  # seconds; longer than the one-second announcement claim


class RateLimited(ValidationError):
    """Too many comments in a short time."""


def rate_limit() -> tuple[int, int]:
    """(comments, seconds): how many comments one person may post per period."""
    return getattr(settings, "DISCUSSION_RATE_LIMIT", (10, 60))


def _announce(*, stream: str, type: str, data: dict, subject: str = "", client_key: str = "") -> None:
    """Publish a thread event; the pages that show the thread (cached for anonymous visitors) are stale."""
    publish(stream=stream, type=type, data=data, subject=subject, client_key=client_key)
    invalidate_pages_after_commit()


# Events that carry a comment's text: rewritten whenever the comment changes (see _rewrite_history).
CONTENT_EVENTS = ("comment.created", "comment.edited", "comment.restored")


def comment_subject(comment_id: int) -> str:
    return f"comment:{comment_id}"


def redacted_comment_data(comment: Comment) -> dict:
    """What the stored events of a hidden or deleted comment keep: its place in the thread, no text, no author."""
    return {
        "id": comment.pk,
        "parent_id": comment.parent_id,
        "author": "",
        "author_id": None,
        "body_html": "",
        "created_at": comment.created_at.isoformat(),
        "edited_at": None,
        "redacted": True,
    }


def _rewrite_history(comment: Comment) -> None:
    """Bring the stored events of ``comment`` in line with what a fresh fetch shows now.

    Runs in the transaction of the change: replay from any point then never sends hidden or deleted
    text, or an older version of an edited one (docs/decisions/0015-replay-equals-a-fresh-fetch.md).
    """
    data = comment_data(comment) if comment.is_public else redacted_comment_data(comment)
    rewrite_subject(stream=f"thread.{comment.thread_id}", subject=comment_subject(comment.pk),
                    types=CONTENT_EVENTS, data=data)


def get_or_create_thread(*, target) -> Thread:
    """The thread of ``target`` (created on first use). Precondition: the target's model is registered."""
    spec = target_for(target)
    if spec is None:
        raise ValueError(f"No discussion on {target._meta.label}")
    content_type = ContentType.objects.get_for_model(target)
    thread, created = Thread.objects.get_or_create(
        content_type=content_type, object_id=target.pk, defaults={"kern_id": spec.kern_id_of(target)}
    )
    if created:
        invalidate_pages_after_commit()  # pages keep whether their object has a thread (selectors.find_thread)
    # Assigning the generic relation caches the object and its content type: the rules that read
    # ``thread.target`` and ``thread.content_type`` then cost no query.
    thread.target = target
    return thread


def comment_data(comment: Comment, *, counts: dict[str, int] | None = None) -> dict:
    """What every reader of the thread may see of a public comment (``counts``: its reactions now)."""
    return {
        "id": comment.pk,
        "parent_id": comment.parent_id,
        "author": comment.author.display_name,
        "author_id": comment.author_id,
        "body_html": comment.body_html,
        "created_at": comment.created_at.isoformat(),
        "edited_at": comment.edited_at.isoformat() if comment.edited_at else None,
        "counts": reaction_counts(comment.pk) if counts is None else counts,
    }


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Schrijf eerst uw reactie."), code="empty")
    if len(body) > MAX_BODY:
        raise ValidationError(_("Uw reactie is te lang (hoogstens %(max)s tekens).") % {"max": MAX_BODY}, code="long")
    return body


def _require(user, perm: str, obj) -> None:
    require(user, perm, obj)


def post_comment(*, thread: Thread, author, body: str, parent: Comment | None = None, client_key: str = "") -> Comment:
    """Write a comment (or a reply). A repeated ``client_key`` of the same author returns the first one.

    Raises PermissionDenied (not allowed), ValidationError (bad input) or RateLimited.
    """
    body = _clean_body(body)
    client_key = (client_key or "")[:64]
    # The thread may have been closed since the caller loaded it: ask the rules about its state now.
    thread.is_closed = Thread.objects.values_list("is_closed", flat=True).get(pk=thread.pk)
    _require(author, "discussion.post_comment", thread)
    if parent is not None:
        if parent.thread_id != thread.pk or not parent.is_public:
            raise ValidationError(_("U kunt niet op deze reactie antwoorden."), code="parent")
        if parent.parent_id is not None:  # replies stay one level deep: answer the first comment
            parent = parent.parent
    limit, seconds = rate_limit()
    with transaction.atomic():
        PostingLock.objects.get_or_create(user=author)
        PostingLock.objects.select_for_update().get(user=author)
        if client_key:
            earlier = Comment.objects.filter(author=author, client_key=client_key).first()
            if earlier is not None:
                return earlier
        since = timezone.now() - timedelta(seconds=seconds)
        if Comment.objects.filter(author=author, created_at__gte=since).count() >= limit:
            raise RateLimited(_("U plaatst veel reacties kort na elkaar. Wacht even en probeer het opnieuw."),
                              code="rate_limited")
        try:
            with transaction.atomic():
                comment = Comment.objects.create(
                    thread=thread, author=author, parent=parent, body=body, body_html=render_body(body),
                    client_key=client_key,
                )
        except IntegrityError:
            return Comment.objects.get(author=author, client_key=client_key)
        _announce(stream=thread.stream, type="comment.created",
                  data=comment_data(comment, counts=dict.fromkeys(Reaction.Kind.values, 0)),
                  subject=comment_subject(comment.pk), client_key=client_key)
        tell_about_comment(comment, thread)
    return comment


def edit_comment(*, comment: Comment, editor, body: str, client_key: str = "") -> Comment:
    """Change the text. A repeated ``client_key`` (a retry after a lost answer) returns the comment unchanged."""
    body = _clean_body(body)
    client_key = (client_key or "")[:64]
    _require(editor, "discussion.edit_comment", comment)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().select_related("author").get(pk=comment.pk)
        stream, subject = f"thread.{comment.thread_id}", comment_subject(comment.pk)
        if write_seen(stream=stream, subject=subject, type="comment.edited", client_key=client_key):
            return comment
        comment.body, comment.body_html, comment.edited_at = body, render_body(body), timezone.now()
        comment.save(update_fields=["body", "body_html", "edited_at"])
        _rewrite_history(comment)
        _announce(stream=stream, type="comment.edited", data=comment_data(comment), subject=subject,
                  client_key=client_key)
    return comment


def delete_comment(*, comment: Comment, user) -> Comment:
    """Soft delete: the text goes, the place in the thread stays ("reactie verwijderd")."""
    _require(user, "discussion.delete_comment", comment)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if comment.deleted_at is None:
            comment.deleted_at = timezone.now()
            comment.save(update_fields=["deleted_at"])
            _rewrite_history(comment)
            _announce(stream=f"thread.{comment.thread_id}", type="comment.deleted", data={"id": comment.pk},
                      subject=comment_subject(comment.pk))
    return comment


def reaction_counts(comment_id: int) -> dict[str, int]:
    counts = dict.fromkeys(Reaction.Kind.values, 0)
    for kind in Reaction.objects.filter(comment_id=comment_id).values_list("kind", flat=True):
        counts[kind] += 1
    return counts


def toggle_reaction(*, comment: Comment, user, kind: str) -> bool:
    """Add the reaction, or take it back if it was there. Returns whether it is there now."""
    if kind not in Reaction.Kind.values:
        raise ValidationError(_("Onbekende reactie."), code="kind")
    _require(user, "discussion.react_comment", comment)
    with transaction.atomic():
        Comment.objects.select_for_update().get(pk=comment.pk)
        deleted, _detail = Reaction.objects.filter(comment=comment, user=user, kind=kind).delete()
        if not deleted:
            Reaction.objects.create(comment=comment, user=user, kind=kind)
        _announce(stream=f"thread.{comment.thread_id}", type="reaction.changed",
                  data={"comment_id": comment.pk, "counts": reaction_counts(comment.pk)},
                  subject=comment_subject(comment.pk))
    return not deleted


def flag_comment(*, comment: Comment, reporter, reason: str) -> Flag:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Vertel kort wat er mis is met deze reactie."), code="empty")
    if len(reason) > 500:
        raise ValidationError(_("Houd de reden korter dan 500 tekens."), code="long")
    _require(reporter, "discussion.flag_comment", comment)
    with transaction.atomic():
        # Under the comment's lock: of two first reports at the same moment, one tells the council.
        Comment.objects.select_for_update().filter(pk=comment.pk).exists()
        already_reported = comment.flags.filter(resolved_at__isnull=True).exists()
        flag, created = Flag.objects.get_or_create(comment=comment, reporter=reporter, defaults={"reason": reason})
        if not created and flag.resolved_at is not None:
            flag.reason, flag.resolved_at, flag.resolved_by = reason, None, None
            flag.save(update_fields=["reason", "resolved_at", "resolved_by"])
        if not already_reported:
            thread = comment.thread
            notify(kind=FLAGGED, recipients=moderators_to_tell(thread.kern_id),
                   params={"title": str(thread.target) if thread.target is not None else ""}, body=reason,
                   url=f"/gesprek/{thread.pk}/#reactie-{comment.pk}", kern=thread.kern_id, actor=reporter,
                   about=comment_subject(comment.pk), visible=("discussion.moderate_thread", thread))
    return flag


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Geef een reden; de schrijver krijgt die te zien."), code="empty")
    return reason[:300]


def hide_comment(*, comment: Comment, moderator, reason: str) -> Comment:
    reason = _reason(reason)
    _require(moderator, "discussion.moderate_thread", comment.thread)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        comment.hidden_at, comment.hidden_reason, comment.hidden_by = timezone.now(), reason, moderator
        comment.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
        comment.flags.filter(resolved_at__isnull=True).update(resolved_at=timezone.now(), resolved_by=moderator)
        _rewrite_history(comment)
        _announce(stream=f"thread.{comment.thread_id}", type="comment.hidden", data={"id": comment.pk},
                  subject=comment_subject(comment.pk))
        resolve(about=comment_subject(comment.pk), kinds_=[FLAGGED])
        notify(kind=COMMENT_HIDDEN, recipients=[comment.author], body=reason, actor=moderator,
               url=f"/gesprek/{comment.thread_id}/#reactie-{comment.pk}", kern=comment.thread.kern_id)
    return comment


def restore_comment(*, comment: Comment, moderator, reason: str) -> Comment:
    reason = _reason(reason)
    _require(moderator, "discussion.moderate_thread", comment.thread)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().select_related("author").get(pk=comment.pk)
        comment.hidden_at, comment.hidden_reason, comment.hidden_by = None, reason, None
        comment.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
        comment.flags.filter(resolved_at__isnull=True).update(resolved_at=timezone.now(), resolved_by=moderator)
        if comment.is_public:
            _rewrite_history(comment)
            _announce(stream=f"thread.{comment.thread_id}", type="comment.restored", data=comment_data(comment),
                      subject=comment_subject(comment.pk))
        resolve(about=comment_subject(comment.pk), kinds_=[FLAGGED])
        notify(kind=COMMENT_RESTORED, recipients=[comment.author], body=reason, actor=moderator,
               url=f"/gesprek/{comment.thread_id}/#reactie-{comment.pk}", kern=comment.thread.kern_id)
    return comment


def dismiss_flags(*, comment: Comment, moderator) -> int:
    _require(moderator, "discussion.moderate_thread", comment.thread)
    with transaction.atomic():
        resolve(about=comment_subject(comment.pk), kinds_=[FLAGGED])
        return comment.flags.filter(resolved_at__isnull=True).update(resolved_at=timezone.now(),
                                                                     resolved_by=moderator)


def close_thread(*, thread: Thread, moderator, reason: str, closed: bool = True) -> Thread:
    _require(moderator, "discussion.moderate_thread", thread)
    reason = _reason(reason) if closed else ""
    with transaction.atomic():
        thread = Thread.objects.select_for_update().get(pk=thread.pk)
        thread.is_closed, thread.closed_reason = closed, reason
        thread.save(update_fields=["is_closed", "closed_reason"])
        _announce(stream=thread.stream, type="thread.closed" if closed else "thread.reopened", data={"reason": reason})
    return thread


def block_user(*, kern, user, moderator, reason: str) -> KernBlock:
    reason = _reason(reason)
    _require(moderator, "community.moderate_kern", kern)
    if user.pk == moderator.pk:
        raise ValidationError(_("U kunt uzelf niet blokkeren."), code="self")
    block, _created = KernBlock.objects.update_or_create(
        kern=kern, user=user, defaults={"reason": reason, "blocked_by": moderator}
    )
    return block


def unblock_user(*, kern, user, moderator) -> int:
    _require(moderator, "community.moderate_kern", kern)
    deleted, _detail = KernBlock.objects.filter(kern=kern, user=user).delete()
    return deleted


def _presence_key(thread_id: int) -> str:
    return f"thread.{thread_id}"


def join_presence(*, thread_id: int, member: str) -> bool:
    """Count one more viewer (``member``: the connection's channel name). Returns whether to announce.

    Entries expire unless refreshed (``refresh_presence``), so a count heals by itself after a crashed
    worker or a Redis outage (live/presence.py).
    """
    presence.touch(_presence_key(thread_id), member)
    return _claim_announcement(thread_id)


def refresh_presence(*, thread_id: int, member: str) -> bool:
    """Keep this viewer's entry alive. Returns whether to announce (only when the count changed)."""
    presence.touch(_presence_key(thread_id), member)
    if cache.get(f"discussion:presence-announced:{thread_id}") == presence_count(thread_id):
        return False
    return _claim_announcement(thread_id)


def leave_presence(*, thread_id: int, member: str) -> bool:
    presence.remove(_presence_key(thread_id), member)
    return _claim_announcement(thread_id)


def _claim_announcement(thread_id: int) -> bool:
    """At most one presence announcement per thread per second, whatever the number of joins.

    Two hundred people opening a page at once would otherwise send 200 x 200 presence messages. The
    one caller that claims the second announces after ``PRESENCE_DELAY`` (longer than the claim), so
    it reads every change made while the claim held; later changes claim a new announcement.
    """
    return cache.add(f"discussion:presence-claim:{thread_id}", 1, timeout=1)


def presence_count(thread_id: int) -> int:
    return presence.count(_presence_key(thread_id))


def announce_presence(*, thread_id: int) -> int:
    """Tell everyone following the thread how many follow it now (not persisted: a count is only "now")."""
    count = presence_count(thread_id)
    publish(stream=f"thread.{thread_id}", type="presence", data={"count": count}, persist=False)
    cache.set(f"discussion:presence-announced:{thread_id}", count, timeout=3600)
    return count


def post_first_comment(*, target, author, body: str, client_key: str = "") -> Comment:
    """The first comment on ``target``: creates its thread and the comment in one transaction.

    Pages never create a thread while they render; the empty thread's form posts here. The rule is asked
    about the thread ``target`` would have before anything is written, so a refusal (or bad input, or the
    rate limit) leaves no empty thread behind. Raises what ``post_comment`` raises.
    """
    spec = target_for(target)
    if spec is None:
        raise ValueError(f"No discussion on {target._meta.label}")
    body = _clean_body(body)
    would_be = Thread(content_type=ContentType.objects.get_for_model(target), object_id=target.pk,
                      kern_id=spec.kern_id_of(target))
    would_be.target = target
    require(author, "discussion.post_comment", would_be)
    with transaction.atomic():
        thread = get_or_create_thread(target=target)
        return post_comment(thread=thread, author=author, body=body, client_key=client_key)
