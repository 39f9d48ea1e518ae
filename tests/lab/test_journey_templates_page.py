"""The kept templates: planners see them and plan from one; who made a template, and staff, rename or remove
it; everyone else is refused and nothing changes. Removing a template changes no workshop planned from it."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.permissions import may
from lab.models import JourneyTemplate, Workshop
from lab.workshops import services
from lab.workshops.journey_json import save_template
from lab.workshops.services.journeys import remove_template, rename_template
from tests.lab.test_journey_templates_ui import JOURNEY
from tests.roles import ROLES, fresh

pytestmark = pytest.mark.django_db

PLANNERS = {"staff", "superuser", "facilitator", "maker"}
CHANGERS = {"staff", "superuser", "maker"}  # who made it (a planner), and staff


@pytest.fixture
def people(cast):
    from lab.workshops.views.journey_templates import PLANNERS_ONLY  # noqa: F401  (the page's module loads)
    from tests import factories
    from tests.lab.workshops.conftest import in_group

    return {**cast, "maker": in_group(factories.UserFactory(first_name="Maaike"))}


@pytest.fixture
def template(people):
    return save_template(actor=people["maker"], data=JOURNEY, title="Afval scheiden")


def client_of(user) -> Client:
    client = Client()
    if user.is_authenticated:
        client.force_login(user)
    return client


@pytest.mark.parametrize("role", [*ROLES, "maker"])
def test_the_rule_lets_who_made_it_and_staff_change_a_template(people, template, role):
    assert may(fresh(people[role]), "lab.change_template", template) is (role in CHANGERS)


@pytest.mark.parametrize("role", [*ROLES, "maker"])
def test_the_page_and_its_forms_answer_by_the_rules(people, template, role):
    client = client_of(people[role])
    page = client.get(reverse("lab:templates"))
    if role == "anonymous":
        assert page.status_code == 302 and "/accounts/login/" in page["Location"]
    elif role in PLANNERS:
        assert page.status_code == 200 and "Afval scheiden" in page.content.decode()
        assert (reverse("lab:rename_template", args=[template.pk]) in page.content.decode()) is (role in CHANGERS)
    else:
        assert page.status_code == 403
    client.post(reverse("lab:rename_template", args=[template.pk]), {"title": "Anders"})
    template.refresh_from_db()
    assert (template.title == "Anders") is (role in CHANGERS)
    client.post(reverse("lab:remove_template", args=[template.pk]))
    assert JourneyTemplate.objects.filter(pk=template.pk).exists() is (role not in CHANGERS)


def test_a_facilitator_who_left_the_lab_no_longer_changes_their_template(people, template):
    maker = people["maker"]
    maker.groups.clear()
    with pytest.raises(PermissionDenied):
        rename_template(actor=fresh(maker), template=template, title="Anders")


@pytest.mark.parametrize("title, error", [("", "Vul “naam van het sjabloon” in."), ("x" * 151, "150"),
                                          ("<b> </b>", "Vul “naam van het sjabloon” in.")])
def test_a_bad_name_is_refused_and_nothing_changes(people, template, title, error):
    with pytest.raises(ValidationError, match=error):
        rename_template(actor=people["maker"], template=template, title=title)
    template.refresh_from_db()
    assert template.title == "Afval scheiden"
    answer = client_of(people["maker"]).post(reverse("lab:rename_template", args=[template.pk]), {"title": title},
                                             follow=True)
    assert error in answer.content.decode()
    template.refresh_from_db()
    assert template.title == "Afval scheiden"


def test_a_name_with_markup_is_kept_as_plain_text(people, template):
    rename_template(actor=people["maker"], template=template, title="<script>x</script>Afval <b>apart</b>")
    template.refresh_from_db()
    assert "<" not in template.title and "Afval" in template.title


def test_an_unknown_template_is_not_found(people):
    client = client_of(people["staff"])
    assert client.post(reverse("lab:rename_template", args=[999]), {"title": "x"}).status_code == 404
    assert client.post(reverse("lab:remove_template", args=[999])).status_code == 404
    assert client.get(reverse("lab:rename_template", args=[1])).status_code == 405


def test_removing_a_template_changes_no_workshop_planned_from_it(people, template):
    start = timezone.now() + datetime.timedelta(days=3)
    planned = services.plan_from_journey(actor=people["maker"], data=template.data, starts_at=start,
                                         ends_at=start + datetime.timedelta(hours=2))
    remove_template(actor=people["maker"], template=template)
    planned = Workshop.objects.get(pk=planned.pk)
    assert [s.title for s in planned.stages.all()] == ["Horen", "Aanmelden", "Ophalen"]
    assert planned.cards.get().text == "Het formulier is lang"


def test_plan_with_this_template_comes_to_the_plan_page_with_it_chosen(people, template):
    client = client_of(people["facilitator"])
    page = client.get(reverse("lab:templates")).content.decode()
    link = f'{reverse("lab:plan_workshop")}?sjabloon={template.pk}'
    assert link in page
    plan = client.get(link).content.decode()
    assert f'<option value="{template.pk}" selected>' in plan
    forged = client.get(f'{reverse("lab:plan_workshop")}?sjabloon=x').content.decode()
    assert f'<option value="{template.pk}" selected>' not in forged


def test_the_page_reads_a_few_queries_whatever_the_number_of_templates(people, template):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_of(people["maker"])
    client.get(reverse("lab:templates"))  # the session's first visit of the day is written once

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("lab:templates"))
        return len(captured)

    one = queries()
    for n in range(15):
        save_template(actor=people["staff"], data=JOURNEY, title=f"Sjabloon {n}")
    assert queries() == one <= 10
    assert client.get(reverse("lab:templates")).content.decode().count('class="card"') == 16


def test_anonymous_services_are_refused(template):
    with pytest.raises(PermissionDenied):
        remove_template(actor=AnonymousUser(), template=template)


def test_renaming_one_template_leaves_the_others_as_they_were(people, template):
    other = save_template(actor=people["staff"], data=JOURNEY, title="Mantelzorg")
    rename_template(actor=people["maker"], template=template, title="Afval apart")
    other.refresh_from_db()
    assert other.title == "Mantelzorg"
