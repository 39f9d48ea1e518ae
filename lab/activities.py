"""Workshops in the "upcoming activities" slot of the home and kern pages (``community.activities``)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from community.activities import Activity


def upcoming_workshops(user, kern, limit: int) -> list[Activity]:
    """Workshops not over yet, on the home page. A kern page (``kern`` given) spends its ten queries already; its
    workshops are one click away on /werksessies/?kern=<slug>."""
    from lab.models import Workshop, WorkshopState

    if kern is not None:
        return []
    workshops = (Workshop.objects.exclude(state=WorkshopState.ENDED).filter(ends_at__gte=timezone.now())
                 .select_related("kern").order_by("starts_at"))
    return [Activity(starts_at=w.starts_at, title=w.title, url=reverse("lab:workshop", args=[w.pk]),
                     kind_label=_("Werksessie"), kern_name=w.kern.name if w.kern_id else _("Heel Molenlanden"),
                     place=w.place or (_("Online") if w.online_url else ""))
            for w in workshops[:limit]]
