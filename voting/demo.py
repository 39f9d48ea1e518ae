"""Demo votes for `make run`, built through the services (so registers, receipts, results and events are real).

- Groot-Ammers: a poll of the village council whose result shows after one's own vote; the village budget
  (€ 25.000, knapsack, Equal Shares) in its voting phase, with seven projects: one from an initiative, one not
  feasible with the reason.
- Bleskensgraaf: an open vote (who chose what is public) on the AED initiative.
- Streefkerk: a village budget by letter, in its voting phase, with **demo voting codes** (see below).
- Arkel: a finished village budget: 120 ballots cast with letter codes, the result published (so the result
  page, the downloads and the public recount work), and the jeu de boules court being built, with news.

Demo voting codes are predictable on purpose (an HMAC of a fixed label), so that `make run` can print them for
anyone trying the demo: they are for the demo only. Real codes are random and stored only as a hash; that is why
the demo writes its own code rows instead of asking ``issue_codes``, which makes random ones.

Safe to run twice: a poll or budget whose question or title exists is left alone.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import random

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone

from community.models import Kern, User
from voting.models import (
    Ballot,
    BallotBox,
    BallotFormat,
    Budget,
    BudgetPhase,
    CodeEvent,
    CountingRule,
    Poll,
    ProjectUpdate,
    Turnout,
    VotingCode,
    WhoMayVote,
)
from voting.services import budgets as budget_services
from voting.services._common import ALPHABET, CODE_LENGTH, grouped, hash_secret
from voting.services.casting import cast_ballot
from voting.services.codes import Addressee, issue_codes
from voting.services.polls import create_poll
from voting.services.results import publish_result

STAFF = "fatima@example.org"
MARKET_POLL = "Op welke dag wilt u de weekmarkt op het Dorpsplein?"
AED_POLL = "Waar komt de AED-kast het beste te hangen?"
VOTING_BUDGET = "Kernbudget Groot-Ammers"
LETTER_BUDGET = "Kernbudget Streefkerk"
FINISHED_BUDGET = "Kernbudget Arkel"
DEMO_CODE_KEY = b"samenlab demo voting codes: predictable, for the demo only"
DEMO_CODE_COUNT = 8
FINISHED_BALLOTS = 120

# title, summary, cost, proposer e-mail, feasible (False: the reason), the proposer's initiative title
GROOT_AMMERS = [
    ("Nieuwe klimtoestellen in speeltuin De Kastanje", "Een klimrek en een schommel voor kleine kinderen. De oude "
     "toestellen zijn twintig jaar oud.", 9_500, "kees@example.org", True, "Speeltuin De Kastanje opknappen"),
    ("Bankjes langs de Lek bij het veer", "Vier bankjes met uitzicht op de rivier, voor wandelaars en fietsers.",
     3_200, "marieke@example.org", True, None),
    ("Bloembakken in de Dorpsstraat", "Twaalf grote bloembakken. Buren geven ze samen water.", 2_400,
     "marieke@example.org", True, None),
    ("Moestuin voor basisschool De Wegwijzer", "Kinderen kweken zelf groenten. Met bakken, gereedschap en zaad.",
     4_800, "marieke@example.org", True, None),
    ("Hangplek voor jongeren bij het sportpark", "Een overkapping met bankjes, zodat jongeren een eigen plek "
     "hebben.", 6_000, "anna@example.org", True, None),
    ("AED-kast bij de Achtkante Molen", "Een AED die dag en nacht bereikbaar is aan de westkant van het dorp.",
     2_100, "kees@example.org", True, None),
    ("Verlichting op het fietspad naar Langerak", "Lantaarnpalen langs het donkere fietspad, voor wie 's avonds "
     "naar huis fietst.", 18_000, "anna@example.org",
     "Het fietspad is van de provincie. Daarom kan het niet uit dit budget. Wij geven uw idee door aan de "
     "provincie.", None),
]
STREEFKERK = [
    ("Nieuwe doelen op het trapveldje", "Twee stevige doelen met netten voor het trapveldje aan de Waal.", 2_800,
     "lotte@example.org"),
    ("Picknicktafels bij de Lek", "Drie picknicktafels op de dijk bij de veerstoep.", 3_600, "lotte@example.org"),
    ("Infobord over de geschiedenis van Streefkerk", "Een bord bij de kerk over het dorp en de rivier.", 4_500,
     "dorpsraad.streefkerk@example.org"),
    ("Kerstverlichting aan de Dorpsstraat", "Lichtjes in de bomen van december tot en met januari.", 5_200,
     "dorpsraad.streefkerk@example.org"),
]
# title, summary, cost, proposer, initiative title, how likely a voter chooses it
ARKEL = [
    ("Jeu de boules-baan bij De Wiekslag", "Een baan waar jong en oud elkaar ontmoeten, naast het buurthuis.",
     4_800, "sanne@example.org", "Jeu de boules-baan bij De Wiekslag", 0.62),
    ("Wandelroute langs de Linge", "Een rondje van vijf kilometer met bordjes en twee bankjes.", 6_500,
     "dorpsraad.arkel@example.org", None, 0.5),
    ("Speelplek voor peuters bij de school", "Een omheinde speelplek met zand en een klein klimhuisje.", 7_800,
     "sanne@example.org", None, 0.45),
    ("Extra prullenbakken en hondenpoepbakken", "Tien bakken op de plekken waar nu het meeste afval ligt.", 1_900,
     "dorpsraad.arkel@example.org", None, 0.35),
    ("Beamer en geluid voor het dorpshuis", "Voor filmavonden, lezingen en de jaarvergadering.", 3_400,
     "sanne@example.org", None, 0.22),
    ("Bomen planten aan de Kerkstraat", "Acht lindebomen, met hulp van de buurt bij het planten.", 5_500,
     "dorpsraad.arkel@example.org", None, 0.4),
]
ARKEL_STREETS = ["Dorpsstraat", "Kerkstraat", "Lingedijk", "Molenweg", "Rijksstraatweg", "Vlietskade"]
STREEFKERK_STREETS = ["Dorpsstraat", "Nieuwpoortseweg", "Waal", "Kerkhoflaan"]


def _user(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def _now() -> datetime.datetime:
    return timezone.now().replace(minute=0, second=0, microsecond=0)


def _initiative(title: str | None):
    if title is None:
        return None
    from initiatives.models import Initiative

    return Initiative.objects.filter(title=title).first()


# Demo voting codes ---------------------------------------------------------------------------------------------

def demo_code(label: str, number: int) -> str:
    """The demo's code number ``number`` for ``label``: HMAC-SHA256, read as Crockford base32. Predictable."""
    digest = hmac.new(DEMO_CODE_KEY, f"{label}:{number}".encode(), hashlib.sha256).digest()
    return "".join(ALPHABET[byte % len(ALPHABET)] for byte in digest[:CODE_LENGTH])


def demo_codes() -> list[tuple[str, bool]]:
    """The letter budget's demo codes, printed for the demo: (code as on the letter, already used)."""
    budget = Budget.objects.filter(title=LETTER_BUDGET).select_related("box").first()
    if budget is None:
        return []
    codes = [demo_code(budget.slug, number) for number in range(1, DEMO_CODE_COUNT + 1)]
    used = set(Turnout.objects.filter(box=budget.box, code__code_hash__in=[hash_secret(code) for code in codes])
               .values_list("code__code_hash", flat=True))
    return [(grouped(code), hash_secret(code) in used) for code in codes]


def _issue_demo_codes(staff, budget: Budget) -> None:
    """The demo's predictable codes for the letter budget (see the module's docstring), logged as issued."""
    box = budget.box
    rows = [VotingCode(box=box, code_hash=hash_secret(demo_code(budget.slug, number)), addressee="Bewoner",
                       street=f"{STREEFKERK_STREETS[number % len(STREEFKERK_STREETS)]} {number * 3}",
                       postcode=f"2959 A{ALPHABET[10 + number]}", town="Streefkerk")
            for number in range(1, DEMO_CODE_COUNT + 1)]
    VotingCode.objects.bulk_create(rows)
    CodeEvent.objects.create(box=box, action=CodeEvent.Action.ISSUED, count=len(rows), actor=staff,
                             reason="Demo: voorspelbare codes, alleen voor de demo.")


# Budgets ---------------------------------------------------------------------------------------------------

def _budget(staff, *, title: str, kern: str, amount: int, opens_at, closes_at, intro: str, **settings) -> Budget:
    return budget_services.create_budget(actor=staff, title=title, amount=amount, opens_at=opens_at,
                                         closes_at=closes_at, kern=Kern.objects.get(slug=kern), intro=intro,
                                         **settings)


def _propose(budget: Budget, title: str, summary: str, cost: int, email: str, initiative_title=None):
    proposer = _user(email)
    initiative = _initiative(initiative_title)
    if initiative is not None and initiative.initiator_id != getattr(proposer, "pk", None):
        initiative = None
    return budget_services.propose_project(actor=proposer, budget=budget, title=title, summary=summary, cost=cost,
                                           initiative=initiative)


def _to_voting(staff, budget: Budget, reviews: list[tuple]) -> Budget:
    """Review each (project, feasible-or-reason) and open the vote."""
    budget = budget_services.set_phase(actor=staff, budget=budget, phase=BudgetPhase.REVIEW)
    for project, verdict in reviews:
        if verdict is True:
            budget_services.review_project(actor=staff, project=project, feasible=True, cost=project.cost,
                                           reason="Haalbaar. De gemeente heeft de kosten nagerekend.")
        else:
            budget_services.review_project(actor=staff, project=project, feasible=False, reason=verdict)
    return budget_services.set_phase(actor=staff, budget=budget, phase=BudgetPhase.VOTING)


def _box(budget_or_poll) -> BallotBox:
    return BallotBox.objects.select_related("poll", "budget", "kern").get(pk=budget_or_poll.box_id)


def _voting_budget(staff, now) -> None:
    budget = _budget(staff, title=VOTING_BUDGET, kern="groot-ammers", amount=25_000,
                     opens_at=now - datetime.timedelta(days=5), closes_at=now + datetime.timedelta(days=16),
                     intro="Wat wilt u in Groot-Ammers? Er is € 25.000 te verdelen. Kies de projecten die u het "
                           "belangrijkst vindt, tot het geld op is.",
                     ballot_format=BallotFormat.KNAPSACK, counting_rule=CountingRule.EQUAL_SHARES)
    reviews = [(_propose(budget, title, summary, cost, email, initiative), verdict)
               for title, summary, cost, email, verdict, initiative in GROOT_AMMERS]
    budget = _to_voting(staff, budget, reviews)
    feasible = [project.pk for project, verdict in reviews if verdict is True]
    kees = _user("kees@example.org")
    cast_ballot(actor=kees, box=_box(budget), choices=[feasible[0], feasible[1], feasible[5]],
                idempotency_key="demo-groot-ammers-kees")


def _letter_budget(staff, now) -> None:
    budget = _budget(staff, title=LETTER_BUDGET, kern="streefkerk", amount=12_000,
                     opens_at=now - datetime.timedelta(days=2), closes_at=now + datetime.timedelta(days=19),
                     intro="Iedere inwoner van Streefkerk kreeg een brief met een stemcode. Kies hoogstens twee "
                           "projecten.", who_may_vote=WhoMayVote.LETTER, ballot_format=BallotFormat.APPROVAL,
                     max_projects=2, counting_rule=CountingRule.GREEDY)
    reviews = [(_propose(budget, title, summary, cost, email), True) for title, summary, cost, email in STREEFKERK]
    budget = _to_voting(staff, budget, reviews)
    _issue_demo_codes(staff, budget)


def _arkel_ballot(rng: random.Random, projects: list, amount: int) -> list[int]:
    """A voter's knapsack ballot: each project with its own chance, in a random order, while it fits."""
    order = list(projects)
    rng.shuffle(order)
    chosen, spent = [], 0
    for project, chance in order:
        if rng.random() < chance and spent + project.cost <= amount:
            chosen.append(project.pk)
            spent += project.cost
    return chosen or [max(projects, key=lambda pair: pair[1])[0].pk]


def _finished_budget(staff, now) -> None:
    """Open for 21 days, five months ago. The ballots are cast while the box is open; then time passes: the box's
    times and the days of the ballots and the register move back (each in an order of its own), the result is
    published (dated three days after the close) and the news about the project carries its own dates."""
    budget = _budget(staff, title=FINISHED_BUDGET, kern="arkel", amount=20_000,
                     opens_at=now - datetime.timedelta(days=1), closes_at=now + datetime.timedelta(days=1),
                     intro="De inwoners van Arkel kozen samen hoe € 20.000 werd besteed.",
                     who_may_vote=WhoMayVote.LETTER, ballot_format=BallotFormat.KNAPSACK,
                     counting_rule=CountingRule.EQUAL_SHARES)
    proposed = [(_propose(budget, title, summary, cost, email, initiative), chance)
                for title, summary, cost, email, initiative, chance in ARKEL]
    budget = _to_voting(staff, budget, [(project, True) for project, _chance in proposed])
    box = _box(budget)
    addressees = [Addressee("Bewoner", f"{ARKEL_STREETS[n % len(ARKEL_STREETS)]} {n + 1}",
                            f"4241 {ALPHABET[10 + n % 20]}{ALPHABET[10 + n // 20 % 20]}", "Arkel")
                  for n in range(FINISHED_BALLOTS)]
    letters = issue_codes(actor=staff, box=box, addressees=addressees)
    rng = random.Random(2025)
    for number, letter in enumerate(letters):
        cast_ballot(actor=AnonymousUser(), box=box, choices=_arkel_ballot(rng, proposed, budget.amount),
                    idempotency_key=f"demo-arkel-{number}", code=letter.plain_code)
    closes = now - datetime.timedelta(days=150)
    opens = closes - datetime.timedelta(days=21)
    BallotBox.objects.filter(pk=box.pk).update(opens_at=opens, closes_at=closes)
    def a_day():
        return timezone.localdate(opens + datetime.timedelta(days=rng.randrange(21), hours=12))

    for pk in Ballot.objects.filter(box=box).order_by("id").values_list("pk", flat=True):  # random ids: no order
        Ballot.objects.filter(pk=pk).update(cast_on=a_day())
    for pk in Turnout.objects.filter(box=box).order_by("?").values_list("pk", flat=True):
        Turnout.objects.filter(pk=pk).update(voted_on=a_day())
    box = _box(budget)
    publish_result(actor=staff, box=box)
    BallotBox.objects.filter(pk=box.pk).update(result_published_at=closes + datetime.timedelta(days=3))
    budget = budget_services.set_phase(actor=staff, budget=Budget.objects.get(pk=budget.pk),
                                       phase=BudgetPhase.REALISATION)
    funded = budget.projects.filter(funded=True).order_by("pk")
    court = funded.filter(title=ARKEL[0][0]).first() or funded.first()
    for text, progress, days_ago in (
            ("De gemeente heeft de tegels en het grind besteld. Over zes weken begint de aanleg.", 20, 120),
            ("De baan ligt er. De buurt zet zelf de bankjes neer en legt de randen.", 75, 30)):
        update = budget_services.post_project_update(actor=staff, project=court, text=text, progress=progress)
        ProjectUpdate.objects.filter(pk=update.pk).update(at=now - datetime.timedelta(days=days_ago))


# Polls -----------------------------------------------------------------------------------------------------

def _market_poll(now) -> None:
    anna = _user("anna@example.org")
    poll = create_poll(actor=anna, kern=Kern.objects.get(slug="groot-ammers"), question=MARKET_POLL,
                       intro="De dorpsraad wil de weekmarkt terug. Welke dag past u het best? Na uw stem ziet u de "
                             "tussenstand.",
                       options=["Dinsdagochtend", "Donderdagmiddag", "Zaterdagochtend"],
                       opens_at=now - datetime.timedelta(days=2), closes_at=now + datetime.timedelta(days=12),
                       results_shown="after_own_vote")
    box = _box(poll)
    options = list(poll.options.values_list("pk", flat=True))
    for email, choice in (("kees@example.org", 2), ("marieke@example.org", 0)):
        cast_ballot(actor=_user(email), box=box, choices=[options[choice]], idempotency_key=f"demo-market-{email}")


def _aed_poll(staff, now) -> None:
    initiative = _initiative("AED-kast bij het dorpshuis")
    poll = create_poll(actor=staff, kern=Kern.objects.get(slug="bleskensgraaf"), question=AED_POLL,
                       intro="Dit is een open stemming: iedereen ziet wie wat koos.",
                       options=["Aan de gevel van het dorpshuis", "Bij de supermarkt", "Bij de kerk"],
                       opens_at=now - datetime.timedelta(days=1), closes_at=now + datetime.timedelta(days=9),
                       secret=False, initiative=initiative)
    henk = _user("henk@example.org")
    if henk is not None:
        option = poll.options.order_by("order", "pk").first()
        cast_ballot(actor=henk, box=_box(poll), choices=[option.pk], idempotency_key="demo-aed-henk")


@transaction.atomic
def seed(stdout=None) -> dict:
    staff = User.objects.get(email=STAFF)
    now = _now()
    made = []
    if not Poll.objects.filter(question=MARKET_POLL).exists():
        _market_poll(now)
        made.append(MARKET_POLL)
    if not Poll.objects.filter(question=AED_POLL).exists():
        _aed_poll(staff, now)
        made.append(AED_POLL)
    for title, build in ((VOTING_BUDGET, _voting_budget), (LETTER_BUDGET, _letter_budget),
                         (FINISHED_BUDGET, _finished_budget)):
        if not Budget.objects.filter(title=title).exists():
            build(staff, now)
            made.append(title)
    if stdout is not None:
        stdout.write(f"Voting: {len(made)} created, {Poll.objects.count()} polls and {Budget.objects.count()} "
                     f"budgets in total.")
        write_demo_codes(stdout)
    return {}


def write_demo_codes(stdout) -> None:
    codes = demo_codes()
    if not codes:
        return
    stdout.write(f"  Vote without an account in '{LETTER_BUDGET}' with a demo voting code (predictable, for the "
                 f"demo only):")
    for code, used in codes:
        stdout.write(f"    {code}{'   (used)' if used else ''}")
