"""The council's agenda through the services: a threshold per kern, reaching it once, the sweep when a threshold
is saved, the meeting date and the decision, and who hears of what (once)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from community.models import Notification
from initiatives import services
from initiatives.models import AgendaOutcome, CouncilAgendaItem, Initiative, InitiativeEvent, Status, SupportThreshold
from initiatives.notification_kinds import COUNCIL_OUTCOME, ON_COUNCIL_AGENDA
from initiatives.services.errors import InitiativeError, InvalidTransition
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(make_initiative):
    return make_initiative(Status.PUBLISHED, goal=None)


@pytest.fixture
def neighbours(kern):
    return [factories.UserFactory(kern=kern, first_name=f"Buur{n}") for n in range(6)]


def set_threshold(actor, kern, supporters):
    return services.set_support_threshold(actor=actor, kern=kern, supporters=supporters)


def support_all(users, initiative):
    for user in users:
        services.support(user=user, initiative=initiative)


def told(kind, **filters):
    return sorted(Notification.objects.filter(kind=kind, **filters).values_list("recipient_id", flat=True))


def item_of(initiative):
    return CouncilAgendaItem.objects.filter(initiative=initiative).first()


# --- The threshold ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [0, -1, -100, 100_001, 10**12, "12", "tien", 2.5, True, None])
def test_a_threshold_outside_1_to_100000_or_not_a_whole_number_is_refused_and_nothing_changes(
        kern, council_member, bad):
    set_threshold(council_member, kern, 7)
    with pytest.raises(InitiativeError) as refused:
        set_threshold(council_member, kern, bad)
    assert refused.value.code == "supporters"
    assert SupportThreshold.objects.get(kern=kern).supporters == 7


@pytest.mark.parametrize("good", [1, 25, 100_000])
def test_a_threshold_from_1_to_100000_is_kept_with_who_set_it(kern, council_member, good):
    result = set_threshold(council_member, kern, good)
    saved = SupportThreshold.objects.get(kern=kern)
    assert (saved.supporters, saved.set_by, result.threshold.pk) == (good, council_member, saved.pk)
    assert saved.set_at is not None


def test_another_kerns_council_and_residents_cannot_set_it(kern, other_council_member, resident):
    for who in (other_council_member, resident):
        with pytest.raises(PermissionDenied):
            set_threshold(who, kern, 5)
    assert not SupportThreshold.objects.exists()


def test_setting_it_again_keeps_one_row_per_kern(kern, council_member, staff):
    set_threshold(council_member, kern, 10)
    set_threshold(staff, kern, 12)
    saved = SupportThreshold.objects.get(kern=kern)
    assert (saved.supporters, saved.set_by) == (12, staff)


# --- Reaching it through support -------------------------------------------------------------------------


def test_the_support_that_reaches_the_threshold_puts_it_on_the_agenda_and_tells_the_council_once(
        kern, council_member, published, neighbours, django_capture_on_commit_callbacks):
    other_member = factories.CouncilMembershipFactory(kern=kern).user
    set_threshold(council_member, kern, 3)
    with django_capture_on_commit_callbacks(execute=True):
        support_all(neighbours[:2], published)
    assert item_of(published) is None and told(ON_COUNCIL_AGENDA) == []
    with django_capture_on_commit_callbacks(execute=True):
        support_all(neighbours[2:], published)  # the third reaches it; three more change nothing
    item = item_of(published)
    assert item.supporters_at_reach == 3 and item.outcome == AgendaOutcome.PENDING and item.meeting_date is None
    assert told(ON_COUNCIL_AGENDA) == sorted([council_member.pk, other_member.pk])
    notification = Notification.objects.filter(kind=ON_COUNCIL_AGENDA).first()
    assert notification.params["supporters"] == 3 and notification.url == published.get_absolute_url()
    assert InitiativeEvent.objects.filter(initiative=published, action="council_agenda").count() == 1


def test_supporting_again_after_a_withdrawal_never_places_or_tells_twice(
        kern, council_member, published, neighbours, django_capture_on_commit_callbacks):
    set_threshold(council_member, kern, 2)
    with django_capture_on_commit_callbacks(execute=True):
        support_all(neighbours[:2], published)
        services.unsupport(user=neighbours[0], initiative=published)
        services.support(user=neighbours[0], initiative=published)
    assert CouncilAgendaItem.objects.filter(initiative=published).count() == 1
    assert told(ON_COUNCIL_AGENDA) == [council_member.pk]


def test_withdrawn_support_below_the_threshold_keeps_it_on_the_agenda(kern, council_member, published, neighbours):
    set_threshold(council_member, kern, 3)
    support_all(neighbours[:3], published)
    for user in neighbours[:3]:
        services.unsupport(user=user, initiative=published)
    assert published.supports.count() == 0
    item = item_of(published)
    assert item is not None and item.supporters_at_reach == 3


def test_without_a_threshold_no_support_puts_it_on_the_agenda(kern, published, neighbours):
    support_all(neighbours, published)
    assert not CouncilAgendaItem.objects.exists()


def test_another_kerns_threshold_does_not_count(kern, other_kern, other_council_member, published, neighbours):
    set_threshold(other_council_member, other_kern, 1)
    support_all(neighbours, published)
    assert not CouncilAgendaItem.objects.exists()


@pytest.mark.parametrize(("status", "placed"), [
    (Status.PUBLISHED, True), (Status.FUNDING, True), (Status.FUNDED, True), (Status.REALISED, False)])
def test_only_a_plan_still_under_way_goes_on_the_agenda(kern, council_member, make_initiative, neighbours, status,
                                                        placed):
    initiative = make_initiative(status)
    set_threshold(council_member, kern, 2)
    support_all(neighbours[:2], initiative)
    assert (item_of(initiative) is not None) is placed


def test_the_initiator_on_the_council_is_not_told_of_their_own_initiative(
        kern, council_member, make_initiative, neighbours, django_capture_on_commit_callbacks):
    own = make_initiative(Status.PUBLISHED, initiator=council_member)
    other_member = factories.CouncilMembershipFactory(kern=kern).user
    set_threshold(other_member, kern, 1)
    with django_capture_on_commit_callbacks(execute=True):
        services.support(user=neighbours[0], initiative=own)
    assert item_of(own) is not None
    assert told(ON_COUNCIL_AGENDA) == [other_member.pk]


# --- Saving a threshold sweeps ---------------------------------------------------------------------------


def test_lowering_the_threshold_puts_who_already_meets_it_on_the_agenda_at_once(
        kern, other_kern, council_member, make_initiative, neighbours, django_capture_on_commit_callbacks):
    set_threshold(council_member, kern, 10)
    four, two = make_initiative(Status.FUNDING), make_initiative(Status.PUBLISHED, goal=None)
    done = make_initiative(Status.REALISED)
    elsewhere = make_initiative(Status.PUBLISHED, kern=other_kern)
    support_all(neighbours[:4], four)
    support_all(neighbours[:2], two)
    support_all(neighbours[:5], done)
    support_all(neighbours[:5], elsewhere)
    assert not CouncilAgendaItem.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        result = set_threshold(council_member, kern, 3)
    assert [i.pk for i in result.placed] == [four.pk]
    assert list(CouncilAgendaItem.objects.values_list("initiative_id", "supporters_at_reach")) == [(four.pk, 4)]
    assert told(ON_COUNCIL_AGENDA) == [council_member.pk]
    with django_capture_on_commit_callbacks(execute=True):
        again = set_threshold(council_member, kern, 2)  # now the second one too; the first stays as it was
    assert [i.pk for i in again.placed] == [two.pk]
    assert dict(CouncilAgendaItem.objects.values_list("initiative_id", "supporters_at_reach")) == {
        four.pk: 4, two.pk: 2}
    assert Notification.objects.filter(kind=ON_COUNCIL_AGENDA).count() == 2  # one per initiative


def test_raising_the_threshold_takes_nothing_off_the_agenda(kern, council_member, published, neighbours):
    set_threshold(council_member, kern, 2)
    support_all(neighbours[:2], published)
    assert set_threshold(council_member, kern, 50).placed == []
    assert item_of(published) is not None


# --- The meeting date ---------------------------------------------------------------------------------------


@pytest.fixture
def on_agenda(kern, council_member, published, neighbours):
    set_threshold(council_member, kern, 1)
    services.support(user=neighbours[0], initiative=published)
    return Initiative.objects.get(pk=published.pk)


def test_the_council_sets_and_moves_the_meeting_date(on_agenda, council_member, staff):
    today = timezone.localdate()
    services.schedule_agenda_item(actor=council_member, initiative=on_agenda,
                                  meeting_date=today + datetime.timedelta(days=10))
    services.schedule_agenda_item(actor=staff, initiative=on_agenda, meeting_date=today + datetime.timedelta(days=3))
    assert item_of(on_agenda).meeting_date == today + datetime.timedelta(days=3)
    assert InitiativeEvent.objects.filter(initiative=on_agenda, action="council_meeting").count() == 2


@pytest.mark.parametrize("bad", [
    datetime.timedelta(days=-1), datetime.timedelta(days=2 * 365 + 1), "2030-01-01", None,
    datetime.datetime(2030, 1, 1, 12, 0),
])
def test_a_meeting_date_before_the_agenda_or_far_ahead_or_not_a_date_is_refused(on_agenda, council_member, bad):
    today = timezone.localdate()
    meeting = today + bad if isinstance(bad, datetime.timedelta) else bad
    with pytest.raises(InitiativeError) as refused:
        services.schedule_agenda_item(actor=council_member, initiative=on_agenda, meeting_date=meeting)
    assert refused.value.code == "meeting_date"
    assert item_of(on_agenda).meeting_date is None


def test_no_date_for_what_is_not_on_the_agenda_or_already_decided(on_agenda, council_member, make_initiative):
    with pytest.raises(InvalidTransition):
        services.schedule_agenda_item(actor=council_member, initiative=make_initiative(Status.PUBLISHED),
                                      meeting_date=timezone.localdate())
    services.record_agenda_outcome(actor=council_member, initiative=on_agenda, outcome="adopted", text="Akkoord.")
    with pytest.raises(InvalidTransition):
        services.schedule_agenda_item(actor=council_member, initiative=on_agenda, meeting_date=timezone.localdate())
    assert item_of(on_agenda).meeting_date is None


def test_others_may_not_set_the_date(on_agenda, other_council_member, resident, initiator):
    for who in (other_council_member, resident, initiator):
        with pytest.raises(PermissionDenied):
            services.schedule_agenda_item(actor=who, initiative=on_agenda, meeting_date=timezone.localdate())
    assert item_of(on_agenda).meeting_date is None


# --- The decision ------------------------------------------------------------------------------------------


def test_the_decision_tells_initiators_and_supporters_once_and_settles_the_councils_question(
        kern, council_member, make_initiative, neighbours, initiator, django_capture_on_commit_callbacks):
    co_initiator = factories.UserFactory(kern=kern)
    initiative = make_initiative(Status.PUBLISHED, goal=None)
    initiative.co_initiators.add(co_initiator)
    follower_only = factories.UserFactory(kern=kern)
    services.follow(user=follower_only, initiative=initiative)
    set_threshold(council_member, kern, 2)
    with django_capture_on_commit_callbacks(execute=True):
        support_all(neighbours[:2], initiative)
        services.support(user=council_member, initiative=initiative)  # the deciding member supports it too
    services.unsupport(user=neighbours[1], initiative=initiative)  # withdrew: no longer a supporter
    assert Notification.objects.filter(kind=ON_COUNCIL_AGENDA).unread().count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        item = services.record_agenda_outcome(actor=council_member, initiative=initiative, outcome="referred",
                                              text="  Doorgestuurd naar de gemeente, team openbare ruimte. ")
    assert (item.outcome, item.outcome_text, item.decided_by) == (
        AgendaOutcome.REFERRED, "Doorgestuurd naar de gemeente, team openbare ruimte.", council_member)
    assert item.decided_at is not None
    assert told(COUNCIL_OUTCOME) == sorted([initiator.pk, co_initiator.pk, neighbours[0].pk])
    notification = Notification.objects.filter(kind=COUNCIL_OUTCOME).first()
    assert notification.params["variant"] == "referred" and "openbare ruimte" in notification.body
    assert Notification.objects.filter(kind=ON_COUNCIL_AGENDA).unread().count() == 0  # settled for the council
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(InvalidTransition):
        services.record_agenda_outcome(actor=council_member, initiative=initiative, outcome="rejected",
                                       text="Toch niet.")
    assert Notification.objects.filter(kind=COUNCIL_OUTCOME).count() == 3
    assert item_of(initiative).outcome == AgendaOutcome.REFERRED


@pytest.mark.parametrize(("outcome", "text", "code"), [
    ("pending", "Nog niet.", "outcome"), ("approved", "Ja.", "outcome"), ("", "Ja.", "outcome"),
    ("adopted", "", "outcome_text"), ("adopted", "   ", "outcome_text"), ("adopted", "<b></b>", "outcome_text"),
    ("adopted", "x" * 1001, "outcome_text"),
])
def test_a_decision_without_a_valid_outcome_or_text_is_refused_and_nothing_changes(
        on_agenda, council_member, outcome, text, code, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(InitiativeError) as refused:
        services.record_agenda_outcome(actor=council_member, initiative=on_agenda, outcome=outcome, text=text)
    assert refused.value.code == code
    item = item_of(on_agenda)
    assert (item.outcome, item.decided_at, item.outcome_text) == (AgendaOutcome.PENDING, None, "")
    assert not Notification.objects.filter(kind=COUNCIL_OUTCOME).exists()


def test_the_initiator_on_the_council_never_decides_on_their_own_initiative(
        kern, council_member, make_initiative, neighbours):
    own = make_initiative(Status.PUBLISHED, initiator=council_member)
    set_threshold(council_member, kern, 1)
    services.support(user=neighbours[0], initiative=own)
    with pytest.raises(PermissionDenied):
        services.record_agenda_outcome(actor=council_member, initiative=own, outcome="adopted", text="Prima!")
    with pytest.raises(PermissionDenied):
        services.schedule_agenda_item(actor=council_member, initiative=own, meeting_date=timezone.localdate())
    assert not item_of(own).is_decided


def test_a_decision_shows_on_the_kept_page_at_once(on_agenda, council_member, settings, client,
                                                   django_capture_on_commit_callbacks):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300
    assert "De dorpsraad kiest nog een datum." in client.get(on_agenda.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_agenda_item(actor=council_member, initiative=on_agenda,
                                      meeting_date=timezone.localdate() + datetime.timedelta(days=1))
    assert "Op de agenda van de dorpsraad van" in client.get(on_agenda.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.record_agenda_outcome(actor=council_member, initiative=on_agenda, outcome="adopted",
                                       text="Een goed plan voor het dorp.")
    page = client.get(on_agenda.get_absolute_url()).content.decode()
    assert "aangenomen" in page and "Een goed plan voor het dorp." in page


def test_the_limits_themselves_are_allowed(on_agenda, council_member):
    """Two years ahead exactly, and an outcome of exactly 1,000 characters, are fine (one more is refused above)."""
    far = timezone.localdate() + datetime.timedelta(days=2 * 365)
    services.schedule_agenda_item(actor=council_member, initiative=on_agenda, meeting_date=far)
    services.record_agenda_outcome(actor=council_member, initiative=on_agenda, outcome="adopted", text="x" * 1000)
    item = item_of(on_agenda)
    assert (item.meeting_date, len(item.outcome_text)) == (far, 1000)


def test_a_new_threshold_shows_at_once_on_a_kept_initiative_page(client, settings, kern, council_member,
                                                                   published, neighbours,
                                                                   django_capture_on_commit_callbacks):
    """The initiative page says how many supporters are still needed; a kept copy must not keep the old number."""
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300
    set_threshold(council_member, kern, 40)
    services.support(user=neighbours[0], initiative=published)
    url = published.get_absolute_url()
    assert "Nog 39 steunbetuigingen" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        set_threshold(council_member, kern, 30)
    assert "Nog 29 steunbetuigingen" in client.get(url).content.decode()
