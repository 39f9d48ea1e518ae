"""Village budgets (kernbudget): residents propose projects, staff check them, residents divide the money.

Phases: proposals → review (feasibility and cost, with reasons) → voting → result → realisation (progress
updates). The ballot format and the counting rule are the budget's own (decision 31); the count is
``voting.counting``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TITLE_MAX = 120
SUMMARY_MAX = 2000


class BudgetPhase(models.TextChoices):
    PROPOSALS = "proposals", _("ideeën indienen")
    REVIEW = "review", _("ideeën worden bekeken")
    VOTING = "voting", _("stemmen")
    RESULT = "result", _("uitslag")
    REALISATION = "realisation", _("uitvoering")


PHASE_ORDER = [phase.value for phase in BudgetPhase]


class BallotFormat(models.TextChoices):
    KNAPSACK = "knapsack", _("kies projecten tot het budget op is")
    APPROVAL = "approval", _("kies een aantal projecten")
    POINTS = "points", _("verdeel punten over projecten")


class CountingRule(models.TextChoices):
    GREEDY = "greedy", _("meeste stemmen eerst")
    EQUAL_SHARES = "equal_shares", _("methode van gelijke delen")


class Budget(models.Model):
    box = models.OneToOneField("voting.BallotBox", on_delete=models.PROTECT, related_name="budget")
    title = models.CharField(_("titel"), max_length=TITLE_MAX)
    slug = models.SlugField(max_length=TITLE_MAX, unique=True)
    intro = models.TextField(_("uitleg"), blank=True, max_length=SUMMARY_MAX)
    amount = models.PositiveIntegerField(_("budget in euro"), validators=[MinValueValidator(1)])
    phase = models.CharField(_("fase"), max_length=12, choices=BudgetPhase.choices, default=BudgetPhase.PROPOSALS)
    proposals_until = models.DateField(_("ideeën indienen tot"), null=True, blank=True)
    ballot_format = models.CharField(_("stembiljet"), max_length=10, choices=BallotFormat.choices,
                                     default=BallotFormat.KNAPSACK)
    max_projects = models.PositiveSmallIntegerField(_("hoogstens zoveel projecten"), null=True, blank=True,
                                                    help_text=_("Bij 'kies een aantal projecten'."))
    min_projects = models.PositiveSmallIntegerField(_("minstens zoveel projecten"), default=1,
                                                    validators=[MinValueValidator(1)])
    points_total = models.PositiveSmallIntegerField(_("punten per inwoner"), null=True, blank=True,
                                                    help_text=_("Bij 'verdeel punten'."))
    counting_rule = models.CharField(_("telregel"), max_length=14, choices=CountingRule.choices,
                                     default=CountingRule.EQUAL_SHARES)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("kernbudget")
        verbose_name_plural = _("kernbudgetten")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("voting:budget", args=[self.slug])

    @property
    def kern(self):
        return self.box.kern

    @property
    def kern_id(self):
        return self.box.kern_id

    def phase_reached(self, phase: str) -> bool:
        return PHASE_ORDER.index(self.phase) >= PHASE_ORDER.index(phase)


class ProjectState(models.TextChoices):
    PROPOSED = "proposed", _("ingediend")
    FEASIBLE = "feasible", _("haalbaar")
    NOT_FEASIBLE = "not_feasible", _("niet haalbaar")
    WITHDRAWN = "withdrawn", _("teruggetrokken")


class Project(models.Model):
    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="projects")
    title = models.CharField(_("titel"), max_length=TITLE_MAX)
    summary = models.TextField(_("omschrijving"), max_length=SUMMARY_MAX)
    cost = models.PositiveIntegerField(_("kosten in euro"), validators=[MinValueValidator(1)])
    state = models.CharField(_("stand"), max_length=14, choices=ProjectState.choices, default=ProjectState.PROPOSED)
    review_reason = models.TextField(_("toelichting van de gemeente"), blank=True, max_length=SUMMARY_MAX)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    proposer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="budget_projects")
    initiative = models.ForeignKey("initiatives.Initiative", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="budget_projects")
    funded = models.BooleanField(_("gekozen"), default=False, editable=False)
    progress = models.PositiveSmallIntegerField(_("voortgang in procent"), default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projecten")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def on_ballot(self) -> bool:
        return self.state == ProjectState.FEASIBLE


class ProjectUpdate(models.Model):
    """News about a chosen project while it is carried out."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="updates")
    text = models.TextField(_("bericht"), max_length=SUMMARY_MAX)
    progress = models.PositiveSmallIntegerField(_("voortgang in procent"), default=0)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.progress}%"
