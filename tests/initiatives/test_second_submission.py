"""A second submission is never an accident; one amount validation everywhere; overload is 503, never 500."""

import datetime
import io
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from core.errors import Overloaded
from initiatives import services
from initiatives.forms import PlaceForm, PledgeForm
from initiatives.images import process_image
from initiatives.models import Initiative, InitiativePhoto, MatchFund, Pledge, Status
from initiatives.money import parse_euro
from initiatives.services.errors import InvalidTransition, PossibleDuplicate
from tests.factories import UserFactory
from tests.factories_initiatives import MatchFundFactory, PledgeFactory
from tests.photos import gps_tagged_jpeg

pytestmark = pytest.mark.django_db

D = Decimal


# --- One amount validation -----------------------------------------------------------------------------

GOOD = [("25", D("25.00")), ("25,50", D("25.50")), ("25.50", D("25.50")), ("€ 1.250,50", D("1250.50")),
        ("1 250,50", D("1250.50")), ("€25", D("25.00")), (" 7 ", D("7.00")), ("10000", D("10000.00")),
        ("1,250.50", D("1250.50"))]
BAD = ["1e2", "1E2", "-5", "+5", "0", "0,99", "0.50", "25,505", "10000,01", "NaN", "Infinity", "abc", "1.250",
       "25,5,0", "12 50", "", "0x10", "٢٥"]


@pytest.mark.parametrize(("typed", "expected"), GOOD)
def test_parse_euro_reads_what_people_type(typed, expected):
    assert parse_euro(typed) == expected


@pytest.mark.parametrize("typed", BAD)
def test_parse_euro_refuses_the_rest(typed):
    with pytest.raises(ValidationError):
        parse_euro(typed)


@pytest.mark.parametrize("typed", ["1e2", "0.50", "10000.01", "25,505", "25,50", "€ 1.250,50"])
def test_web_and_api_accept_and_refuse_the_same_with_the_same_message(funding_initiative, resident, typed):
    funding_initiative.goal = D("5000.00")
    funding_initiative.save()
    form = PledgeForm({"kind": "money", "amount": typed, "idempotency_key": "w"})
    web_ok = form.is_valid()
    api = APIClient()
    api.force_authenticate(resident)
    response = api.post(f"/api/v1/initiatives/{funding_initiative.pk}/pledges/", {"kind": "money", "amount": typed},
                        format="json", HTTP_IDEMPOTENCY_KEY=f"api-{typed}")
    assert web_ok is (response.status_code == 201), (typed, form.errors, response.content)
    if not web_ok:
        assert response.status_code == 400
        assert form.errors["amount"] == [response.json()["errors"]["amount"][0]]
        assert "€\xa01,00 en €\xa010.000,00" in form.errors["amount"][0]
    else:
        assert Pledge.objects.get().amount == form.cleaned_data["amount"]


def test_the_api_no_longer_reads_1e2_as_100(funding_initiative, resident):
    api = APIClient()
    api.force_authenticate(resident)
    response = api.post(f"/api/v1/initiatives/{funding_initiative.pk}/pledges/", {"kind": "money", "amount": "1e2"},
                        format="json", HTTP_IDEMPOTENCY_KEY="e")
    assert response.status_code == 400 and not Pledge.objects.exists()


def test_coordinates_typed_with_a_decimal_comma_are_read_as_shown():
    form = PlaceForm({"latitude": "51,8812", "longitude": "4,8305"})
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["latitude"], form.cleaned_data["longitude"]) == (D("51.8812"), D("4.8305"))
    dotted = PlaceForm({"latitude": "51.8812", "longitude": "4.8305"})
    assert dotted.is_valid() and dotted.cleaned_data["latitude"] == D("51.8812")


# --- A deadline in the past -----------------------------------------------------------------------------


def test_a_deadline_in_the_past_is_refused_on_its_step_naming_the_field(client, make_initiative, initiator):
    initiative = make_initiative(Status.DRAFT, deadline=None)
    client.force_login(initiator)
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = client.post(reverse("initiatives:edit_step", args=[initiative.pk, "nodig"]),
                           {"goal": "500", "deadline": yesterday, "needs_volunteers": "0"})
    assert response.status_code == 400
    assert "De einddatum ligt in het verleden" in response.context["form"].errors["deadline"][0]
    initiative.refresh_from_db()
    assert initiative.deadline is None and initiative.goal == D("1000.00")


def test_update_draft_refuses_a_past_deadline_with_code_deadline(make_initiative, initiator):
    initiative = make_initiative(Status.DRAFT, deadline=None)
    with pytest.raises(ValidationError) as refused:
        services.update_draft(actor=initiator, initiative=initiative,
                              deadline=timezone.localdate() - datetime.timedelta(days=1))
    assert refused.value.code == "deadline"
    initiative.refresh_from_db()
    assert initiative.deadline is None


# --- Drafts: Back and submit again ----------------------------------------------------------------------


def test_the_start_form_sent_twice_makes_one_draft(client, resident, kern):
    client.force_login(resident)
    page = client.get(reverse("initiatives:start")).content.decode()
    assert 'name="client_key"' in page
    body = {"title": "Bankjes langs de dijk", "summary": "", "theme": "groen", "kern": kern.pk,
            "client_key": "start-1"}
    first = client.post(reverse("initiatives:start"), body)
    again = client.post(reverse("initiatives:start"), body)
    assert Initiative.objects.count() == 1
    assert first.url == again.url


def test_a_second_draft_with_the_same_title_asks_first(client, resident, kern):
    client.force_login(resident)
    body = {"title": "Bankjes langs de dijk", "summary": "", "theme": "groen", "kern": kern.pk}
    client.post(reverse("initiatives:start"), {**body, "client_key": "a"})
    response = client.post(reverse("initiatives:start"), {**body, "client_key": "b"})
    assert response.status_code == 200
    assert "Nog een concept met deze titel?" in response.content.decode()
    assert Initiative.objects.count() == 1
    confirmed = client.post(reverse("initiatives:start"), {**body, "client_key": "b", "confirm_repeat": "True"})
    assert confirmed.status_code == 302 and Initiative.objects.count() == 2


def test_create_draft_with_the_same_key_returns_the_first(resident, kern):
    first = services.create_draft(initiator=resident, title="Bankjes langs de dijk", client_key="k")
    assert services.create_draft(initiator=resident, title="Iets anders nu", client_key="k").pk == first.pk
    with pytest.raises(PossibleDuplicate):
        services.create_draft(initiator=resident, title="bankjes langs de dijk", client_key="k2")


# --- Deleting a draft -----------------------------------------------------------------------------------


def test_the_main_initiator_deletes_a_draft_with_its_photos(make_initiative, initiator,
                                                            django_capture_on_commit_callbacks):
    draft = make_initiative(Status.DRAFT)
    photo = services.add_photo(actor=initiator, initiative=draft, image=process_image(io.BytesIO(gps_tagged_jpeg())),
                               alt_text="Het veld")
    names = [r["name"] for r in photo.renditions]
    assert all(default_storage.exists(name) for name in names)
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_draft(actor=initiator, initiative=draft)
    assert not Initiative.objects.filter(pk=draft.pk).exists() and not InitiativePhoto.objects.exists()
    assert not any(default_storage.exists(name) for name in names)


@pytest.mark.parametrize("status", [s for s in Status if s != Status.DRAFT])
def test_only_drafts_are_deleted(make_initiative, initiator, status):
    initiative = make_initiative(status)
    with pytest.raises(InvalidTransition):
        services.delete_draft(actor=initiator, initiative=initiative)
    assert Initiative.objects.filter(pk=initiative.pk).exists()


def test_only_the_main_initiator_deletes(make_initiative, resident, staff, initiator):
    draft = make_initiative(Status.DRAFT)
    co = UserFactory(kern=draft.kern)
    draft.co_initiators.add(co)
    for actor in (resident, staff, co):
        with pytest.raises(PermissionDenied):
            services.delete_draft(actor=actor, initiative=Initiative.objects.get(pk=draft.pk))
    assert Initiative.objects.filter(pk=draft.pk).exists()


def test_delete_a_draft_on_the_web_asks_first(client, make_initiative, initiator, resident):
    draft = make_initiative(Status.DRAFT)
    url = reverse("initiatives:delete_draft", args=[draft.pk])
    client.force_login(resident)
    assert client.get(url).status_code == 404  # someone else's draft: as if it were not there
    client.force_login(initiator)
    step = client.get(reverse("initiatives:edit_step", args=[draft.pk, "idee"])).content.decode()
    assert url in step
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Ja, concept weggooien" in confirm.content.decode()
    assert Initiative.objects.filter(pk=draft.pk).exists()
    assert client.post(url).status_code == 302
    assert not Initiative.objects.filter(pk=draft.pk).exists()


# --- Overload answers 503 ------------------------------------------------------------------------------


def test_overload_on_a_page_is_503_with_retry_after(client, funding_initiative, resident):
    client.force_login(resident)
    with mock.patch("initiatives.services.pledge", side_effect=Overloaded("druk")):
        response = client.post(reverse("initiatives:pledge", args=[funding_initiative.pk]),
                               {"kind": "money", "amount": "5", "idempotency_key": "o"})
    assert response.status_code == 503 and response["Retry-After"].isdigit()
    page = response.content.decode()
    assert "Het is even erg druk" in page and reverse("community:contact") in page
    assert not Pledge.objects.exists()


def test_overload_on_the_api_is_503_json(funding_initiative, resident):
    api = APIClient()
    api.force_authenticate(resident)
    with mock.patch("initiatives.services.pledge", side_effect=Overloaded("druk")):
        response = api.post(f"/api/v1/initiatives/{funding_initiative.pk}/pledges/",
                            {"kind": "money", "amount": "5"}, format="json", HTTP_IDEMPOTENCY_KEY="o")
    assert response.status_code == 503 and response["Retry-After"].isdigit()
    assert response.json()["code"] == "overloaded"


def test_other_errors_are_not_turned_into_503(client, funding_initiative, resident):
    client.raise_request_exception = False
    client.force_login(resident)
    with mock.patch("initiatives.services.pledge", side_effect=RuntimeError("bug")):
        response = client.post(reverse("initiatives:pledge", args=[funding_initiative.pk]),
                               {"kind": "money", "amount": "5", "idempotency_key": "o"})
    assert response.status_code == 500


# --- The fund admin --------------------------------------------------------------------------------------


def test_fund_admin_shows_the_books_in_one_query(client, staff, kern, make_initiative,
                                                 django_assert_max_num_queries):
    initiative = make_initiative(Status.FUNDING, goal=D("5000.00"))
    for n in range(6):
        MatchFundFactory(kern=kern, name=f"Fonds {n}")
    for n in range(3):
        services.pledge(pledger=UserFactory(kern=kern), initiative=initiative, kind="money", amount="10",
                        idempotency_key=f"f{n}")
    client.force_login(staff)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("admin:initiatives_matchfund_changelist"))
    assert response.status_code == 200
    page = response.content.decode()
    for label in ("gereserveerd", "toegekend", "teruggegeven", "nog over"):
        assert label in page.lower()
    fund = services.fund_figures().get(name="Fonds 0")
    assert (fund.reserved, fund.committed, fund.returned) == (D("30.00"), D("0.00"), D("0.00"))
    assert fund.balance + fund.reserved + fund.committed == fund.budget


def test_who_manages_funds_is_the_rule(client, council_member, kern):
    fund = MatchFundFactory(kern=kern)
    council_member.is_staff = False
    council_member.save()
    client.force_login(council_member)
    assert client.get(reverse("admin:initiatives_matchfund_change", args=[fund.pk])).status_code in (302, 403)
    with mock.patch("initiatives.admin.may", return_value=False):
        from initiatives.admin import MatchFundAdmin

        admin = MatchFundAdmin(MatchFund, None)
        request = mock.Mock(user=UserFactory(is_staff=True, is_superuser=True))
        assert not admin.has_view_permission(request) and not admin.has_change_permission(request)


def test_fund_admin_changes_through_the_services(client, staff, kern):
    fund = services.create_match_fund(actor=staff, name="Dorpsfonds", budget="1000", cap_per_initiative="400",
                                      kern=kern)
    assert fund.cap_per_person == D("250.00")
    client.force_login(staff)
    response = client.post(reverse("admin:initiatives_matchfund_change", args=[fund.pk]), {
        "name": "Dorpsfonds Arkel", "is_active": "on", "cap_per_initiative": "300.00", "cap_per_person": "100.00",
        "top_up": "500.00"})
    assert response.status_code == 302, response.content[:3000]
    fund.refresh_from_db()
    assert (fund.name, fund.cap_per_initiative, fund.cap_per_person) == ("Dorpsfonds Arkel", D("300.00"), D("100.00"))
    assert (fund.budget, fund.balance) == (D("1500.00"), D("1500.00"))
    with mock.patch("initiatives.services.update_match_fund", wraps=services.update_match_fund) as update:
        client.post(reverse("admin:initiatives_matchfund_change", args=[fund.pk]), {
            "name": "Dorpsfonds Arkel", "cap_per_initiative": "300.00", "cap_per_person": "100.00"})
    assert update.called
    fund.refresh_from_db()
    assert fund.is_active is False


def test_pledge_factory_still_fits(kern):
    assert PledgeFactory(initiative__kern=kern, initiative__status=Status.FUNDING).amount > 0


@pytest.mark.parametrize(("body", "created"), [
    ('{"kind": "money", "amount": 1e2}', False),   # a JSON number with an exponent: refused, as on the web
    ('{"kind": "money", "amount": 2.5e1}', False),
    ('{"kind": "money", "amount": 25.50}', True),  # a plain JSON number still works
    ('{"kind": "money", "amount": 25}', True),
])
def test_a_json_number_is_read_as_it_was_written(funding_initiative, resident, body, created):
    funding_initiative.goal = D("5000.00")
    funding_initiative.save()
    api = APIClient()
    api.force_authenticate(resident)
    response = api.post(f"/api/v1/initiatives/{funding_initiative.pk}/pledges/", body,
                        content_type="application/json", HTTP_IDEMPOTENCY_KEY="json-number")
    assert response.status_code == (201 if created else 400), response.content
    assert Pledge.objects.exists() is created
    if not created:
        assert "€\xa01,00 en €\xa010.000,00" in response.json()["errors"]["amount"][0]
