"""Who hears of what happens in a discussion, and why (a mention, a reply, a comment on their object, a report).

Called by ``discussion.services`` inside its transactions; ``notify`` sends after commit.
"""

import re

from community.notifications.services import notify
from discussion.models import Comment, Thread
from discussion.notification_kinds import COMMENT_ON_MINE, MENTION, REPLY
from discussion.targets import target_for

# A name after "@": its first word is looked up as a first name. A person whose first name is not one such
# word cannot be mentioned (the autocomplete leaves them out: discussion.selectors.mention_suggestions).
MENTION_NAME = r"[^\s@,.:;!?]{2,40}"
_MENTION_RE = re.compile(rf"@({MENTION_NAME})")
MAX_MENTIONS = 10


def _mentioned_users(comment: Comment, thread: Thread) -> list:
    """People named as "@Voornaam Achternaam" in the comment: anyone who took part in the thread, and any
    resident of the thread's kern (the autocomplete offers them). Looked up by the first names written,
    so the cost does not grow with the size of the kern."""
    from django.db.models import Q

    from community.models import User

    first_names = list(dict.fromkeys(name.casefold() for name in _MENTION_RE.findall(comment.body)))[:MAX_MENTIONS]
    if not first_names:
        return []
    named = Q()
    for first_name in first_names:
        named |= Q(first_name__iexact=first_name)
    near = Q(pk__in=thread.comments.values("author_id"))
    if thread.kern_id:
        near |= Q(kern_id=thread.kern_id)
    text = comment.body.casefold()
    people = User.objects.filter(named, near, is_active=True).exclude(pk=comment.author_id).distinct()
    return [person for person in people if f"@{person.display_name.casefold()}" in text]


def tell_about_comment(comment: Comment, thread: Thread) -> None:
    """A new comment: those named in it, the author of the comment it answers, and the object's owners.
    Each person hears once, by the most personal reason (a mention before a reply before "on yours")."""
    author, body = comment.author, comment.body[:300]
    url = f"/gesprek/{thread.pk}/#reactie-{comment.pk}"
    visible = ("discussion.view_thread", thread)
    told = {author.pk}
    mentioned = [person for person in _mentioned_users(comment, thread) if person.pk not in told]
    notify(kind=MENTION, recipients=mentioned, params={"name": author.display_name}, body=body, url=url,
           kern=thread.kern_id, actor=author, event_key=f"comment:{comment.pk}", visible=visible)
    told |= {person.pk for person in mentioned}
    if comment.parent_id and comment.parent.author_id not in told:
        notify(kind=REPLY, recipients=[comment.parent.author], params={"name": author.display_name}, body=body,
               url=url, kern=thread.kern_id, actor=author, event_key=f"comment:{comment.pk}", visible=visible)
        told.add(comment.parent.author_id)
    spec = target_for(thread.content_type.model_class())
    if spec is not None and spec.owners_of is not None and thread.target is not None:
        owners = [person for person in spec.owners_of(thread.target) if person.pk not in told]
        notify(kind=COMMENT_ON_MINE, recipients=owners,
               params={"name": author.display_name, "title": str(thread.target)}, body=body, url=url,
               kern=thread.kern_id, actor=author, event_key=f"comment:{comment.pk}", visible=visible)



def moderators_to_tell(kern_id: int | None) -> list:
    """Who hears of a report first: the kern's council; staff for a kern without one (or no kern)."""
    from community.models import User
    from community.selectors import council_of

    return council_of(kern_id) or list(User.objects.filter(is_staff=True, is_active=True))
