"""Support, follow and updates: the neighbours' side of an initiative."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.pagecache import invalidate_pages_after_commit
from initiatives.models import Follow, Initiative, InitiativeUpdate, Support
from initiatives.services._common import require_perm
from initiatives.services.errors import InitiativeError
from initiatives.services.notifications import notify_after_commit
from initiatives.services.text import clean_plain_text, clean_rich_text


def _fresh(initiative: Initiative) -> Initiative:
    """The rules look at the status: ask them about the row as it is now, not a possibly stale instance."""
    return Initiative.objects.get(pk=initiative.pk)


def support(*, user, initiative: Initiative) -> Support:
    """"Ik steun dit" (and follow it). Supporting twice changes nothing."""
    initiative = _fresh(initiative)
    require_perm(user, "initiatives.support_initiative", initiative,
                 _("Meld u aan om te steunen. Steunen kan bij gepubliceerde initiatieven van anderen."))
    try:
        with transaction.atomic():
            record, _created = Support.objects.get_or_create(initiative=initiative, user=user)
            Follow.objects.get_or_create(initiative=initiative, user=user)
    except IntegrityError:
        record = Support.objects.get(initiative=initiative, user=user)
    invalidate_pages_after_commit()  # lists and pages show the number of supporters
    return record


def unsupport(*, user, initiative: Initiative) -> None:
    Support.objects.filter(initiative=initiative, user=user).delete()
    invalidate_pages_after_commit()


def follow(*, user, initiative: Initiative) -> Follow:
    initiative = _fresh(initiative)
    require_perm(user, "initiatives.follow_initiative", initiative, _("Meld u aan om dit initiatief te volgen."))
    try:
        with transaction.atomic():
            record, _created = Follow.objects.get_or_create(initiative=initiative, user=user)
    except IntegrityError:
        record = Follow.objects.get(initiative=initiative, user=user)
    return record


def unfollow(*, user, initiative: Initiative) -> None:
    Follow.objects.filter(initiative=initiative, user=user).delete()


def post_update(*, actor, initiative: Initiative, title: str, body: str) -> InitiativeUpdate:
    """Initiators tell followers what is happening; followers get a notification after commit."""
    initiative = _fresh(initiative)
    require_perm(actor, "initiatives.post_update", initiative,
                 _("Alleen initiatiefnemers plaatsen nieuws, en pas als het initiatief gepubliceerd is."))
    title = clean_plain_text(title)[:120]
    body = clean_rich_text(body)
    if not title or not clean_plain_text(body):
        raise InitiativeError(_("Geef uw bericht een titel en een tekst."), code="update_empty")
    with transaction.atomic():
        update = InitiativeUpdate.objects.create(initiative=initiative, author=actor, title=title, body=body)
        followers = [f.user for f in Follow.objects.filter(initiative=initiative).exclude(user=actor)
                     .select_related("user")]
        notify_after_commit(recipients=followers,
                            title=_("Nieuws van %(title)s: %(update)s") % {"title": initiative.title, "update": title},
                            url=f"/initiatieven/{initiative.pk}/")
        invalidate_pages_after_commit()
    return update
