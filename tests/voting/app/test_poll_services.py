"""Setting up polls through the services: who may, what a poll may be, and bad input changing nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from live.models import LiveEvent
from tests.factories import CouncilMembershipFactory, UserFactory
from tests.factories_initiatives import InitiativeFactory
from tests.factories_voting import BallotBoxFactory, PollFactory
from voting.models import BallotBox, Poll, PollKind, PollOption, Turnout, VotingCode, WhoMayVote
from voting.services.casting import cast_ballot
from voting.services.polls import PollError, change_poll, create_poll, remove_poll

pytestmark = pytest.mark.django_db


def when(days_from_now: float, length: float = 7):
    now = timezone.now()
    return {"opens_at": now + timedelta(days=days_from_now), "closes_at": now + timedelta(days=days_from_now + length)}


def make(actor, kern, **fields):
    values = {"kern": kern, "question": "Waar komt het bankje?", "options": ["Bij de kerk", "Bij de haven"],
              **when(1), **fields}
    return create_poll(actor=actor, **values)


def nothing_made():
    return not Poll.objects.exists() and not BallotBox.objects.exists() and not PollOption.objects.exists()


def test_the_council_makes_a_poll_in_its_own_kern(kern, council_member):
    poll = make(council_member, kern, intro="Er komt één bankje.", results_shown="after_own_vote", secret=False)
    assert poll.box.kern == kern and poll.created_by == council_member
    assert [option.label for option in poll.options.all()] == ["Bij de kerk", "Bij de haven"]
    assert (poll.kind, poll.box.secret, poll.box.results_shown) == (PollKind.SINGLE, False, "after_own_vote")


def test_staff_make_a_poll_for_the_whole_municipality(staff):
    poll = make(staff, None, who_may_vote=WhoMayVote.SIGNED_IN)
    assert poll.box.kern is None and poll.box.who_may_vote == WhoMayVote.SIGNED_IN


@pytest.mark.parametrize("who", ["resident", "other_council_member", "council_for_municipality", "admin_user"])
def test_others_may_not_make_a_poll(who, kern, resident, other_council_member, council_member, admin_user):
    from tests.factories import AdminFactory

    actor = {"resident": resident, "other_council_member": other_council_member, "council_for_municipality":
             council_member, "admin_user": AdminFactory(is_staff=False)}[who]
    with pytest.raises(PermissionDenied):
        make(actor, None if who == "council_for_municipality" else kern)
    assert nothing_made()


def test_hostile_html_is_stripped(kern, staff):
    poll = make(staff, kern, question='<script>alert(1)</script>Waar <b>komt</b> het?',
                intro='<img src=x onerror=alert(1)>Lees dit', options=["<a href='javascript:x'>Kerk</a>", "Haven"])
    assert poll.question == "Waar komt het?" and poll.intro == "Lees dit"
    assert [option.label for option in poll.options.all()] == ["Kerk", "Haven"]


@pytest.mark.parametrize(("fields", "code"), [
    ({"question": ""}, "required"),
    ({"question": "<b></b>"}, "required"),
    ({"question": "x" * 201}, "too_long"),
    ({"question": 12}, "invalid"),
    ({"options": ["Alleen één"]}, "too_few"),
    ({"options": [f"Antwoord {n}" for n in range(13)]}, "too_many"),
    ({"options": ["Kerk", "kerk"]}, "duplicate"),
    ({"options": "Kerk\nHaven"}, "invalid_options"),
    ({"options": ["Kerk", None]}, None),
    ({"options": ["Kerk", "x" * 121]}, "too_long"),
    ({"kind": "ranked"}, "kind"),
    ({"kind": PollKind.MULTIPLE, "max_choices": 3}, "max_choices"),
    ({"kind": PollKind.MULTIPLE, "max_choices": 1}, "max_choices"),
    ({"kind": PollKind.MULTIPLE, "max_choices": True}, "max_choices"),
    ({"kind": PollKind.SCALE, "options": [], "scale_size": 11, "scale_low": "slecht", "scale_high": "goed"},
     "scale_size"),
    ({"kind": PollKind.SCALE, "options": [], "scale_size": 1, "scale_low": "slecht", "scale_high": "goed"},
     "scale_size"),
    ({"kind": PollKind.SCALE, "options": [], "scale_size": 5, "scale_low": "", "scale_high": "goed"}, "required"),
    ({"kind": PollKind.SCALE, "scale_size": 5, "scale_low": "slecht", "scale_high": "goed"}, "scale_has_options"),
    ({"who_may_vote": "everyone"}, "who_may_vote"),
    ({"results_shown": "never"}, "results_shown"),
    ({"secret": "no"}, "secret"),
    ({"secret": False, "who_may_vote": WhoMayVote.LETTER}, "open_by_letter"),
    ({"opens_at": "tomorrow"}, "invalid_time"),
    ({"opens_at": timezone.now().replace(tzinfo=None)}, "invalid_time"),
    (when(2, -1), "times"),
    (when(-10, 2), "closes_in_past"),
    (when(1, 400), "too_long"),
    (when(800, 7), "too_long"),
])
def test_bad_input_is_refused_with_a_reason_and_changes_nothing(kern, staff, fields, code):
    with pytest.raises(PollError) as refused:
        make(staff, kern, **fields)
    assert refused.value.messages[0]
    if code:
        assert refused.value.code == code
    assert nothing_made()


def test_a_multiple_choice_poll_lets_choose_all_by_default(kern, staff):
    poll = make(staff, kern, kind=PollKind.MULTIPLE, options=["A", "B", "C"])
    assert poll.max_choices == 3
    assert make(staff, kern, kind=PollKind.MULTIPLE, options=["A", "B", "C"], max_choices="2").max_choices == 2


def test_a_scale_has_its_ends_and_no_options(kern, staff):
    poll = make(staff, kern, kind=PollKind.SCALE, options=[], scale_size=7, scale_low="slecht", scale_high="goed")
    assert (poll.scale_size, poll.scale_low, poll.scale_high, poll.options.count()) == (7, "slecht", "goed", 0)


def test_a_poll_belongs_to_an_initiative_of_its_kern_or_a_content_page(kern, other_kern, staff):
    from cms.models import ContentPage
    from tests.pages import build_home

    initiative = InitiativeFactory(kern=kern, status="published")
    assert make(staff, kern, initiative=initiative).initiative == initiative
    with pytest.raises(PollError) as refused:
        make(staff, other_kern, initiative=initiative)
    assert refused.value.code == "other_kern"
    home = build_home()
    page = home.add_child(instance=ContentPage(title="Over het plein", slug="plein"))
    assert make(staff, kern, page=page).page_id == page.pk
    with pytest.raises(PollError):
        make(staff, kern, page=home)
    with pytest.raises(PollError):
        make(staff, kern, page=page, initiative=initiative)


def test_something_that_is_no_initiative_is_refused(kern, council_member):
    with pytest.raises(PollError) as refused:
        make(council_member, kern, initiative=kern)
    assert refused.value.code == "unknown_initiative" and nothing_made()


def test_a_poll_changes_before_it_opens_and_says_so_live(kern, council_member):
    poll = make(council_member, kern)
    changed = change_poll(actor=council_member, poll=poll, question="Waar komt de bank?", options=["Kerk", "Dijk",
                                                                                                   "Haven"])
    assert changed.question == "Waar komt de bank?"
    assert [option.label for option in changed.options.all()] == ["Kerk", "Dijk", "Haven"]
    event = LiveEvent.objects.get(stream=f"voting.{poll.box_id}")
    assert event.type == "poll.changed" and event.payload == {"box": poll.box_id, "poll": poll.pk}


def test_changing_to_a_scale_drops_the_options(kern, staff):
    poll = make(staff, kern)
    changed = change_poll(actor=staff, poll=poll, kind=PollKind.SCALE, scale_low="nee", scale_high="ja")
    assert changed.kind == PollKind.SCALE and changed.options.count() == 0


def test_an_open_poll_does_not_change(kern, council_member, staff):
    poll = make(council_member, kern, **when(-1))
    for actor in (council_member, staff):
        with pytest.raises(PermissionDenied) as refused:
            change_poll(actor=actor, poll=poll, question="Iets anders?")
        assert "opengaat" in str(refused.value)
    poll.refresh_from_db()
    assert poll.question == "Waar komt het bankje?"


def test_a_change_is_checked_like_a_new_poll_and_changes_nothing_when_wrong(kern, other_kern, council_member):
    poll = make(council_member, kern)
    with pytest.raises(PollError):
        change_poll(actor=council_member, poll=poll, options=["Eén"])
    with pytest.raises(PollError):
        change_poll(actor=council_member, poll=poll, votes=12)
    with pytest.raises(PermissionDenied):
        change_poll(actor=council_member, poll=poll, kern=other_kern)  # not their council
    poll.refresh_from_db()
    assert poll.box.kern == kern and poll.options.count() == 2
    assert not LiveEvent.objects.exists()


def test_someone_else_cannot_change_or_remove(kern, council_member, other_council_member, resident):
    poll = make(council_member, kern)
    for actor in (other_council_member, resident):
        with pytest.raises(PermissionDenied):
            change_poll(actor=actor, poll=poll, question="Van mij?")
        with pytest.raises(PermissionDenied):
            remove_poll(actor=actor, poll=poll)
    assert Poll.objects.filter(pk=poll.pk).exists()


def test_a_poll_nobody_voted_in_is_removed_with_its_box_and_codes(kern, staff):
    poll = make(staff, kern, who_may_vote=WhoMayVote.LETTER, **when(-1))
    first = VotingCode.objects.create(box=poll.box, code_hash="a" * 64, addressee="A", street="Dijk 1",
                                      postcode="2957AA", town="Arkel")
    VotingCode.objects.create(box=poll.box, code_hash="b" * 64, addressee="A", street="Dijk 1", postcode="2957AA",
                              town="Arkel", replaces=first)
    remove_poll(actor=staff, poll=poll)
    assert nothing_made() and not VotingCode.objects.exists()
    assert LiveEvent.objects.get(stream=f"voting.{poll.box_id}").type == "poll.removed"


def test_a_poll_someone_voted_in_stays(kern, staff):
    poll = PollFactory(box=BallotBoxFactory(kern=kern))
    voter = UserFactory(kern=kern)
    cast_ballot(actor=voter, box=poll.box, choices=[poll.options.first().pk])
    with pytest.raises(PermissionDenied) as refused:
        remove_poll(actor=staff, poll=poll)
    assert "gestemd" in str(refused.value)
    assert Poll.objects.filter(pk=poll.pk).exists() and Turnout.objects.count() == 1


def test_a_council_member_of_two_kernen_moves_a_poll_between_them(kern, other_kern, council_member):
    CouncilMembershipFactory(kern=other_kern, user=council_member)
    poll = make(council_member, kern)
    assert change_poll(actor=council_member, poll=poll, kern=other_kern).box.kern == other_kern
