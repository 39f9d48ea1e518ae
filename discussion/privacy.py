"""A resident's discussion data for "my data": export it, and forget them on erasure.

Comments stay in their conversation (others replied to them) and flags stay with the moderators, both
under the anonymised account that ``community.privacy`` leaves; reactions and blocks go.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from community.privacy import iso
from discussion.models import Comment, Flag, KernBlock, Reaction
from live.models import LiveEvent


def export_personal_data(user) -> dict:
    return {
        "comments": [
            {"conversation": str(c.thread.target) if c.thread.target is not None else None, "text": c.body,
             "created_at": iso(c.created_at), "edited_at": iso(c.edited_at), "deleted_at": iso(c.deleted_at),
             "hidden_at": iso(c.hidden_at), "hidden_reason": c.hidden_reason}
            for c in Comment.objects.filter(author=user).select_related("thread").prefetch_related("thread__target")
                      .order_by("created_at")
        ],
        "reactions": [{"comment": r.comment_id, "kind": r.kind, "created_at": iso(r.created_at)}
                      for r in Reaction.objects.filter(user=user)],
        "flags": [{"comment": f.comment_id, "reason": f.reason, "created_at": iso(f.created_at)}
                  for f in Flag.objects.filter(reporter=user)],
        "blocks": [{"kern": b.kern.name, "reason": b.reason, "created_at": iso(b.created_at)}
                   for b in KernBlock.objects.filter(user=user).select_related("kern")],
    }


def erase_personal_data(user) -> None:
    # The comments stay, but the stored live events that replay them must not name the person.
    with translation.override(settings.LANGUAGE_CODE):  # stored, so in the site's own language
        erased_name = gettext("Voormalig deelnemer")
    for event in LiveEvent.objects.filter(stream__startswith="thread.", payload__author_id=user.pk):
        event.payload["author"] = erased_name
        event.save(update_fields=["payload"])
    Reaction.objects.filter(user=user).delete()
    KernBlock.objects.filter(user=user).delete()
