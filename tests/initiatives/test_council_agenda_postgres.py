"""Parallel supports reach the council's agenda exactly once, on PostgreSQL (threads with their own connections).

Without the initiative's row lock in ``support()`` the supports count at the same moment: none of them sees
the count reach the threshold (no agenda item at all), or two see it (a unique-constraint error), or one sees
more than the threshold. With the lock they count one after the other: exactly one sees exactly the threshold.
"""

import random

import pytest
from django.db import connection, transaction
from django.utils import timezone

from community.models import Notification
from initiatives import services
from initiatives.models import CouncilAgendaItem, Initiative, Status, Support
from initiatives.notification_kinds import ON_COUNCIL_AGENDA
from tests import factories
from tests.factories_initiatives import InitiativeFactory
from tests.initiatives.test_engagement_races import errors, in_threads
from tests.services import require_service
from tests.threads import Other, finish, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THRESHOLD = 8


@pytest.fixture(autouse=True)
def _postgres():
    require_service("PostgreSQL", connection.vendor == "postgresql", "Set DATABASE_URL to a PostgreSQL database.")


def test_parallel_supports_put_it_on_the_agenda_once_and_tell_the_council_once(kern):
    council = [factories.CouncilMembershipFactory(kern=kern).user for _ in range(2)]
    services.set_support_threshold(actor=council[0], kern=kern, supporters=THRESHOLD)
    people = [factories.UserFactory(kern=kern) for _ in range(20)]
    initiatives = [InitiativeFactory(kern=kern, status=Status.FUNDING) for _ in range(5)]
    for initiative in initiatives:
        results = in_threads(lambda person, i=initiative: services.support(user=person, initiative=i), people)
        assert errors(results) == []
        assert Support.objects.filter(initiative=initiative).count() == 20
        items = list(CouncilAgendaItem.objects.filter(initiative=initiative))
        assert len(items) == 1, "exactly one support places it"
        assert items[0].supporters_at_reach == THRESHOLD, "the one that places it counted exactly the threshold"
        for member in council:
            told = Notification.objects.filter(kind=ON_COUNCIL_AGENDA, recipient=member,
                                               event_key=f"council-agenda:{initiative.pk}")
            assert told.count() == 1
    assert Notification.objects.filter(kind=ON_COUNCIL_AGENDA).count() == len(initiatives) * len(council)


def test_a_threshold_saved_while_supports_come_in_places_each_initiative_once(kern):
    member = factories.CouncilMembershipFactory(kern=kern).user
    services.set_support_threshold(actor=member, kern=kern, supporters=1000)
    people = [factories.UserFactory(kern=kern) for _ in range(12)]
    initiatives = [InitiativeFactory(kern=kern, status=Status.PUBLISHED) for _ in range(4)]
    for round_ in range(3):
        jobs = [("support", person, initiative) for person in people for initiative in initiatives]
        jobs += [("threshold", None, None)] * 12  # 60 jobs: the threads start in three waves of 20
        random.Random(round_).shuffle(jobs)

        def run(job):
            what, person, initiative = job
            if what == "threshold":
                return services.set_support_threshold(actor=member, kern=kern, supporters=5)
            return services.support(user=person, initiative=initiative)

        assert errors(in_threads(run, jobs)) == []
        assert sorted(CouncilAgendaItem.objects.values_list("initiative_id", flat=True)) == sorted(
            i.pk for i in initiatives)
        assert all(item.supporters_at_reach >= 5 for item in CouncilAgendaItem.objects.all())
        assert Notification.objects.filter(kind=ON_COUNCIL_AGENDA, recipient=member).count() == len(initiatives)
        services.set_support_threshold(actor=member, kern=kern, supporters=1000)
        CouncilAgendaItem.objects.all().delete()
        Support.objects.all().delete()
        Notification.objects.all().delete()


def test_the_council_decides_once_when_members_decide_at_the_same_moment(kern):
    """Ten council members record an outcome at once: one decision, one event, initiators and supporters told
    once; every other member hears that the council has decided already. Without the initiative's lock each
    reads "not decided yet" and writes its own outcome."""
    from initiatives.models import InitiativeEvent
    from initiatives.notification_kinds import COUNCIL_OUTCOME

    members = [factories.CouncilMembershipFactory(kern=kern).user for _ in range(10)]
    services.set_support_threshold(actor=members[0], kern=kern, supporters=1)
    initiative = InitiativeFactory(kern=kern, status=Status.PUBLISHED)
    supporter = factories.UserFactory(kern=kern)
    services.support(user=supporter, initiative=initiative)
    outcomes = ["adopted", "rejected", "referred"]
    results = in_threads(lambda n: services.record_agenda_outcome(
        actor=members[n], initiative=initiative, outcome=outcomes[n % 3], text=f"Besluit {n}."), range(10))
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 9 and all("al over besloten" in str(r) for r in refused)
    item = CouncilAgendaItem.objects.get(initiative=initiative)
    assert item.is_decided
    assert InitiativeEvent.objects.filter(initiative=initiative, action="council_outcome").count() == 1
    assert Notification.objects.filter(kind=COUNCIL_OUTCOME, recipient=supporter).count() == 1


def test_scheduling_and_deciding_outside_a_test_transaction(kern):
    """The services run in their own transaction (the initiative's lock needs one)."""
    import datetime

    from django.utils import timezone

    member = factories.CouncilMembershipFactory(kern=kern).user
    services.set_support_threshold(actor=member, kern=kern, supporters=1)
    initiative = InitiativeFactory(kern=kern, status=Status.PUBLISHED)
    services.support(user=factories.UserFactory(kern=kern), initiative=initiative)
    day = timezone.localdate() + datetime.timedelta(days=7)
    services.schedule_agenda_item(actor=member, initiative=initiative, meeting_date=day)
    services.record_agenda_outcome(actor=member, initiative=initiative, outcome="adopted", text="Akkoord.")
    item = CouncilAgendaItem.objects.get(initiative=initiative)
    assert (item.meeting_date, item.outcome) == (day, "adopted")


def test_a_threshold_lowered_while_a_support_places_the_initiative_places_it_once(kern):
    """The threshold's sweep locks the kern's initiatives as a support does: lowered while a support is placing
    one, it waits, then sees the item and leaves it. Without the lock it would place it again (an error)."""
    member = factories.CouncilMembershipFactory(kern=kern).user
    services.set_support_threshold(actor=member, kern=kern, supporters=1000)
    initiative = InitiativeFactory(kern=kern, status=Status.FUNDING)
    for person in [factories.UserFactory(kern=kern) for _ in range(3)]:
        services.support(user=person, initiative=initiative)
    with transaction.atomic():
        Initiative.objects.select_for_update(no_key=True).get(pk=initiative.pk)  # a support is counting
        other = Other(lambda: services.set_support_threshold(actor=member, kern=kern, supporters=3))
        assert wait_for(other)
        CouncilAgendaItem.objects.create(initiative=initiative, reached_at=timezone.now(), supporters_at_reach=3)
    finish(other)
    assert other.error is None and other.result.placed == []
    assert CouncilAgendaItem.objects.filter(initiative=initiative).count() == 1


def test_a_meeting_date_set_while_the_council_decides_is_refused(kern):
    """Scheduling reads the agenda item under the initiative's lock: a decision taken meanwhile closes it."""
    import datetime

    member, colleague = (factories.CouncilMembershipFactory(kern=kern).user for _ in range(2))
    services.set_support_threshold(actor=member, kern=kern, supporters=1)
    initiative = InitiativeFactory(kern=kern, status=Status.PUBLISHED)
    services.support(user=factories.UserFactory(kern=kern), initiative=initiative)
    day = timezone.localdate() + datetime.timedelta(days=7)
    with transaction.atomic():
        services.record_agenda_outcome(actor=member, initiative=initiative, outcome="adopted", text="Akkoord.")
        other = Other(lambda: services.schedule_agenda_item(actor=colleague, initiative=initiative, meeting_date=day))
        assert wait_for(other)
    finish(other)
    assert other.error is not None and "al over besloten" in str(other.error)
    assert CouncilAgendaItem.objects.get(initiative=initiative).meeting_date is None
