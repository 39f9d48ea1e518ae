"""Reading discussions in a fixed number of queries, whatever the number of comments."""

from collections import defaultdict

from django.conf import settings
from django.db.models import CharField, Count, Exists, OuterRef, Prefetch, Q, Value
from django.db.models.functions import Cast, Concat, Lower

from discussion.models import Comment, Flag, Reaction, Thread
from discussion.notices import MENTION_NAME

MENTION_SUGGESTIONS = 8


def find_thread(*, target) -> Thread | None:
    """The thread of ``target`` if it has one (read only: a page that shows a thread never creates it)."""
    from django.contrib.contenttypes.models import ContentType

    from core.pagecache import shared_value

    content_type = ContentType.objects.get_for_model(target)
    # Most things have no thread until someone writes; where pages are kept, whether one exists is kept for the
    # page generation (creating a thread starts a new one: discussion.services.get_or_create_thread), so their
    # pages ask nothing. Where nothing is kept, the query below answers it.
    if settings.ANONYMOUS_PAGE_CACHE_SECONDS and not shared_value(
            "has-thread", content_type.pk, target.pk,
            compute=lambda: Thread.objects.filter(content_type=content_type, object_id=target.pk).exists()):
        return None
    found = list(_threads_with_position().filter(content_type=content_type, object_id=target.pk)[:1])
    thread = found[0] if found else None
    if thread is not None:
        thread.target = target  # cached: the rules that read the target cost no query
    return thread


_with_position: list = []  # [queryset], built once per process: building the subquery costs more than running it


def _threads_with_position():
    """Threads with ``known_last_seq``, their live stream's position. It is read with the thread, before the
    comments: a comment written in between is then both on the page and replayed (the page merges it by id),
    never missing from both."""
    from live.services import last_seq_subquery

    if not _with_position:
        stream = Concat(Value("thread."), Cast(OuterRef("pk"), output_field=CharField()))
        _with_position.append(Thread.objects.annotate(known_last_seq=last_seq_subquery(stream)))
    return _with_position[0]


def visible_to(user, comment: Comment, *, moderator: bool) -> bool:
    """Whether ``user`` sees the text of ``comment`` (deleted comments show only a placeholder)."""
    if comment.is_deleted:
        return False
    if comment.is_hidden:
        return moderator or (user.is_authenticated and comment.author_id == user.pk)
    return True


def thread_comments(thread: Thread, user, *, moderator: bool) -> list[Comment]:
    """Top-level comments with ``replies_list``, ``counts`` and ``mine`` (the user's reactions) attached.

    Hidden comments are kept only for their author and moderators; deleted ones stay as placeholders
    when they have replies. Two queries.
    """
    comments = list(Comment.objects.filter(thread=thread).select_related("author").order_by("created_at", "pk"))
    ids = [c.pk for c in comments]
    counts, mine = defaultdict(dict), defaultdict(set)
    # The counts and the person's own reactions in one pass (a visitor has none).
    own = Count("pk", filter=Q(user=user)) if user.is_authenticated else Value(0)
    for row in Reaction.objects.filter(comment_id__in=ids).values("comment_id", "kind").annotate(n=Count("pk"),
                                                                                                 own=own):
        counts[row["comment_id"]][row["kind"]] = row["n"]
        if row["own"]:
            mine[row["comment_id"]].add(row["kind"])
    by_id, top = {}, []
    for comment in comments:
        comment.counts = [(kind, label, counts[comment.pk].get(kind, 0)) for kind, label in Reaction.Kind.choices]
        comment.mine = mine[comment.pk]
        comment.replies_list = []
        comment.shown = visible_to(user, comment, moderator=moderator)
        by_id[comment.pk] = comment
    for comment in comments:
        if comment.is_hidden and not comment.shown:
            continue
        if comment.parent_id and comment.parent_id in by_id:
            by_id[comment.parent_id].replies_list.append(comment)
        elif not comment.parent_id:
            top.append(comment)
    return [c for c in top if not c.is_deleted or any(r.shown for r in c.replies_list)]


def moderation_queue(user):
    """Comments with open flags in the kernen ``user`` moderates (staff: all), oldest first."""
    from community.rules import council_kern_ids, is_staff

    # Exists, not a join on flags: a join's "resolved_at is null" also matches comments without any flag.
    comments = Comment.objects.filter(Exists(Flag.objects.filter(comment=OuterRef("pk"), resolved_at__isnull=True)))
    if not is_staff(user):
        comments = comments.filter(thread__kern_id__in=council_kern_ids(user))
    return (
        comments.annotate(open_flags=Count("flags", filter=Q(flags__resolved_at__isnull=True)))
        .select_related("author", "thread", "thread__kern", "thread__content_type")
        .prefetch_related(
            Prefetch(
                "flags", queryset=Flag.objects.filter(resolved_at__isnull=True).select_related("reporter"),
                to_attr="open_flag_list",
            )
        )
        .distinct()
        .order_by("created_at")
    )


def mention_suggestions(*, thread: Thread, prefix: str, requester) -> list[dict]:
    """Who ``requester`` can name with "@" in ``thread``, for the autocomplete of the comment form.

    Active residents of the thread's kern and people with a visible comment in the thread (from any kern)
    whose first name, last name (or a later word of it: "vr" finds "de Vries") or full name starts with
    ``prefix`` (already stripped and casefolded by the caller); never ``requester``, nobody whose first
    name cannot be mentioned (``discussion.notices``). Those who took part first, then by name; at most
    ``MENTION_SUGGESTIONS``. Each is ``{"label": display name, "kern": kern name or ""}``, nothing more.

    One query for a thread everyone may read. A thread only some may read (a draft initiative) offers
    only its readers, as a mention tells only them: the rule is asked of each of the (at most eight)
    people found, so the cost is bounded whatever the size of the kern.
    """
    from django.contrib.auth.models import AnonymousUser

    from community.models import User
    from core.permissions import may

    took_part = Exists(Comment.objects.filter(thread_id=thread.pk, author_id=OuterRef("pk"),
                                              hidden_at__isnull=True, deleted_at__isnull=True))
    near = Q(took_part=True)
    if thread.kern_id is not None:
        near |= Q(kern_id=thread.kern_id)
    named = (Q(first_name__istartswith=prefix) | Q(last_name__istartswith=prefix)
             | Q(last_name__icontains=f" {prefix}") | Q(full_name__istartswith=prefix))
    people = list(
        User.objects.filter(is_active=True, first_name__regex=rf"^{MENTION_NAME}$")
        .exclude(pk=requester.pk)
        .annotate(took_part=took_part, full_name=Concat("first_name", Value(" "), "last_name"))
        .filter(near, named)
        .select_related("kern")
        .order_by("-took_part", Lower("first_name"), Lower("last_name"), "pk")[:MENTION_SUGGESTIONS]
    )
    if not may(AnonymousUser(), "discussion.view_thread", thread):
        people = [person for person in people if may(person, "discussion.view_thread", thread)]
    return [{"label": person.display_name, "kern": person.kern.name if person.kern else ""} for person in people]
