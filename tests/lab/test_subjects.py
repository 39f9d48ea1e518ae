"""The registry of what can be asked about: apps describe their encounters, lab imports none of them."""

import datetime

import pytest

import lab.feedback
from lab.feedback.selectors import months_until, overview
from lab.feedback.subjects import UnknownSubject, get_subject, register_subject
from tests.factories_lab import TEST_KIND, FeedbackAnswerFactory


def test_a_registered_subject_resolves_its_objects(db, kern):
    subject = get_subject(TEST_KIND)
    assert subject.object(kern.pk) == kern and subject.title(kern) == f"Avond in {kern.name}"
    assert subject.object(999999) is None and subject.object("x") is None


def test_an_unknown_kind_fails_loudly():
    with pytest.raises(UnknownSubject):
        get_subject("walks_that_never_were")


@pytest.mark.parametrize("kind", ["", "Wijkschouw", "a/b", "x" * 51, "met spatie"])
def test_a_kind_is_a_short_lower_case_name(kind):
    with pytest.raises(ValueError):
        register_subject(kind, resolve=lambda pk: None, title=str, question="?", may_see_answers="x", url=str)


def test_the_package_offers_the_whole_api():
    assert {lab.feedback.register_subject, lab.feedback.invite, lab.feedback.answer, lab.feedback.results_for}
    assert callable(lab.feedback.invite) and callable(lab.feedback.answer)


def test_months_run_back_over_the_turn_of_the_year():
    assert months_until(datetime.date(2025, 2, 17), 4) == [
        datetime.date(2024, 11, 1), datetime.date(2024, 12, 1), datetime.date(2025, 1, 1), datetime.date(2025, 2, 1)]


def test_the_overview_counts_per_month_and_kind(db, kern):
    today = datetime.date(2025, 3, 10)
    FeedbackAnswerFactory(subject_id=kern.pk, answered_on=datetime.date(2025, 3, 1))
    FeedbackAnswerFactory(subject_id=kern.pk, answered_on=datetime.date(2025, 1, 31), experience="bad", heard="no")
    FeedbackAnswerFactory(subject_id=kern.pk, answered_on=datetime.date(2025, 1, 2), experience="okay")
    FeedbackAnswerFactory(subject_kind="other_kind", subject_id=kern.pk, answered_on=datetime.date(2025, 1, 2))
    questions, total = overview(kind=TEST_KIND, today=today, months=3)
    experience = questions[0]
    assert [bar.label for bar in experience.bars] == [datetime.date(2025, m, 1) for m in (1, 2, 3)]
    assert [[s.count for s in bar.segments] for bar in experience.bars] == [[0, 1, 1], [0, 0, 0], [1, 0, 0]]
    assert [s.percent for s in experience.bars[0].segments] == [0, 50, 50]
    assert total == 3
    assert overview(today=today, months=3)[1] == 4  # every kind
