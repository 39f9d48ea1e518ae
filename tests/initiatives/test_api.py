"""/api/v1/ for initiatives and pledges: the same grid as the rules, constant query counts, idempotency."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from initiatives.models import Initiative, Pledge, Status
from tests.factories import AdminFactory, CouncilMembershipFactory, StaffFactory, UserFactory
from tests.factories_initiatives import InitiativeFactory, MatchFundFactory, PledgeFactory

pytestmark = pytest.mark.django_db

PUBLIC = {Status.PUBLISHED, Status.FUNDING, Status.FUNDED, Status.NOT_FUNDED, Status.REALISED, Status.ARCHIVED}
ROLES = ["anonymous", "resident_own_kern", "resident_other_kern", "initiator", "council_own_kern",
         "council_other_kern", "staff", "admin"]


@pytest.fixture
def cast(kern, other_kern):
    return {
        "anonymous": AnonymousUser(),
        "resident_own_kern": UserFactory(kern=kern),
        "resident_other_kern": UserFactory(kern=other_kern),
        "initiator": UserFactory(kern=kern),
        "council_own_kern": CouncilMembershipFactory(kern=kern).user,
        "council_other_kern": CouncilMembershipFactory(kern=other_kern).user,
        "staff": StaffFactory(),
        "admin": AdminFactory(),
    }


def client_for(user):
    client = APIClient()
    if user.is_authenticated:
        client.force_authenticate(user)
    return client


def url(name, **kwargs):
    return reverse(f"api:{name}", kwargs=kwargs or None)


@pytest.mark.parametrize("status", list(Status))
def test_detail_and_list_obey_view_rule(cast, kern, status):
    initiative = InitiativeFactory(kern=kern, initiator=cast["initiator"], status=status)
    for role in ROLES:
        may_see = status in PUBLIC or role in {"initiator", "council_own_kern", "staff", "admin"}
        client = client_for(cast[role])
        response = client.get(url("initiatives-detail", pk=initiative.pk))
        assert response.status_code == (200 if may_see else 404), (role, status)
        listed = [item["id"] for item in client.get(url("initiatives-list")).json()["results"]]
        assert (initiative.pk in listed) is may_see, (role, status)


@pytest.mark.parametrize("action,field", [("approve", None), ("request-changes", "reason"), ("decline", "reason")])
def test_moderation_grid(cast, kern, action, field):
    for role in ROLES:
        initiative = InitiativeFactory(kern=kern, initiator=cast["initiator"], status=Status.SUBMITTED)
        response = client_for(cast[role]).post(url(f"initiatives-{action}", pk=initiative.pk),
                                               {"reason": "Graag een begroting"}, format="json")
        allowed = role in {"council_own_kern", "staff", "admin"}
        expected = 200 if allowed else {"anonymous": 403, "resident_own_kern": 404, "resident_other_kern": 404,
                                        "council_other_kern": 404, "initiator": 403}[role]
        # Anonymous is refused before anything is looked up; who may not see it gets 404; the initiator 403.
        if role == "anonymous":
            assert response.status_code in (401, 403)
        else:
            assert response.status_code == expected, (action, role, response.content)
        moved = Initiative.objects.get(pk=initiative.pk).status != Status.SUBMITTED
        assert moved is allowed, (action, role)


def test_invalid_transition_is_409_and_changes_nothing(cast, kern):
    initiative = InitiativeFactory(kern=kern, initiator=cast["initiator"], status=Status.DRAFT)
    response = client_for(cast["council_own_kern"]).post(url("initiatives-approve", pk=initiative.pk), {},
                                                         format="json")
    assert response.status_code == 409
    assert "Dit kan nu niet" in response.json()["detail"]
    assert Initiative.objects.get(pk=initiative.pk).status == Status.DRAFT


def test_create_update_submit_by_initiator(cast, kern):
    client = client_for(cast["initiator"])
    response = client.post(url("initiatives-list"), {
        "title": "Bloembakken in de Dorpsstraat", "summary": "Kleur in de straat", "story": "<p>Samen planten</p>",
        "goal": "300.00", "deadline": (timezone.localdate() + datetime.timedelta(days=20)).isoformat()},
        format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["permissions"]["change_initiative"] is True
    assert client.patch(url("initiatives-detail", pk=pk), {"summary": "Meer kleur"}, format="json").status_code == 200
    other = client_for(cast["resident_own_kern"])
    assert other.patch(url("initiatives-detail", pk=pk), {"summary": "Gekaapt"}, format="json").status_code == 404
    assert client.post(url("initiatives-submit", pk=pk), {}, format="json").status_code == 200
    assert Initiative.objects.get(pk=pk).status == Status.SUBMITTED
    assert client.patch(url("initiatives-detail", pk=pk), {"summary": "Te laat"}, format="json").status_code == 403


def test_create_bad_input_400(cast):
    response = client_for(cast["initiator"]).post(url("initiatives-list"), {"title": "x", "goal": "-3"}, format="json")
    assert response.status_code == 400
    assert not Initiative.objects.exists()
    assert client_for(cast["anonymous"]).post(url("initiatives-list"), {"title": "Een plan"}).status_code in (401, 403)


def test_audit_trail_grid(cast, kern):
    initiative = InitiativeFactory(kern=kern, initiator=cast["initiator"], status=Status.FUNDING)
    for role in ROLES:
        response = client_for(cast[role]).get(url("initiatives-events", pk=initiative.pk))
        allowed = role in {"initiator", "council_own_kern", "staff", "admin"}
        assert response.status_code == (200 if allowed else 403), role


def test_pledge_with_idempotency_key(cast, kern):
    initiative = InitiativeFactory(kern=kern, initiator=cast["initiator"], status=Status.FUNDING)
    MatchFundFactory(kern=kern)
    client = client_for(cast["resident_other_kern"])
    target = url("initiatives-pledge", pk=initiative.pk)
    body = {"kind": "money", "amount": "25.00"}
    assert client.post(target, body, format="json").status_code == 400  # no key
    first = client.post(target, body, format="json", HTTP_IDEMPOTENCY_KEY="klik-1")
    again = client.post(target, body, format="json", HTTP_IDEMPOTENCY_KEY="klik-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    conflict = client.post(target, {"kind": "money", "amount": "30.00"}, format="json", HTTP_IDEMPOTENCY_KEY="klik-1")
    assert conflict.status_code == 409
    assert Pledge.objects.count() == 1
    detail = client.get(url("initiatives-detail", pk=initiative.pk)).json()
    assert (detail["pledged_total"], detail["matched_total"]) == ("25.00", "25.00")
    mine = client.get(url("pledges-mine")).json()["results"]
    assert [p["id"] for p in mine] == [first.json()["id"]]
    assert client_for(cast["resident_own_kern"]).get(url("pledges-mine")).json()["results"] == []


def test_pledge_grid(cast, kern):
    for status in Status:
        initiative = InitiativeFactory(kern=kern, initiator=cast["initiator"], status=status)
        for role in ROLES:
            response = client_for(cast[role]).post(
                url("initiatives-pledge", pk=initiative.pk), {"kind": "money", "amount": "5"}, format="json",
                HTTP_IDEMPOTENCY_KEY=f"{role}-{status}")
            allowed = status == Status.FUNDING and role not in {"anonymous", "initiator"}
            assert (response.status_code == 201) is allowed, (role, status, response.status_code)
    assert Pledge.objects.count() == len(ROLES) - 2


def test_cancel_pledge_only_own(cast, kern):
    initiative = InitiativeFactory(kern=kern, initiator=cast["initiator"], status=Status.FUNDING)
    pledge = PledgeFactory(initiative=initiative, pledger=cast["resident_own_kern"])
    assert client_for(cast["resident_other_kern"]).post(url("pledges-cancel", pk=pledge.pk)).status_code == 404
    assert client_for(cast["staff"]).post(url("pledges-cancel", pk=pledge.pk)).status_code == 404
    response = client_for(cast["resident_own_kern"]).post(url("pledges-cancel", pk=pledge.pk))
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert client_for(cast["resident_own_kern"]).post(url("pledges-cancel", pk=pledge.pk)).status_code == 400


def test_list_filters(cast, kern, other_kern):
    InitiativeFactory(kern=kern, initiator=cast["initiator"], status=Status.FUNDING, theme="groen")
    InitiativeFactory(kern=other_kern, status=Status.PUBLISHED, theme="cultuur")
    client = client_for(cast["anonymous"])
    assert client.get(url("initiatives-list"), {"kern": kern.slug}).json()["count"] == 1
    assert client.get(url("initiatives-list"), {"theme": "cultuur"}).json()["count"] == 1
    assert client.get(url("initiatives-list"), {"status": "funding"}).json()["count"] == 1
    assert client.get(url("initiatives-list"), {"kern": "bestaat-niet"}).json()["count"] == 0


def make_many(kern, n):
    initiatives = InitiativeFactory.create_batch(n, kern=kern, status=Status.FUNDING, goal=Decimal("500.00"))
    pledger = UserFactory(kern=kern)
    Pledge.objects.bulk_create([Pledge(initiative=i, pledger=pledger, kind="money", amount=Decimal("12.34"),
                                       idempotency_key=f"bulk-{i.pk}-{j}") for i in initiatives for j in range(3)])


@pytest.mark.parametrize("count", [10, 200])
@pytest.mark.parametrize("role", ["anonymous", "council_own_kern"])
def test_list_query_count_is_constant(cast, kern, count, role, django_assert_max_num_queries):
    make_many(kern, count)
    client = client_for(cast[role])
    with django_assert_max_num_queries(3):  # council kernen, count, page (with totals in subqueries)
        response = client.get(url("initiatives-list"), {"sort": "most_supported"})
    assert response.status_code == 200
    assert response.json()["count"] == count
    assert response.json()["results"][0]["pledged_total"] == "37.02"


def test_schema_lists_initiative_endpoints(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path in ("/api/v1/initiatives/", "/api/v1/initiatives/{id}/", "/api/v1/initiatives/{id}/pledges/",
                 "/api/v1/initiatives/{id}/approve/", "/api/v1/pledges/"):
        assert path in schema["paths"], path
