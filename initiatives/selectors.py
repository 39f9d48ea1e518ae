"""Reads for initiatives: lists, detail, totals, queues. Every list starts from ``visible_to(user)``.

Totals are exact ``Decimal`` sums computed by the database in correlated subqueries, so a page of 20 or
of 1,000 initiatives costs the same number of queries and a join never multiplies a sum.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from core.pagecache import shared_value
from initiatives.models import (
    AgendaOutcome,
    CouncilAgendaItem,
    Initiative,
    InitiativeEvent,
    InitiativeUpdate,
    MatchReservation,
    Pledge,
    Status,
    Support,
)

MONEY = DecimalField(max_digits=12, decimal_places=2)
ZERO = Value(Decimal("0.00"), output_field=MONEY)
COUNTED_PLEDGES = (Pledge.Status.ACTIVE, Pledge.Status.COLLECTED)
HELD_MATCHES = (MatchReservation.Status.RESERVED, MatchReservation.Status.COMMITTED)

SORTS = {
    "newest": ("-published_at", "-created_at", "-pk"),
    "most_supported": ("-supporter_count", "-published_at", "-pk"),
    "closing_soon": (F("deadline").asc(nulls_last=True), "-pk"),
}


def _sum(queryset, field: str):
    return Coalesce(Subquery(queryset.values("initiative").annotate(total=Sum(field)).values("total")[:1],
                             output_field=MONEY), ZERO)


def _count(queryset, field: str = "pk", distinct: bool = False):
    return Coalesce(Subquery(queryset.values("initiative").annotate(n=Count(field, distinct=distinct)).values("n")[:1],
                             output_field=IntegerField()), Value(0))


def with_totals(queryset: QuerySet) -> QuerySet:
    """Annotate ``pledged_total``, ``matched_total``, ``supporter_count`` and ``pledger_count``.

    ``pledger_count`` counts people, not pledges: someone who pledged money and time, or twice, is one.
    """
    money = Pledge.objects.filter(initiative=OuterRef("pk"), kind=Pledge.Kind.MONEY, status__in=COUNTED_PLEDGES)
    return queryset.annotate(
        pledged_total=_sum(money, "amount"),
        matched_total=_sum(MatchReservation.objects.filter(initiative=OuterRef("pk"), status__in=HELD_MATCHES),
                           "amount"),
        supporter_count=supporter_count(),
        pledger_count=_count(Pledge.objects.filter(initiative=OuterRef("pk"), status__in=COUNTED_PLEDGES),
                             "pledger", distinct=True),
    )


def supporter_count():
    """The number of supporters, as an expression on an initiative queryset."""
    return _count(Support.objects.filter(initiative=OuterRef("pk")))


_totalled: list = []  # [queryset], built once per process


def totalled() -> QuerySet:
    """All initiatives with ``with_totals``' figures: filter, join and order it like ``Initiative.objects``.

    Building the four subqueries costs more than running them, and they are the same for every list, so the
    queryset is built once per process and each use filters a copy of it (it is never evaluated itself)."""
    if not _totalled:
        _totalled.append(with_totals(Initiative.objects.all()))
    return _totalled[0]


def initiative_list(*, user, kern=None, theme: str | None = None, status: str | None = None,
                    sort: str = "newest", totals: bool = True) -> QuerySet:
    """What ``user`` may see, filtered and sorted, with totals and the kern joined; paginate it yourself.

    ``totals=False``: only what filtering and sorting need (for a list of ids whose cards are kept)."""
    if totals:
        queryset = totalled().select_related("kern", "initiator")
    else:  # only what sorting needs
        queryset = totalled() if sort == "most_supported" else Initiative.objects.all()
    queryset = queryset.visible_to(user)
    if kern is not None:
        queryset = queryset.filter(kern=kern)
    if theme:
        queryset = queryset.filter(theme=theme)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by(*SORTS.get(sort, SORTS["newest"]))


def sees_more_than_everyone(*, user, kern=None) -> bool:
    """Whether ``user`` may see initiatives (in ``kern``, or anywhere) that are not public (a draft of their
    own, what waits for their council, everything for staff): the same rule as every list, asked with one
    small query."""
    from initiatives.models.initiative import PUBLIC_STATUSES

    if not getattr(user, "is_authenticated", False):
        return False
    more = Initiative.objects.visible_to(user).exclude(status__in=PUBLIC_STATUSES)
    return (more.filter(kern=kern) if kern is not None else more).exists()


TOTALS = ("pledged_total", "matched_total", "supporter_count", "pledger_count")
# Joined to an initiative that shows its place on the council's agenda (``council_progress``): no extra query.
AGENDA_RELATED = ("council_agenda", "kern__support_threshold")


def visible_initiative(*, user, pk: int) -> Initiative:
    """One initiative ``user`` may see, with totals (``with_totals``' names), initiators and photos, and whether
    ``user`` follows and supports it (``viewer_follows``, ``viewer_supports``); ``Initiative.DoesNotExist``
    otherwise (so what may not be seen is indistinguishable from what does not exist)."""
    from django.db.models import Exists, OuterRef, Value

    from initiatives.models import Follow, Support

    initiatives = Initiative.objects.visible_to(user)
    if user.is_authenticated:
        mine = {"initiative": OuterRef("pk"), "user": user}
        initiatives = initiatives.annotate(viewer_follows=Exists(Follow.objects.filter(**mine)),
                                           viewer_supports=Exists(Support.objects.filter(**mine)))
    else:
        initiatives = initiatives.annotate(viewer_follows=Value(False), viewer_supports=Value(False))
    initiative = (initiatives.select_related("kern", "initiator").prefetch_related("co_initiators", "photos")
                  .get(pk=pk))
    for name, value in kept_totals(initiative.pk).items():
        setattr(initiative, name, value)
    return initiative


def shown_initiative(*, user, pk: int) -> Initiative:
    """One initiative as its page shows it to ``user``: ``visible_initiative``'s attributes without the photos
    (the page keeps them in its story) and with ``pledge_summary`` (None unless public),
    ``Initiative.DoesNotExist`` for what ``user`` may not see.

    The initiative with its kern and initiators is kept for the current page generation like its totals: every
    service that changes it, its team or its state starts a new one after its commit. Whether ``user`` may see
    it is asked of the rule (``initiatives.view_initiative``, the twin of ``visible_to``) on every request."""
    from core.permissions import may
    from initiatives.models import Follow, Support

    def compute() -> Initiative:
        kept = (totalled().select_related("kern", "initiator", *AGENDA_RELATED).prefetch_related("co_initiators")
                .get(pk=pk))
        kept.pledge_summary = _pledge_summary(kept) if kept.is_public else None
        return kept

    initiative = shared_value("initiative", pk, compute=compute)  # a fresh copy: it comes out of the cache
    if not may(user, "initiatives.view_initiative", initiative):
        raise Initiative.DoesNotExist
    mine = user.is_authenticated
    initiative.viewer_follows = mine and Follow.objects.filter(initiative_id=pk, user_id=user.pk).exists()
    initiative.viewer_supports = mine and Support.objects.filter(initiative_id=pk, user_id=user.pk).exists()
    return initiative


def kept_totals(pk: int) -> dict:
    """``with_totals``' figures of one initiative, kept for the current page generation: every service that
    changes a pledge, a support or a match starts a new one after its commit, as for the cards that show them."""
    return kept_totals_of([pk])[pk]


def kept_totals_of(ids: list[int]) -> dict[int, dict]:
    """``kept_totals`` of several initiatives at once: one cache read, one query when not kept."""
    def compute() -> dict[int, dict]:
        return {row.pop("pk"): row for row in totalled().filter(pk__in=ids).values("pk", *TOTALS)}

    return shared_value("initiative-totals-of", *sorted(ids), compute=compute) if ids else {}


@dataclass(frozen=True)
class FundingProgress:
    goal: Decimal
    pledged: Decimal
    matched: Decimal

    @property
    def raised(self) -> Decimal:
        return self.pledged + self.matched

    @property
    def percent(self) -> int:
        """0–100 for the progress bar (an overfunded initiative shows a full bar)."""
        if not self.goal:
            return 0
        return min(100, int(self.raised * 100 / self.goal))

    @property
    def remaining(self) -> Decimal:
        return max(Decimal("0.00"), self.goal - self.raised)


def funding_progress(initiative: Initiative) -> FundingProgress | None:
    """Progress towards the money goal; uses the ``with_totals`` annotations when present."""
    if not initiative.asks_money:
        return None
    pledged = getattr(initiative, "pledged_total", None)
    matched = getattr(initiative, "matched_total", None)
    if pledged is None or matched is None:
        annotated = totalled().filter(pk=initiative.pk).get()
        pledged, matched = annotated.pledged_total, annotated.matched_total
    return FundingProgress(goal=initiative.goal, pledged=pledged, matched=matched)


@dataclass(frozen=True)
class PledgeSummary:
    money_count: int  # people who pledged money (not pledges)
    hours: int
    volunteer_count: int
    materials: list[str]


def pledge_summary(initiative: Initiative) -> PledgeSummary:
    """What neighbours offer, without naming them: two queries, kept for the current page generation (every
    pledge service starts a new one after its commit)."""
    return shared_value("pledge-summary", initiative.pk, compute=lambda: _pledge_summary(initiative))


def _pledge_summary(initiative: Initiative) -> PledgeSummary:
    counted = Pledge.objects.filter(initiative=initiative, status__in=COUNTED_PLEDGES)
    agg = counted.aggregate(
        money_count=Count("pledger", filter=Q(kind=Pledge.Kind.MONEY), distinct=True),
        hours=Coalesce(Sum("hours"), 0),
        volunteer_count=Count("pledger", filter=Q(kind=Pledge.Kind.TIME), distinct=True),
    )
    materials = list(counted.filter(kind=Pledge.Kind.MATERIALS).values_list("materials", flat=True)[:50])
    return PledgeSummary(materials=materials, **agg)


def audit_trail(initiative: Initiative) -> QuerySet:
    """The events, oldest first. Show only to those with ``initiatives.view_audit_trail``."""
    return InitiativeEvent.objects.filter(initiative=initiative).select_related("actor").order_by("created_at", "pk")


def updates(initiative: Initiative) -> QuerySet:
    return InitiativeUpdate.objects.filter(initiative=initiative).select_related("author")


def moderation_queue(*, user, kern=None) -> QuerySet:
    """Submitted initiatives of the kernen ``user`` moderates (staff: all), never their own, oldest first."""
    from community.rules import council_kern_ids, is_staff

    queryset = Initiative.objects.filter(status=Status.SUBMITTED).exclude(initiator=user) \
        .exclude(co_initiators=user)
    if not is_staff(user):
        queryset = queryset.filter(kern_id__in=council_kern_ids(user))
    if kern is not None:
        queryset = queryset.filter(kern=kern)
    return queryset.select_related("kern", "initiator").order_by("submitted_at", "pk")


def my_initiatives(*, user) -> QuerySet:
    return (totalled().filter(pk__in=Initiative.objects.initiated_by(user).values("pk"))
            .select_related("kern").order_by("-updated_at", "-pk"))


def active_pledges(*, user, initiative: Initiative) -> QuerySet:
    """``user``'s pledges to ``initiative`` that they may still withdraw, newest first."""
    return Pledge.objects.filter(pledger=user, initiative=initiative, status=Pledge.Status.ACTIVE) \
        .order_by("-created_at")


def my_pledges(*, user) -> QuerySet:
    return Pledge.objects.filter(pledger=user).select_related("initiative", "initiative__kern").order_by("-created_at")


# --- The village council's agenda -----------------------------------------------------------------------


@dataclass(frozen=True)
class CouncilProgress:
    """Where an initiative stands with its council's agenda, as its page shows it to everyone."""

    threshold: int | None  # the kern's threshold; None when the kern has none
    supporters: int
    item: CouncilAgendaItem | None  # on the agenda (for good), or None

    @property
    def remaining(self) -> int:
        """Supports still needed to reach the agenda (0 once reached or on it)."""
        if self.item is not None or self.threshold is None:
            return 0
        return max(0, self.threshold - self.supporters)

    @property
    def counts_towards(self) -> bool:
        """Whether support still moves it towards the agenda (public, not done, not yet on it, a threshold set)."""
        return self.item is None and self.threshold is not None and self.remaining > 0


def council_progress(initiative: Initiative) -> CouncilProgress | None:
    """From an initiative read with ``AGENDA_RELATED`` and ``supporter_count`` (no query then); None when its
    page has nothing to say about the council's agenda."""
    from initiatives.models.agenda import AGENDA_STATUSES

    item = initiative.agenda_item
    threshold = threshold_of(initiative.kern)
    if item is None and (threshold is None or initiative.status not in AGENDA_STATUSES):
        return None
    supporters = getattr(initiative, "supporter_count", None)
    if supporters is None:
        supporters = Support.objects.filter(initiative=initiative).count()
    progress = CouncilProgress(threshold=threshold, supporters=supporters, item=item)
    return progress if item is not None or progress.counts_towards else None


def threshold_of(kern) -> int | None:
    """The kern's threshold, or None (no query when read with ``select_related("support_threshold")``)."""
    from django.core.exceptions import ObjectDoesNotExist

    try:
        return kern.support_threshold.supporters
    except ObjectDoesNotExist:
        return None


def council_agenda(*, user, kern=None) -> QuerySet:
    """Open agenda items of the kernen ``user`` sits on the council of (staff: all), never their own initiative,
    oldest first: exactly those ``initiatives.handle_agenda_item`` allows."""
    from community.rules import council_kern_ids, is_staff

    queryset = CouncilAgendaItem.objects.filter(outcome=AgendaOutcome.PENDING) \
        .exclude(initiative__initiator=user) \
        .exclude(initiative__in=Initiative.co_initiators.through.objects.filter(user_id=user.pk)
                 .values("initiative_id"))
    if not is_staff(user):
        queryset = queryset.filter(initiative__kern_id__in=council_kern_ids(user))
    if kern is not None:
        queryset = queryset.filter(initiative__kern=kern)
    return queryset.select_related("initiative", "initiative__kern").order_by("reached_at", "pk")


def thresholds_for(*, user) -> QuerySet:
    """The kernen whose threshold ``user`` may set (council: their kernen; staff: every kern), with it."""
    from community.models import Kern
    from community.rules import council_kern_ids, is_staff

    kernen = Kern.objects.all() if is_staff(user) else Kern.objects.filter(pk__in=council_kern_ids(user))
    return kernen.select_related("support_threshold").order_by("name")
