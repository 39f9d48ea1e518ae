"""The feedback pages: answer by link without an account, or signed in; thanks; the counts; no surprises."""

import datetime

import pytest
from django.urls import reverse

from lab.feedback import services
from lab.models import FeedbackAnswer, FeedbackInvitation
from tests import factories
from tests.factories_lab import GOOD, TEST_KIND, FeedbackAnswerFactory, token_of

pytestmark = pytest.mark.django_db


def test_the_link_opens_the_form_without_an_account(client, invited):
    response = client.get(next(iter(invited.values())))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Hoe was deze bijeenkomst?" in html and "Werd er naar u geluisterd?" in html
    assert html.count('type="radio"') == 9 and "<textarea" in html
    assert 'lang="nl"' in html


def test_answering_by_link_leads_to_thanks_and_a_second_time_says_already(client, invited):
    link = next(iter(invited.values()))
    response = client.post(link, {**GOOD, "text": "Mooi"}, follow=True)
    assert response.redirect_chain == [(reverse("lab:feedback_thanks"), 302)]
    assert "Dank u wel!" in response.content.decode()
    assert FeedbackAnswer.objects.get().text == "Mooi"
    again = client.post(link, {**GOOD, "experience": "bad"})
    assert again.status_code == 200 and "U heeft al geantwoord" in again.content.decode()
    assert "U heeft al geantwoord" in client.get(link).content.decode()
    assert list(FeedbackAnswer.objects.values_list("experience", flat=True)) == ["good"]


def test_a_form_without_choices_says_what_is_missing_and_saves_nothing(client, invited):
    response = client.post(next(iter(invited.values())), {"experience": "good", "heard": "loud"})
    assert response.status_code == 400
    assert response.content.decode().count("Kies één antwoord.") == 2
    assert "Kies bij elke vraag één antwoord." in response.content.decode()
    assert not FeedbackAnswer.objects.exists()


def test_a_wrong_link_is_a_404_that_says_so(client, invited):
    response = client.get(reverse("lab:feedback_by_link", args=["nietgeldig"]))
    assert response.status_code == 404 and "Deze link werkt niet" in response.content.decode()
    assert client.post(reverse("lab:feedback_by_link", args=["nietgeldig"]), GOOD).status_code == 404
    assert not FeedbackAnswer.objects.exists()


def test_a_signed_in_invitee_answers_on_the_encounters_own_address(client, encounter, invited):
    person = next(iter(invited))
    client.force_login(person)
    url = reverse("lab:feedback_answer", args=[TEST_KIND, encounter.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, GOOD).status_code == 302
    assert FeedbackInvitation.objects.get(user=person).answered
    assert "U heeft al geantwoord" in client.get(url).content.decode()


def test_someone_not_invited_is_told_so(client, encounter, invited, kern):
    client.force_login(factories.UserFactory(kern=kern))
    url = reverse("lab:feedback_answer", args=[TEST_KIND, encounter.pk])
    response = client.get(url)
    assert response.status_code == 403 and "niet uitgenodigd" in response.content.decode()
    assert client.post(url, GOOD).status_code == 403
    assert not FeedbackAnswer.objects.exists()


def test_unknown_kinds_and_encounters_are_404(client, staff, encounter):
    client.force_login(staff)
    assert client.get(reverse("lab:feedback_results", args=["x", encounter.pk])).status_code == 404
    assert client.get(reverse("lab:feedback_results", args=[TEST_KIND, 999999])).status_code == 404
    assert client.get(reverse("lab:feedback_answer", args=["x", encounter.pk])).status_code == 404


def test_the_results_page_shows_the_counts(client, council_member, encounter, invited):
    links = list(invited.values())
    for link, (experience, text) in zip(links[:2], [("good", "Top <b>avond</b>"), ("bad", "")], strict=True):
        services.answer(kind=TEST_KIND, object_id=encounter.pk, token=token_of(link), **{**GOOD,
                        "experience": experience}, text=text)
    client.force_login(council_member)
    response = client.get(reverse("lab:feedback_results", args=[TEST_KIND, encounter.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<dt>Gevraagd</dt><dd>3</dd>" in html and "<dt>Geantwoord</dt><dd>2</dd>" in html
    assert '<td data-label="Goed">1 (50%)</td>' in html and '<td data-label="Niet goed">1 (50%)</td>' in html
    assert '<td data-label="Ja">2 (100%)</td>' in html
    assert "Top avond" in html and "<b>avond" not in html
    results = response.context["results"]
    assert [s.count for s in results.questions[0].bars[0].segments] == [1, 0, 1]


def test_the_results_page_costs_the_same_few_queries_for_many_answers(client, council_member, encounter,
                                                                      django_assert_max_num_queries):
    client.force_login(council_member)
    url = reverse("lab:feedback_results", args=[TEST_KIND, encounter.pk])
    FeedbackAnswerFactory.create_batch(3, subject_id=encounter.pk, text="Kort")
    client.get(url)  # the start of the visit (session, last visit) is not the page's cost
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200
    FeedbackAnswerFactory.create_batch(60, subject_id=encounter.pk, experience="bad", text="Nog iets")
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert "63 antwoorden" in response.content.decode()


def test_the_overview_shows_months_as_chart_and_table(client, staff, encounter, django_assert_max_num_queries):
    today = datetime.date.today()
    FeedbackAnswerFactory.create_batch(2, subject_id=encounter.pk, answered_on=today)
    FeedbackAnswerFactory(subject_id=encounter.pk, answered_on=today - datetime.timedelta(days=400))  # too old
    client.force_login(staff)
    client.get(reverse("lab:feedback_overview"))  # the start of the visit is not the page's cost
    with django_assert_max_num_queries(10):
        response = client.get(reverse("lab:feedback_overview"), {"soort": TEST_KIND})
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 antwoorden in het laatste jaar." in html
    assert html.count("<table") == 3 and html.count('<tr>\n        <th scope="row">') == 36  # 12 months × 3
    assert 'class="feedback-chart__segment feedback-tone--positive" style="inline-size: 100.0%"' in html
    assert client.get(reverse("lab:feedback_overview"), {"soort": "<script>"}).status_code == 200


def test_the_pages_are_in_english_for_english_readers(client, invited):
    client.cookies["django_language"] = "en"
    html = client.get(next(iter(invited.values())), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Did people listen to you?" in html
