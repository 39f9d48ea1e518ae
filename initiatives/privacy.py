"""A resident's initiatives data for "my data": export it, and forget them on erasure.

Erasure keeps what neighbours share (a public initiative, its updates, collected money) with the person
taken out: the account row is anonymised by ``community.privacy``. What only concerned them goes:
supports, follows, pledge messages, their place on a team, and drafts nobody else worked on. Pledges that
were not collected yet are withdrawn (their matching goes back to the fund): nobody can collect them now.
"""

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q

from community.privacy import iso
from core.pagecache import invalidate_pages_after_commit
from initiatives.models import Follow, Initiative, InitiativeUpdate, Pledge, Status, Support
from initiatives.services._common import record_event
from initiatives.services.pledges import withdraw_all_pledges_of


def export_personal_data(user) -> dict:
    initiatives = (Initiative.objects.filter(Q(initiator=user) | Q(co_initiators=user)).distinct()
                   .select_related("kern").order_by("created_at"))
    return {
        "initiatives": [
            {"title": i.title, "kern": i.kern.name, "status": i.status, "created_at": iso(i.created_at),
             "role": "initiator" if i.initiator_id == user.pk else "co-initiator", "summary": i.summary,
             "story": i.story}
            for i in initiatives
        ],
        "pledges": [
            {"initiative": p.initiative.title, "kind": p.kind, "amount": str(p.amount) if p.amount else None,
             "hours": p.hours, "materials": p.materials, "message": p.message, "status": p.status,
             "created_at": iso(p.created_at)}
            for p in Pledge.objects.filter(pledger=user).select_related("initiative").order_by("created_at")
        ],
        "supports": [{"initiative": s.initiative.title, "created_at": iso(s.created_at)}
                     for s in Support.objects.filter(user=user).select_related("initiative")],
        "follows": [{"initiative": f.initiative.title, "created_at": iso(f.created_at)}
                    for f in Follow.objects.filter(user=user).select_related("initiative")],
        "updates": [{"initiative": u.initiative.title, "title": u.title, "body": u.body,
                     "created_at": iso(u.created_at)}
                    for u in InitiativeUpdate.objects.filter(author=user).select_related("initiative")],
    }


def erase_personal_data(user) -> None:
    """Precondition: inside the erasure's transaction (``community.privacy.erase_account``)."""
    withdraw_all_pledges_of(user=user)
    Pledge.objects.filter(pledger=user).update(message="")
    Support.objects.filter(user=user).delete()
    Follow.objects.filter(user=user).delete()
    for initiative in Initiative.objects.filter(co_initiators=user):
        initiative.co_initiators.remove(user)
        record_event(initiative=initiative, actor=None, action="co_initiator_left")
    own_drafts = (Initiative.objects.filter(initiator=user, status=Status.DRAFT, co_initiators__isnull=True)
                  .prefetch_related("photos"))
    names = [rendition["name"] for initiative in own_drafts for photo in initiative.photos.all()
             for rendition in photo.renditions or []]
    own_drafts.delete()
    transaction.on_commit(lambda: [default_storage.delete(name) for name in names])
    invalidate_pages_after_commit()
