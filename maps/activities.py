"""Walks in the "upcoming activities" slot of the home and kern pages (``community.activities``)."""

from django.utils.translation import gettext as _

from community.activities import Activity


def upcoming_walks(user, kern, limit: int) -> list[Activity]:
    from maps.models import Walk

    walks = Walk.objects.upcoming().select_related("kern").order_by("starts_at")
    if kern is not None:
        walks = walks.filter(kern=kern)
    return [Activity(starts_at=walk.starts_at, title=walk.title, url=walk.get_absolute_url(),
                     kind_label=_("Wijkschouw"), kern_name=walk.kern.name, place=walk.meeting_point)
            for walk in walks[:limit]]
