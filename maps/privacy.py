"""A resident's walks data for "my data": export it, and forget them on erasure.

What a walker saw was shared with the council and the municipality (it may have become a melding):
erasure keeps the observation and its photos and takes the person out of it, as with comments.
Sign-ups and organiser places only concerned them, and go.
"""

from django.db import transaction

from community.privacy import iso
from core.pagecache import invalidate_pages_after_commit
from maps.models import Observation, Walk, WalkSignup


def export_personal_data(user) -> dict:
    return {
        "walk_signups": [{"walk": s.walk.title, "kern": s.walk.kern.name, "starts_at": iso(s.walk.starts_at),
                          "signed_up_at": iso(s.created_at)}
                         for s in WalkSignup.objects.filter(user=user).select_related("walk__kern")],
        "walks_organised": [{"walk": w.title, "starts_at": iso(w.starts_at)}
                            for w in Walk.objects.filter(organisers=user)],
        "observations": [
            {"walk": o.walk.title, "theme": o.theme, "kind": o.kind, "description": o.description,
             "crow_score": o.crow_score, "latitude": str(o.latitude) if o.latitude is not None else None,
             "longitude": str(o.longitude) if o.longitude is not None else None, "address": o.address,
             "place_description": o.place_description, "observed_at": iso(o.observed_at), "state": o.state,
             "decision_reason": o.decision_reason, "photos": o.photos.count()}
            for o in Observation.objects.filter(author=user).select_related("walk").prefetch_related("photos")
        ],
    }


def erase_personal_data(user) -> None:
    with transaction.atomic():
        WalkSignup.objects.filter(user=user).delete()
        for walk in Walk.objects.filter(organisers=user):
            walk.organisers.remove(user)
        Observation.objects.filter(author=user).update(author=None)
        invalidate_pages_after_commit()
