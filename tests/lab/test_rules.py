"""Who may read the answers about an encounter (the subject's own rule, asked with its object), and who
sees the overview over time. The pages ask these same rules."""

import pytest
from django.urls import reverse

from core.permissions import may
from lab.feedback.subjects import get_subject
from tests.factories_lab import TEST_KIND
from tests.roles import ROLES, STAFF, fresh

pytestmark = pytest.mark.django_db

# The test subject is a kern whose council reads the answers (community.moderate_kern): staff too.
SEES_ANSWERS = {"kern": {"council", *STAFF}, "other_kern": {"council_other_kern", *STAFF}}


@pytest.mark.parametrize("where", ["kern", "other_kern"])
@pytest.mark.parametrize("role", ROLES)
def test_who_sees_the_answers_of_an_encounter(cast, kern, other_kern, role, where):
    encounter = {"kern": kern, "other_kern": other_kern}[where]
    subject = get_subject(TEST_KIND)
    assert may(fresh(cast[role]), subject.may_see_answers, encounter) == (role in SEES_ANSWERS[where])


@pytest.mark.parametrize("role", ROLES)
def test_the_results_page_asks_the_same_rule(client, cast, kern, role):
    if role != "anonymous":
        client.force_login(cast[role])
    response = client.get(reverse("lab:feedback_results", args=[TEST_KIND, kern.pk]))
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == (200 if role in SEES_ANSWERS["kern"] else 403)


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_the_overview_over_time(client, cast, role):
    assert may(fresh(cast[role]), "lab.view_feedback_overview") == (role in STAFF)
    if role != "anonymous":
        client.force_login(cast[role])
        assert client.get(reverse("lab:feedback_overview")).status_code == (200 if role in STAFF else 403)
