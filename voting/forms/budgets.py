"""Forms of village budgets: they read what a person typed; the services decide whether it may be done."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.models import Kern
from initiatives.models import Initiative
from voting.models import SUMMARY_MAX, TITLE_MAX, BallotFormat, Budget, CountingRule, Project, WhoMayVote
from voting.services.budgets import MAX_AMOUNT, MAX_POINTS, MAX_PROJECTS_LIMIT, RULES_OF_THE_VOTE, voting_started

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class BudgetForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=TITLE_MAX)
    intro = forms.CharField(label=_("Uitleg"), max_length=SUMMARY_MAX, required=False,
                            widget=forms.Textarea(attrs={"rows": 4}),
                            help_text=_("Waar is het geld voor? Wat mogen inwoners voorstellen?"))
    kern = forms.ModelChoiceField(label=_("Kern"), queryset=Kern.objects.order_by("name"), required=False,
                                  empty_label=_("De hele gemeente"))
    amount = forms.IntegerField(label=_("Budget in euro"), min_value=1, max_value=MAX_AMOUNT)
    proposals_until = forms.DateField(label=_("Ideeën indienen tot en met"), required=False,
                                      widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    opens_at = forms.DateTimeField(label=_("Stemmen vanaf"),
                                   widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT))
    closes_at = forms.DateTimeField(label=_("Stemmen tot"),
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                               format=DATETIME_FORMAT))
    who_may_vote = forms.ChoiceField(label=_("Wie mag stemmen"), choices=WhoMayVote.choices,
                                     initial=WhoMayVote.RESIDENTS)
    ballot_format = forms.ChoiceField(label=_("Stembiljet"), choices=BallotFormat.choices,
                                      initial=BallotFormat.KNAPSACK, widget=forms.RadioSelect)
    min_projects = forms.IntegerField(label=_("Minstens zoveel projecten kiezen"), min_value=1,
                                      max_value=MAX_PROJECTS_LIMIT, initial=1)
    max_projects = forms.IntegerField(label=_("Hoogstens zoveel projecten kiezen"), min_value=1,
                                      max_value=MAX_PROJECTS_LIMIT, required=False,
                                      help_text=_("Alleen bij “kies een aantal projecten”. Leeg: geen grens."))
    points_total = forms.IntegerField(label=_("Punten per inwoner"), min_value=1, max_value=MAX_POINTS,
                                      required=False, help_text=_("Alleen bij “verdeel punten over projecten”."))
    counting_rule = forms.ChoiceField(label=_("Telregel"), choices=CountingRule.choices,
                                      initial=CountingRule.EQUAL_SHARES, widget=forms.RadioSelect)

    def __init__(self, *args, budget: Budget | None = None, **kwargs):
        if budget is not None and "initial" not in kwargs:
            box = budget.box
            kwargs["initial"] = {
                "title": budget.title, "intro": budget.intro, "kern": box.kern_id, "amount": budget.amount,
                "proposals_until": budget.proposals_until, "opens_at": timezone.localtime(box.opens_at),
                "closes_at": timezone.localtime(box.closes_at), "who_may_vote": box.who_may_vote,
                "ballot_format": budget.ballot_format, "min_projects": budget.min_projects,
                "max_projects": budget.max_projects, "points_total": budget.points_total,
                "counting_rule": budget.counting_rule}
        super().__init__(*args, **kwargs)
        self.frozen = budget is not None and voting_started(budget)
        if self.frozen:
            for name in RULES_OF_THE_VOTE:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Dit ligt vast: de stemming is begonnen.")
            if budget.box.is_closed():
                self.fields["closes_at"].disabled = True

    def service_values(self) -> dict:
        """What the person may set here: a frozen (disabled) field is not theirs to send."""
        return {name: value for name, value in self.cleaned_data.items() if not self.fields[name].disabled}


class ProposeForm(forms.Form):
    title = forms.CharField(label=_("Titel van uw idee"), max_length=TITLE_MAX,
                            help_text=_("Kort en duidelijk, bijvoorbeeld “Bankjes bij de speeltuin”."))
    summary = forms.CharField(label=_("Wat wilt u doen, en waarom?"), max_length=SUMMARY_MAX,
                              widget=forms.Textarea(attrs={"rows": 5}))
    cost = forms.IntegerField(label=_("Wat kost het ongeveer? (euro)"), min_value=1,
                              help_text=_("Een schatting is goed. De gemeente rekent het later na."))
    initiative = forms.ModelChoiceField(label=_("Hoort dit bij een initiatief van u?"), required=False,
                                        queryset=Initiative.objects.none(), empty_label=_("Nee"))

    def __init__(self, *args, initiatives=None, **kwargs):
        super().__init__(*args, **kwargs)
        if initiatives is not None and initiatives.exists():
            self.fields["initiative"].queryset = initiatives
        else:
            del self.fields["initiative"]

    def service_values(self) -> dict:
        return {"title": self.cleaned_data["title"], "summary": self.cleaned_data["summary"],
                "cost": self.cleaned_data["cost"], "initiative": self.cleaned_data.get("initiative")}


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("Kan dit project door?"), widget=forms.RadioSelect, choices=[
        ("feasible", _("Ja, het is haalbaar: het komt op het stembiljet")),
        ("not_feasible", _("Nee, het is niet haalbaar"))])
    reason = forms.CharField(label=_("Toelichting voor de inwoners"), max_length=SUMMARY_MAX,
                             widget=forms.Textarea(attrs={"rows": 4}),
                             help_text=_("Iedereen leest dit. Schrijf kort en duidelijk waarom."))
    cost = forms.IntegerField(label=_("Kosten in euro"), min_value=1, required=False,
                              help_text=_("De kosten die op het stembiljet staan. Nodig als het haalbaar is."))

    def __init__(self, *args, project: Project | None = None, **kwargs):
        if project is not None and "initial" not in kwargs:
            kwargs["initial"] = {"reason": project.review_reason, "cost": project.cost,
                                 "decision": project.state if project.state in ("feasible", "not_feasible") else None}
        super().__init__(*args, **kwargs)

    def service_values(self) -> dict:
        return {"feasible": self.cleaned_data["decision"] == "feasible", "reason": self.cleaned_data["reason"],
                "cost": self.cleaned_data.get("cost")}


class ProjectUpdateForm(forms.Form):
    text = forms.CharField(label=_("Bericht"), max_length=SUMMARY_MAX, widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=_("Wat is er gedaan? Wat komt er nog?"))
    progress = forms.IntegerField(label=_("Hoe ver is het? (procent)"), min_value=0, max_value=100)

    def __init__(self, *args, project: Project | None = None, **kwargs):
        if project is not None and "initial" not in kwargs:
            kwargs["initial"] = {"progress": project.progress}
        super().__init__(*args, **kwargs)
