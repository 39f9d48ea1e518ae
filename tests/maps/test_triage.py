"""Triage: decisions per observation or bundle with a reason and an audit line, merging, correcting, and the
walker hearing what happened."""

import pytest
from django.core.exceptions import PermissionDenied

from community.models import Notification
from initiatives.models import Initiative
from maps import services
from maps.models import ObservationState, TriageEntry, WalkState
from maps.services import WalkError
from maps.services.errors import WalkStateError
from tests.factories import CouncilMembershipFactory, StaffFactory, UserFactory
from tests.factories_maps import ObservationFactory, WalkFactory, WalkSignupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def walk(kern, council_member):
    return WalkFactory(kern=kern, state=WalkState.FINISHED, organisers=[council_member])


@pytest.fixture
def walker(walk, kern):
    person = UserFactory(kern=kern, first_name="Wim")
    WalkSignupFactory(walk=walk, user=person)
    return person


def test_a_bundle_is_decided_audited_and_each_walker_hears(walk, walker, council_member,
                                                           django_capture_on_commit_callbacks):
    bundle = [ObservationFactory(walk=walk, author=walker) for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(actor=council_member, observations=bundle, decision="praise", reason="Mooi onderhouden")
    for observation in bundle:
        observation.refresh_from_db()
        assert observation.state == ObservationState.PRAISE and observation.decision_reason == "Mooi onderhouden"
        entry = TriageEntry.objects.get(observation=observation)
        assert (entry.actor, entry.from_state, entry.to_state, entry.reason) == (
            council_member, "new", "praise", "Mooi onderhouden")
    assert Notification.objects.filter(recipient=walker, kind="maps.observation_outcome").count() == 3


@pytest.mark.parametrize("reason", ["", "   ", "<b></b>"])
def test_every_decision_has_a_reason(walk, walker, council_member, reason):
    observation = ObservationFactory(walk=walk, author=walker)
    with pytest.raises(WalkError):
        services.decide(actor=council_member, observations=[observation], decision="no_action", reason=reason)
    observation.refresh_from_db()
    assert observation.state == "new" and not TriageEntry.objects.exists()


@pytest.mark.parametrize("who", ["resident", "walker", "other_council", "organiser_resident"])
def test_only_the_kerns_council_and_staff_decide(walk, walker, who, other_council_member, kern):
    observation = ObservationFactory(walk=walk, author=walker)
    person = {"resident": UserFactory(kern=kern), "walker": walker, "other_council": other_council_member,
              "organiser_resident": UserFactory(kern=kern)}[who]
    if who == "organiser_resident":
        walk.organisers.add(person)
    with pytest.raises(PermissionDenied):
        services.decide(actor=person, observations=[observation], decision="no_action", reason="Nee")
    observation.refresh_from_db()
    assert observation.state == "new"


def test_staff_decide_in_any_kern_and_one_bad_observation_stops_the_whole_bundle(walk, walker, kern):
    staff = StaffFactory()
    fine = ObservationFactory(walk=walk, author=walker)
    reported = ObservationFactory(walk=walk, author=walker, state="reported")
    with pytest.raises(WalkStateError):
        services.decide(actor=staff, observations=[fine, reported], decision="praise", reason="Goed")
    fine.refresh_from_db()
    assert fine.state == "new"
    with pytest.raises(WalkError):
        services.decide(actor=staff, observations=[fine.pk, 999_999], decision="praise", reason="Goed")
    with pytest.raises(WalkError):
        services.decide(actor=staff, observations=[fine], decision="merged", reason="Goed")
    services.decide(actor=staff, observations=[fine], decision="praise", reason="Goed")


def test_no_decision_before_the_walk_starts(kern, council_member):
    walk = WalkFactory(kern=kern, state=WalkState.PLANNED)
    observation = ObservationFactory(walk=walk)
    with pytest.raises(PermissionDenied):
        services.decide(actor=council_member, observations=[observation], decision="praise", reason="Goed")


def test_becoming_an_initiative_makes_a_draft_with_place_text_and_photos_for_the_observer(
        walk, walker, council_member, django_capture_on_commit_callbacks):
    from tests.maps.test_observations import add_photo

    observation = ObservationFactory(walk=walk, author=walker, theme="play", address="Speelveld 3",
                                     description="Het klimrek is kapot")
    walk.state = WalkState.IN_PROGRESS
    walk.save()
    add_photo(walker, observation)
    walk.state = WalkState.FINISHED
    walk.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(actor=council_member, observations=[observation], decision="initiative",
                        reason="Goed idee voor het dorp", offer_to=walker)
    observation.refresh_from_db()
    draft = Initiative.objects.get(pk=observation.initiative_id)
    assert (draft.status, draft.initiator, draft.kern, draft.summary, draft.latitude) == (
        "draft", walker, walk.kern, "Het klimrek is kapot", observation.latitude)
    assert "Speelveld 3" in draft.location_label and draft.theme == "spelen"
    assert draft.photos.count() == 1
    assert Notification.objects.filter(recipient=walker, kind="maps.initiative_offered").count() == 1


def test_an_initiative_is_offered_only_to_the_observer_or_the_council(walk, walker, council_member, kern):
    observation = ObservationFactory(walk=walk, author=walker)
    with pytest.raises(WalkError):
        services.decide(actor=council_member, observations=[observation], decision="initiative", reason="Idee",
                        offer_to=UserFactory(kern=kern))
    other_member = CouncilMembershipFactory(kern=kern).user
    services.decide(actor=council_member, observations=[observation], decision="initiative", reason="Idee",
                    offer_to=other_member)
    assert Initiative.objects.get().initiator == other_member


def test_merge_and_correct_are_audited(walk, walker, council_member):
    survivor, duplicate = (ObservationFactory(walk=walk, author=walker) for _ in range(2))
    services.merge(actor=council_member, survivor=survivor, duplicates=[duplicate], reason="Zelfde tegel")
    duplicate.refresh_from_db()
    assert duplicate.state == "merged" and duplicate.merged_into == survivor
    with pytest.raises(WalkStateError):
        services.merge(actor=council_member, survivor=survivor, duplicates=[duplicate], reason="nog eens")
    with pytest.raises(WalkError):
        services.merge(actor=council_member, survivor=survivor, duplicates=[survivor], reason="zichzelf")
    other_walk = ObservationFactory(walk=WalkFactory(kern=walk.kern, state=WalkState.FINISHED))
    with pytest.raises(WalkError):
        services.merge(actor=council_member, survivor=survivor, duplicates=[other_walk], reason="andere")
    services.correct(actor=council_member, observation=survivor, reason="Is groen", theme="green",
                     latitude="51.9280", longitude="4.8370")
    survivor.refresh_from_db()
    assert survivor.theme == "green" and str(survivor.latitude) == "51.928000"
    entry = TriageEntry.objects.filter(observation=survivor, action="correct").get()
    assert entry.changes["theme"] == ["paving", "green"] and entry.reason == "Is groen"
    with pytest.raises(WalkError):
        services.correct(actor=council_member, observation=survivor, reason="weg", latitude="51.92",
                         longitude="4.47")
    with pytest.raises(WalkError):
        services.correct(actor=council_member, observation=survivor, reason="x", theme="<b>")


def test_a_correction_is_live_audited_and_nothing_changes_without_one(walk, walker, council_member,
                                                                      django_capture_on_commit_callbacks):
    from live.models import LiveEvent

    observation = ObservationFactory(walk=walk, author=walker, address="Dorpsstraat 1")
    with django_capture_on_commit_callbacks(execute=True):
        services.correct(actor=council_member, observation=observation, reason="Huisnummer", address="Dorpsstraat 3")
    observation.refresh_from_db()
    assert observation.address == "Dorpsstraat 3"
    entry = TriageEntry.objects.get(observation=observation, action="correct")
    assert entry.changes == {"address": ["Dorpsstraat 1", "Dorpsstraat 3"]}
    event = LiveEvent.objects.get(stream=walk.stream, type="observation.changed")
    assert event.payload["properties"]["address"] == "Dorpsstraat 3"
    services.correct(actor=council_member, observation=observation, reason="Niets", address="Dorpsstraat 3",
                     theme=observation.theme)
    assert TriageEntry.objects.filter(observation=observation).count() == 1
    services.correct(actor=council_member, observation=observation, reason="Alleen de lengte",
                     latitude=str(observation.latitude), longitude=str(observation.longitude))
    assert TriageEntry.objects.filter(observation=observation).count() == 1
    with pytest.raises(WalkError):  # half a place is no place
        services.correct(actor=council_member, observation=observation, reason="Plek", latitude="51.9280",
                         longitude=None)


def test_a_new_status_of_the_melding_is_audited_live_and_told(walk, walker, council_member,
                                                              django_capture_on_commit_callbacks):
    from live.models import LiveEvent
    from maps.models import MunicipalReport

    observation = ObservationFactory(walk=walk, author=walker, state="reported")
    report = MunicipalReport.objects.create(observation=observation, adapter="signalen", state="sent",
                                            reference="samenlab-waarneming-s", external_id="SIG-9|abc",
                                            external_status="o", external_status_text="In behandeling")
    with django_capture_on_commit_callbacks(execute=True):
        services.report_status_changed(report=report)
    entry = TriageEntry.objects.get(observation=observation, action="report_status")
    assert (entry.actor, entry.reason, entry.changes) == (None, "In behandeling",
                                                          {"number": "SIG-9|abc", "status": "o"})
    event = LiveEvent.objects.get(stream=walk.stream, type="observation.changed")
    assert event.payload["properties"]["outcome"]["number"] == "SIG-9"
    assert event.payload["properties"]["outcome"]["status"] == "In behandeling"
    note = Notification.objects.get(recipient=walker, kind="maps.observation_outcome")
    assert note.params["status"] == "In behandeling" and note.params["variant"] == "report_status"
