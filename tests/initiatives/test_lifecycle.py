"""Every lifecycle transition, and every invalid one: a clear error and nothing changed."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from community.models import Notification
from initiatives import services
from initiatives.models import Initiative, InitiativeEvent, InitiativeUpdate, Status
from initiatives.services.errors import InitiativeError, InvalidTransition
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ALL = list(Status)


def snapshot(initiative):
    initiative.refresh_from_db()
    return (initiative.status, initiative.reconsideration_requested, initiative.last_decision_reason,
            initiative.result_text, InitiativeEvent.objects.filter(initiative=initiative).count())


def test_create_draft_uses_own_kern_and_records_event(initiator, kern):
    initiative = services.create_draft(initiator=initiator, title="Bankjes langs de dijk", goal="750.00")
    assert initiative.kern == kern
    assert initiative.status == Status.DRAFT
    assert initiative.goal == Decimal("750.00")
    event = initiative.events.get()
    assert (event.actor, event.action, event.to_status) == (initiator, "create", Status.DRAFT)


def test_resident_without_kern_cannot_create(db):
    homeless = UserFactory(kern=None)
    with pytest.raises(PermissionDenied):
        services.create_draft(initiator=homeless, title="Bankjes langs de dijk")
    assert not Initiative.objects.exists()


@pytest.mark.parametrize("field,value", [
    ("title", "kort"), ("goal", "-5"), ("goal", "12.345"), ("goal", "veel"), ("goal", "1000000"),
    ("needs_volunteers", -1), ("theme", "onbekend"),
])
def test_create_draft_bad_input_is_refused(initiator, field, value):
    kwargs = {"title": "Bankjes langs de dijk", field: value}
    with pytest.raises(InitiativeError):
        services.create_draft(initiator=initiator, **kwargs)
    assert not Initiative.objects.exists()


def test_location_outside_municipality_is_refused(initiator):
    with pytest.raises(Exception) as error:
        services.create_draft(initiator=initiator, title="Bankjes langs de dijk", latitude="51.92", longitude="4.48")
    assert "buiten" in str(error.value)
    assert not Initiative.objects.exists()


def test_location_inside_is_stored(initiator, kern):
    initiative = services.create_draft(initiator=initiator, title="Bankjes langs de dijk", latitude="51.8870",
                                       longitude="4.8720")
    assert initiative.latitude == Decimal("51.887000")


def test_update_draft_changes_only_given_fields(make_initiative, initiator):
    initiative = make_initiative(Status.DRAFT, summary="oud")
    services.update_draft(actor=initiator, initiative=initiative, title="Een nieuwe titel")
    initiative.refresh_from_db()
    assert initiative.title == "Een nieuwe titel"
    assert initiative.summary == "oud"


@pytest.mark.parametrize("status", [s for s in ALL if s not in (Status.DRAFT, Status.CHANGES_REQUESTED)])
def test_update_outside_draft_is_invalid(make_initiative, initiator, status):
    initiative = make_initiative(status)
    before = initiative.title
    with pytest.raises(InvalidTransition):
        services.update_draft(actor=initiator, initiative=initiative, title="Iets heel anders")
    initiative.refresh_from_db()
    assert initiative.title == before


def test_other_resident_cannot_update(make_initiative, resident):
    initiative = make_initiative(Status.DRAFT)
    with pytest.raises(PermissionDenied):
        services.update_draft(actor=resident, initiative=initiative, title="Gekaapt initiatief")


def test_submit_moves_to_submitted(make_initiative, initiator):
    initiative = make_initiative(Status.DRAFT)
    services.submit_initiative(actor=initiator, initiative=initiative)
    initiative.refresh_from_db()
    assert initiative.status == Status.SUBMITTED
    assert initiative.submitted_at is not None
    assert initiative.events.get().actor == initiator


def test_submit_sends_notification_and_email_after_commit(make_initiative, initiator, council_member,
                                                          django_capture_on_commit_callbacks):
    initiative = make_initiative(Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_initiative(actor=initiator, initiative=initiative)
    assert Notification.objects.filter(recipient=council_member).count() == 1
    assert [m.to for m in mail.outbox] == [[council_member.email]]


def test_submit_incomplete_is_refused(make_initiative, initiator):
    initiative = make_initiative(Status.DRAFT, story="")
    before = snapshot(initiative)
    with pytest.raises(InitiativeError, match="verhaal"):
        services.submit_initiative(actor=initiator, initiative=initiative)
    assert snapshot(initiative) == before


def test_submit_with_past_deadline_is_refused(make_initiative, initiator):
    initiative = make_initiative(Status.DRAFT, deadline=timezone.localdate())
    with pytest.raises(InitiativeError):
        services.submit_initiative(actor=initiator, initiative=initiative)


def test_resubmit_after_changes(make_initiative, initiator):
    initiative = make_initiative(Status.CHANGES_REQUESTED)
    services.submit_initiative(actor=initiator, initiative=initiative)
    assert Initiative.objects.get(pk=initiative.pk).status == Status.SUBMITTED


def test_approve_with_money_goes_to_funding_with_two_events(make_initiative, council_member):
    initiative = make_initiative(Status.SUBMITTED)
    services.approve_initiative(actor=council_member, initiative=initiative, reason="Mooi plan")
    initiative.refresh_from_db()
    assert initiative.status == Status.FUNDING
    assert initiative.published_at is not None
    assert list(initiative.events.values_list("action", "from_status", "to_status")) == [
        ("approve", Status.SUBMITTED, Status.PUBLISHED), ("start_funding", Status.PUBLISHED, Status.FUNDING)]
    assert initiative.events.first().actor == council_member


def test_approve_without_money_publishes(make_initiative, staff):
    initiative = make_initiative(Status.SUBMITTED, goal=None, deadline=None)
    services.approve_initiative(actor=staff, initiative=initiative)
    assert Initiative.objects.get(pk=initiative.pk).status == Status.PUBLISHED


def test_request_changes_needs_comment(make_initiative, council_member):
    initiative = make_initiative(Status.SUBMITTED)
    before = snapshot(initiative)
    with pytest.raises(InitiativeError):
        services.request_changes(actor=council_member, initiative=initiative, comment="  ")
    assert snapshot(initiative) == before
    services.request_changes(actor=council_member, initiative=initiative, comment="Voeg een begroting toe")
    initiative.refresh_from_db()
    assert initiative.status == Status.CHANGES_REQUESTED
    assert initiative.last_decision_reason == "Voeg een begroting toe"
    assert initiative.events.last().reason == "Voeg een begroting toe"


def test_decline_needs_reason_and_reconsideration_once(make_initiative, council_member, initiator):
    initiative = make_initiative(Status.SUBMITTED)
    with pytest.raises(InitiativeError):
        services.decline_initiative(actor=council_member, initiative=initiative, reason="")
    services.decline_initiative(actor=council_member, initiative=initiative, reason="Geen draagvlak")
    initiative.refresh_from_db()
    assert initiative.status == Status.DECLINED
    services.request_reconsideration(actor=initiator, initiative=initiative, reason="Er is wel draagvlak")
    initiative.refresh_from_db()
    assert (initiative.status, initiative.reconsideration_requested) == (Status.SUBMITTED, True)
    services.decline_initiative(actor=council_member, initiative=initiative, reason="Nog steeds niet")
    before = snapshot(initiative)
    with pytest.raises(InvalidTransition, match="één keer"):
        services.request_reconsideration(actor=initiator, initiative=initiative)
    assert snapshot(initiative) == before


@pytest.mark.parametrize("status", [s for s in ALL if s != Status.SUBMITTED])
@pytest.mark.parametrize("action", ["approve", "request_changes", "decline"])
def test_moderation_outside_submitted_is_invalid(make_initiative, council_member, status, action):
    initiative = make_initiative(status)
    before = snapshot(initiative)
    call = {"approve": lambda: services.approve_initiative(actor=council_member, initiative=initiative),
            "request_changes": lambda: services.request_changes(actor=council_member, initiative=initiative,
                                                                comment="graag aanpassen"),
            "decline": lambda: services.decline_initiative(actor=council_member, initiative=initiative,
                                                           reason="nee")}[action]
    with pytest.raises(InvalidTransition) as error:
        call()
    assert "Dit kan nu niet" in str(error.value)
    assert snapshot(initiative) == before


def test_nobody_moderates_their_own_initiative(kern, make_initiative):
    council_initiator = UserFactory(kern=kern)
    council_initiator.council_memberships.create(kern=kern)
    staff_initiator = UserFactory(kern=kern, is_staff=True)
    for own in (council_initiator, staff_initiator):
        initiative = make_initiative(Status.SUBMITTED, initiator=own)
        with pytest.raises(PermissionDenied):
            services.approve_initiative(actor=own, initiative=initiative)
        assert Initiative.objects.get(pk=initiative.pk).status == Status.SUBMITTED


def test_co_initiator_cannot_moderate(kern, make_initiative, council_member):
    initiative = make_initiative(Status.SUBMITTED)
    initiative.co_initiators.add(council_member)
    with pytest.raises(PermissionDenied):
        services.approve_initiative(actor=council_member, initiative=Initiative.objects.get(pk=initiative.pk))


def test_council_of_other_kern_cannot_moderate(make_initiative, other_council_member):
    initiative = make_initiative(Status.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.decline_initiative(actor=other_council_member, initiative=initiative, reason="nee")
    assert Initiative.objects.get(pk=initiative.pk).status == Status.SUBMITTED


@pytest.mark.parametrize("status", [s for s in ALL if s != Status.DECLINED])
def test_reconsideration_only_when_declined(make_initiative, initiator, status):
    initiative = make_initiative(status)
    before = snapshot(initiative)
    with pytest.raises(InvalidTransition):
        services.request_reconsideration(actor=initiator, initiative=initiative)
    assert snapshot(initiative) == before


def test_start_funding_from_published(make_initiative, initiator):
    initiative = make_initiative(Status.PUBLISHED)
    services.start_funding(actor=initiator, initiative=initiative)
    assert Initiative.objects.get(pk=initiative.pk).status == Status.FUNDING


@pytest.mark.parametrize("status", [s for s in ALL if s != Status.PUBLISHED])
def test_start_funding_elsewhere_is_invalid(make_initiative, initiator, status):
    initiative = make_initiative(status)
    before = snapshot(initiative)
    with pytest.raises(InvalidTransition):
        services.start_funding(actor=initiator, initiative=initiative)
    assert snapshot(initiative) == before


@pytest.mark.parametrize("status", [Status.PUBLISHED, Status.FUNDED])
def test_mark_realised_stores_result_update(make_initiative, initiator, status):
    initiative = make_initiative(status)
    services.mark_realised(actor=initiator, initiative=initiative, result_text="<p>De speeltuin is open!</p>")
    initiative.refresh_from_db()
    assert initiative.status == Status.REALISED
    assert initiative.result_text == "<p>De speeltuin is open!</p>"
    assert InitiativeUpdate.objects.get(initiative=initiative).is_result


def test_mark_realised_needs_result(make_initiative, initiator):
    initiative = make_initiative(Status.FUNDED)
    with pytest.raises(InitiativeError):
        services.mark_realised(actor=initiator, initiative=initiative, result_text="<p> </p>")
    assert Initiative.objects.get(pk=initiative.pk).status == Status.FUNDED


@pytest.mark.parametrize("status", [s for s in ALL if s not in (Status.PUBLISHED, Status.FUNDED)])
def test_mark_realised_elsewhere_is_invalid(make_initiative, initiator, status):
    initiative = make_initiative(status)
    before = snapshot(initiative)
    with pytest.raises(InvalidTransition):
        services.mark_realised(actor=initiator, initiative=initiative, result_text="Klaar")
    assert snapshot(initiative) == before


@pytest.mark.parametrize("status", [Status.PUBLISHED, Status.FUNDED, Status.NOT_FUNDED, Status.REALISED,
                                    Status.DECLINED])
def test_archive(make_initiative, council_member, status):
    initiative = make_initiative(status)
    services.archive_initiative(actor=council_member, initiative=initiative, reason="Afgerond")
    assert Initiative.objects.get(pk=initiative.pk).status == Status.ARCHIVED


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED, Status.CHANGES_REQUESTED, Status.FUNDING,
                                    Status.ARCHIVED])
def test_archive_elsewhere_is_invalid(make_initiative, council_member, status):
    initiative = make_initiative(status)
    before = snapshot(initiative)
    with pytest.raises(InvalidTransition):
        services.archive_initiative(actor=council_member, initiative=initiative)
    assert snapshot(initiative) == before


def test_approve_with_deadline_passed_is_refused(make_initiative, council_member):
    initiative = make_initiative(Status.SUBMITTED, deadline=timezone.localdate() - datetime.timedelta(days=1))
    before = snapshot(initiative)
    with pytest.raises(InitiativeError):
        services.approve_initiative(actor=council_member, initiative=initiative)
    assert snapshot(initiative) == before


def test_full_happy_path(initiator, council_member, kern):
    initiative = services.create_draft(initiator=initiator, title="Jeu de boules-baan",
                                       summary="Een baan bij het dorpshuis", story="<p>Voor jong en oud.</p>",
                                       goal="200.00",
                                       deadline=timezone.localdate() + datetime.timedelta(days=10))
    services.submit_initiative(actor=initiator, initiative=initiative)
    services.request_changes(actor=council_member, initiative=initiative, comment="Waar precies?")
    services.update_draft(actor=initiator, initiative=initiative, location_label="Achter het dorpshuis")
    services.submit_initiative(actor=initiator, initiative=initiative)
    services.approve_initiative(actor=council_member, initiative=initiative)
    actions = list(initiative.events.values_list("action", flat=True))
    assert actions == ["create", "submit", "request_changes", "submit", "approve", "start_funding"]
