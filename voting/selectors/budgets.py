"""Reads of village budgets: the overview, one budget with its projects, the state of a ballot being filled in,
and the published result put in words.

Every page reads a fixed number of rows whatever the number of projects; nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db.models import Count, Prefetch, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.formats import money, whole_money
from voting.models import (
    PHASE_ORDER,
    BallotFormat,
    Budget,
    BudgetPhase,
    CountingRule,
    Project,
    ProjectState,
    ProjectUpdate,
    Turnout,
)

UPDATES_SHOWN = 5


# Amounts ------------------------------------------------------------------------------------------------

euros = whole_money  # the pages of budgets write amounts in whole euros (core.formats)


def exact(value: str | Fraction | int) -> Decimal:
    """A stored amount ("25/3") to the cent."""
    fraction = Fraction(value)
    return (Decimal(fraction.numerator) / Decimal(fraction.denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def cents(value) -> str:
    """A stored amount ("25/3") as money with cents: "€ 8,33"."""
    return money(exact(value))


# Reads ----------------------------------------------------------------------------------------------------

def budgets_by_kern() -> list[tuple[object, list[Budget]]]:
    """Every budget, grouped by kern: the municipality-wide ones first, then the kernen by name. One query."""
    budgets = (Budget.objects.select_related("box__kern")
               .annotate(ballot_size=Count("projects", filter=Q(projects__state=ProjectState.FEASIBLE)),
                         idea_count=Count("projects", filter=~Q(projects__state=ProjectState.WITHDRAWN)))
               .order_by("box__kern__name", "-created_at", "-pk"))
    groups: dict[object, list[Budget]] = {}
    for budget in budgets:
        groups.setdefault(budget.box.kern, []).append(budget)
    whole = groups.pop(None, [])
    return ([(None, whole)] if whole else []) + list(groups.items())


def budget_by_slug(slug: str) -> Budget | None:
    """The budget with its box and kern (the box knows it has no poll: ``box.subject`` asks nothing more)."""
    return Budget.objects.select_related("box__kern", "box__poll").filter(slug=slug).first()


def projects_of(budget: Budget, *, with_updates: bool = False) -> list[Project]:
    """The budget's projects (withdrawn ones last), each knowing its budget; two queries with their updates."""
    projects = Project.objects.filter(budget=budget).select_related("initiative").order_by("pk")
    if with_updates:
        projects = projects.prefetch_related(Prefetch("updates", queryset=ProjectUpdate.objects.order_by("-at", "-pk"),
                                                      to_attr="recent_updates"))
    found = list(projects)
    for project in found:
        project.budget = budget  # the rules read project.budget.box: no query per project
    return sorted(found, key=lambda project: project.state == ProjectState.WITHDRAWN)


def ballot_of(projects: list[Project]) -> list[Project]:
    return [project for project in projects if project.state == ProjectState.FEASIBLE]


def ballot_projects(budget: Budget) -> list[Project]:
    """The projects on the ballot, in ballot order (one query)."""
    found = list(Project.objects.filter(budget=budget, state=ProjectState.FEASIBLE).order_by("pk"))
    for project in found:
        project.budget = budget
    return found


def costs(projects: list[Project]) -> dict[str, int]:
    """``{str(id): cost}``, as ``voting.services.choices`` wants the ballot."""
    return {str(project.pk): project.cost for project in projects}


def project_of(budget: Budget, pk: int) -> Project | None:
    """One project of the budget with its initiative and updates (three queries), or None."""
    project = (Project.objects.filter(budget=budget, pk=pk).select_related("initiative")
               .prefetch_related(Prefetch("updates", queryset=ProjectUpdate.objects.order_by("-at", "-pk"),
                                          to_attr="recent_updates")).first())
    if project is not None:
        project.budget = budget
    return project


def code_has_voted(code) -> bool:
    """Whether a letter code (a ``VotingCode``) is in the register."""
    return Turnout.objects.filter(code=code).exists()


# Phases ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Phase:
    value: str
    label: str
    state: str  # done, current, upcoming
    when: str


def _day(value) -> str:
    return formats.date_format(value, "j F Y") if value else ""


def _moment(value) -> str:
    return formats.date_format(timezone.localtime(value), "j F Y, H:i") if value else ""


def phases(budget: Budget) -> list[Phase]:
    box = budget.box
    current = PHASE_ORDER.index(budget.phase)
    when = {
        BudgetPhase.PROPOSALS: _("tot en met %(day)s") % {"day": _day(budget.proposals_until)}
        if budget.proposals_until else "",
        BudgetPhase.VOTING: _("van %(start)s tot %(end)s") % {"start": _moment(box.opens_at),
                                                              "end": _moment(box.closes_at)},
        BudgetPhase.RESULT: _("gepubliceerd op %(day)s") % {"day": _day(timezone.localtime(box.result_published_at))}
        if box.result_published_at else "",
    }
    return [Phase(value=phase.value, label=str(phase.label).capitalize(),
                  state="done" if index < current else "current" if index == current else "upcoming",
                  when=when.get(phase, ""))
            for index, phase in enumerate(BudgetPhase)]


# The ballot being filled in ----------------------------------------------------------------------------------

@dataclass
class BallotState:
    """What the voter chose so far, how full the ballot is, and per project why it cannot be added."""

    value: int
    maximum: int
    text: str
    left: int
    notes: dict[str, str] = field(default_factory=dict)
    limits: dict[str, int] = field(default_factory=dict)  # points: the most each project may get now

    def as_json(self, choices: dict[str, int]) -> dict:
        return {"choices": choices, "progress": {"value": self.value, "max": self.maximum, "text": self.text},
                "notes": self.notes, "limits": self.limits}


def ballot_state(budget: Budget, projects: list[Project], choices: dict[str, int]) -> BallotState:
    """Precondition: ``projects`` are the ballot's (``ballot_of``) and ``choices`` a cleaned draft."""
    chosen = {str(project.pk) for project in projects if str(project.pk) in choices}
    if budget.ballot_format == BallotFormat.POINTS:
        total = budget.points_total or 0
        used = sum(choices.get(key, 0) for key in chosen)
        text = ngettext("%(used)s van %(total)s punt verdeeld", "%(used)s van %(total)s punten verdeeld", total) \
            % {"used": used, "total": total}
        limits = {str(project.pk): choices.get(str(project.pk), 0) + total - used for project in projects}
        return BallotState(used, total, text, total - used, limits=limits)
    if budget.ballot_format == BallotFormat.APPROVAL:
        limit = budget.max_projects or len(projects)
        text = ngettext("%(n)s van %(limit)s project gekozen", "%(n)s van %(limit)s projecten gekozen", limit) \
            % {"n": len(chosen), "limit": limit}
        full = len(chosen) >= limit
        note = ngettext("U koos al %(limit)s project, het hoogste aantal. Haal eerst een project weg.",
                        "U koos al %(limit)s projecten, het hoogste aantal. Haal eerst een project weg.", limit) \
            % {"limit": limit}
        notes = {str(project.pk): note if full and str(project.pk) not in chosen else "" for project in projects}
        return BallotState(len(chosen), limit, text, limit - len(chosen), notes=notes)
    spent = sum(project.cost for project in projects if str(project.pk) in chosen)
    left = budget.amount - spent
    text = _("%(spent)s van %(amount)s gekozen") % {"spent": euros(spent), "amount": euros(budget.amount)}
    too_much = _("Past niet meer in het budget: er is nog %(left)s over. Haal eerst een ander project weg.") % {
        "left": euros(left)}
    notes = {str(project.pk): "" if str(project.pk) in chosen or project.cost <= left else too_much
             for project in projects}
    return BallotState(spent, budget.amount, text, left, notes=notes)


def over_budget_text(budget: Budget, spent: int) -> str:
    """Why a knapsack project was refused, with the amounts as the page writes them."""
    return _("Dit past niet meer. Samen kost het dan %(spent)s. Het budget is %(amount)s.") % {
        "spent": euros(spent), "amount": euros(budget.amount)}


def chosen_projects(projects: list[Project], choices: dict[str, int]) -> list[tuple[Project, int]]:
    return [(project, choices[str(project.pk)]) for project in projects if str(project.pk) in choices]


# The published result, in words ------------------------------------------------------------------------------

@dataclass
class Explained:
    """One project's part in the result: chosen or not, and why, in sentences; the figures for the table."""

    project_id: str
    title: str
    url: str
    cost: Decimal
    funded: bool
    kind: str
    lines: list[str]
    votes: int | None = None
    points: int | None = None
    position: int | None = None
    paid_by_supporters: Decimal | None = None
    money_left: Decimal | None = None


def counting_rule_in_words(budget: Budget) -> list[str]:
    if budget.counting_rule == CountingRule.GREEDY:
        return [_("De telregel is: meeste stemmen eerst."),
                _("Het project met de meeste stemmen krijgt als eerste geld. Dan het volgende, zolang het past.")]
    return [_("De telregel is: de methode van gelijke delen."),
            _("Elke stemmer krijgt een even groot deel van het budget."),
            _("Een project gaat door als de mensen die het kozen, het samen kunnen betalen."),
            _("Zo krijgen ook kleinere groepen in het dorp iets van hun keuze.")]


def _votes_line(votes: int) -> str:
    return ngettext("%(n)s inwoner koos dit project.", "%(n)s inwoners kozen dit project.", votes) % {"n": votes}


def _funded_lines(entry: dict, points_ballot: bool, titles: dict[str, str]) -> list[str]:
    lines = []
    paid_any = False
    for payment in entry.get("payments", []):
        voters, amount, points = payment["voters"], Fraction(payment["amount"]), payment.get("points", 1)
        if amount > 0:
            paid_any = True
            if points_ballot:
                lines.append(ngettext(
                    "%(n)s inwoner die %(points)s punten gaf, betaalde %(amount)s.",
                    "%(n)s inwoners die %(points)s punten gaven, betaalden elk %(amount)s.", voters)
                    % {"n": voters, "points": points, "amount": cents(amount)})
            else:
                lines.append(ngettext(
                    "%(n)s inwoner die dit project koos, betaalde %(amount)s.",
                    "%(n)s inwoners die dit project kozen, betaalden elk %(amount)s.", voters)
                    % {"n": voters, "amount": cents(amount)})
        else:
            lines.append(ngettext("%(n)s inwoner die dit project koos, had niets meer over.",
                                  "%(n)s inwoners die dit project kozen, hadden niets meer over.", voters)
                         % {"n": voters})
    if not paid_any:
        lines.insert(0, _votes_line(entry.get("votes", 0)))
        if entry.get("stage") == "completion":
            lines.append(_("Het werd betaald van het geld dat aan het eind over was."))
    lines.append(_("Het werd als nummer %(position)s gekozen. Daarna was er nog %(left)s over.")
                 % {"position": entry.get("position"), "left": cents(entry.get("money_left", 0))})
    return lines


def _not_funded_lines(entry: dict, titles: dict[str, str]) -> list[str]:
    kind = entry["kind"]
    if kind == "NoVotes":
        return [_("Niemand koos dit project.")]
    lines = [_votes_line(entry.get("votes", 0))]
    if kind == "SupportersShort":
        if entry.get("outbid_by"):
            votes = entry.get("votes", 0)
            lines.append(ngettext("Deze inwoner had nog %(left)s over. Het project kost %(cost)s.",
                                  "Zij hadden samen nog %(left)s over. Het project kost %(cost)s.", votes)
                         % {"left": cents(entry["supporters_left"]), "cost": cents(entry["cost"])})
            lines.append(ngettext("Een deel van dat geld ging al naar “%(other)s”.",
                                  "Een deel van hun geld ging al naar “%(other)s”.", votes)
                         % {"other": titles.get(str(entry["outbid_by"]), _("een ander project"))})
        else:
            lines.append(ngettext("Het deel van het budget van deze inwoner was %(share)s. Het project kost "
                                  "%(cost)s: te veel.",
                                  "Hun delen van het budget waren samen %(share)s. Het project kost %(cost)s: te veel.",
                                  entry.get("votes", 0))
                         % {"share": cents(entry["supporters_share"]), "cost": cents(entry["cost"])})
    elif kind == "DidNotFit":
        lines.append(_("Toen het aan de beurt was, was er nog %(left)s over. Het kost %(cost)s: dat paste niet.")
                     % {"left": cents(entry["money_left"]), "cost": cents(entry["cost"])})
    return lines


def explain_result(budget: Budget, result: dict, projects: list[Project], url_of=None) -> list[Explained]:
    """Per project of the stored result (``voting.services.results.outcome_as_data``): chosen ones first, in
    the order they were bought, then the rest in ballot order."""
    by_id = {str(project.pk): project for project in projects}
    titles = {key: project.title for key, project in by_id.items()}
    points_ballot = budget.ballot_format == BallotFormat.POINTS
    rows = []
    for entry in result.get("explanations", []):
        key = str(entry["project"])
        project = by_id.get(key)
        funded = entry["kind"] == "Funded"
        paid = sum((Fraction(p["amount"]) * p["voters"] for p in entry.get("payments", [])), Fraction(0))
        rows.append(Explained(
            project_id=key, title=titles.get(key, key), url=url_of(project) if url_of and project else "",
            cost=exact(entry["cost"]), funded=funded, kind=entry["kind"],
            lines=_funded_lines(entry, points_ballot, titles) if funded else _not_funded_lines(entry, titles),
            votes=entry.get("votes"), points=entry.get("points") if points_ballot else None,
            position=entry.get("position"), paid_by_supporters=exact(paid) if entry.get("payments") else None,
            money_left=exact(entry["money_left"]) if "money_left" in entry else None))
    order = {key: index for index, key in enumerate(result.get("selected", []))}
    return sorted(rows, key=lambda row: (not row.funded, order.get(row.project_id, 0)))


@dataclass(frozen=True)
class ResultFigures:
    ballots: int
    spent: Decimal
    left: Decimal
    budget: Decimal
    voter_share: Decimal | None
    seed: str


def result_figures(result: dict) -> ResultFigures:
    budget, spent = exact(result["budget"]), exact(result["spent"])
    share = result.get("voter_budget")
    return ResultFigures(ballots=result.get("ballots", 0), spent=spent, left=budget - spent, budget=budget,
                         voter_share=exact(share) if share not in (None, "") else None, seed=result.get("seed", ""))
