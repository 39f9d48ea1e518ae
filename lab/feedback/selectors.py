"""Reading feedback: the counts for one encounter, and every encounter over time (for staff).

Each page costs a fixed number of queries, however many answers there are: the nine choices are counted
in one aggregate (per month in one grouped query), never answer by answer.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from lab.models import QUESTIONS, FeedbackAnswer, FeedbackInvitation

TONES = ("positive", "middle", "negative")  # the choices of every question, best first
TEXTS_SHOWN = 500
OVERVIEW_MONTHS = 12


@dataclass(frozen=True)
class Segment:
    value: str
    label: str
    tone: str
    count: int
    percent: int  # rounded, for people
    width: str  # exact, for the bar ("33.3"), never localised


@dataclass(frozen=True)
class Bar:
    label: object  # a question, or the first day of a month
    total: int
    segments: list[Segment]


@dataclass(frozen=True)
class Question:
    name: str
    question: str
    choices: list[str]
    bars: list[Bar]


@dataclass(frozen=True)
class Text:
    answered_on: datetime.date
    text: str


@dataclass(frozen=True)
class SubjectResults:
    invited: int  # invitations still held (an erased person's is gone)
    answered: int  # of those, used
    total: int  # answers given
    questions: list[Question]
    texts: list[Text]


def _counts() -> dict:
    """One ``Count`` per choice of every question, named ``<question>__<choice>``."""
    return {f"{name}__{value}": Count("id", filter=Q(**{name: value}))
            for name, _question, options in QUESTIONS for value in options.values}


def _bar(label, row: dict, name: str, options) -> Bar:
    counts = [row.get(f"{name}__{value}", 0) or 0 for value in options.values]
    total = sum(counts)
    segments = [
        Segment(value=value, label=str(choice_label), tone=tone, count=count,
                percent=round(100 * count / total) if total else 0,
                width=f"{100 * count / total:.1f}" if total else "0")
        for (value, choice_label), tone, count in zip(options.choices, TONES, counts, strict=True)
    ]
    return Bar(label=label, total=total, segments=segments)


def _answers(kind: str | None = None):
    answers = FeedbackAnswer.objects.all()
    return answers.filter(subject_kind=kind) if kind else answers


def results_for(*, kind: str, object_id: int) -> SubjectResults:
    """Who was asked, how many answered, the counts per choice and the texts (newest day first). 3 queries."""
    invitations = FeedbackInvitation.objects.filter(subject_kind=kind, subject_id=object_id).aggregate(
        invited=Count("id"), answered=Count("id", filter=Q(answered_at__isnull=False)))
    answers = _answers(kind).filter(subject_id=object_id)
    row = answers.aggregate(total=Count("id"), **_counts())
    questions = [Question(name=name, question=str(question), choices=[str(label) for label in options.labels],
                          bars=[_bar(str(question), row, name, options)])
                 for name, question, options in QUESTIONS]
    texts = [Text(answered_on=day, text=text) for day, text in
             answers.exclude(text="").order_by("-answered_on", "id").values_list("answered_on", "text")[:TEXTS_SHOWN]]
    return SubjectResults(invited=invitations["invited"], answered=invitations["answered"], total=row["total"],
                          questions=questions,
                          texts=texts)


def months_until(today: datetime.date, count: int = OVERVIEW_MONTHS) -> list[datetime.date]:
    """The first days of the last ``count`` months, oldest first, ending with ``today``'s month."""
    year, month = today.year, today.month
    firsts = []
    for _step in range(count):
        firsts.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return firsts[::-1]


def overview(*, kind: str | None = None, today: datetime.date | None = None,
             months: int = OVERVIEW_MONTHS) -> tuple[list[Question], int]:
    """Per question, one bar per month (empty months too) over the last ``months``; and the answers in all.

    ``kind`` limits it to one kind of encounter. One query.
    """
    firsts = months_until(today or timezone.localdate(), months)
    rows = {row["month"]: row for row in _answers(kind).filter(answered_on__gte=firsts[0])
            .annotate(month=TruncMonth("answered_on")).values("month").annotate(**_counts()).order_by("month")}
    rows = {(month.date() if isinstance(month, datetime.datetime) else month): row for month, row in rows.items()}
    questions = [Question(name=name, question=str(question), choices=[str(label) for label in options.labels],
                          bars=[_bar(first, rows.get(first, {}), name, options) for first in firsts])
                 for name, question, options in QUESTIONS]
    total = sum(bar.total for bar in questions[0].bars)
    return questions, total
