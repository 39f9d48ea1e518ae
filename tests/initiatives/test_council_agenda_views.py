"""The council's agenda through its pages and the API: the threshold page, the agenda page, the date and decision
forms (bad input: a clear error and nothing changed; forged ids; another kern's council refused), what the
initiative page shows everyone, and the query counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from initiatives import services
from initiatives.models import AgendaOutcome, CouncilAgendaItem, Initiative, Status, SupportThreshold
from tests import factories
from tests.factories_initiatives import InitiativeFactory

pytestmark = pytest.mark.django_db


def threshold_url(kern):
    return reverse("initiatives:support_threshold", args=[kern.slug])


@pytest.fixture
def published(make_initiative):
    return make_initiative(Status.PUBLISHED, goal=None, title="Bankjes langs de dijk")


@pytest.fixture
def on_agenda(kern, council_member, published):
    services.set_support_threshold(actor=council_member, kern=kern, supporters=2)
    for _n in range(2):
        services.support(user=factories.UserFactory(kern=kern), initiative=published)
    assert CouncilAgendaItem.objects.filter(initiative=published).exists()
    return published


def item_of(initiative):
    return CouncilAgendaItem.objects.get(initiative=initiative)


# --- The threshold page -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "message"), [
    ("0", "van 1 tot 100.000"), ("-5", "heel getal"), ("tien", "heel getal"), ("12,5", "heel getal"),
    ("1e3", "heel getal"), ("100001", "van 1 tot 100.000"), ("999999999999", "van 1 tot 100.000"),
    ("9" * 40, "van 1 tot 100.000"), ("", "Vul een aantal in"), ("  ", "Vul een aantal in"),
])
def test_bad_input_on_the_threshold_page_gives_a_clear_error_and_changes_nothing(client, kern, council_member,
                                                                               typed, message):
    services.set_support_threshold(actor=council_member, kern=kern, supporters=30)
    client.force_login(council_member)
    response = client.post(threshold_url(kern), {"supporters": typed})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and 'id="id_supporters_error"' in page  # next to the field it is about
    assert SupportThreshold.objects.get(kern=kern).supporters == 30


@pytest.mark.parametrize(("typed", "kept"), [("25", 25), (" 7 ", 7), ("1.000", 1000), ("100.000", 100_000),
                                             ("1", 1)])
def test_the_council_sets_its_threshold_and_goes_back_to_its_moderation_page(client, kern, council_member, typed,
                                                                           kept):
    client.force_login(council_member)
    assert client.get(threshold_url(kern)).status_code == 200
    response = client.post(threshold_url(kern), {"supporters": typed})
    assert response.status_code == 302
    assert response.url == f"{reverse('initiatives:moderation_queue')}?kern={kern.slug}"
    assert SupportThreshold.objects.get(kern=kern).supporters == kept


def test_a_lower_threshold_says_how_many_initiatives_went_on_the_agenda(client, kern, council_member, published):
    services.support(user=factories.UserFactory(kern=kern), initiative=published)
    client.force_login(council_member)
    response = client.post(threshold_url(kern), {"supporters": "1"}, follow=True)
    assert "1 initiatief heeft al genoeg steun en staat nu op de agenda." in response.content.decode()
    assert CouncilAgendaItem.objects.filter(initiative=published).exists()


def test_another_kerns_council_and_residents_are_refused_and_an_unknown_kern_is_404(
        client, kern, other_council_member, resident, staff):
    for who in (other_council_member, resident):
        client.force_login(who)
        assert client.get(threshold_url(kern)).status_code == 403
        assert client.post(threshold_url(kern), {"supporters": "5"}).status_code == 403
    assert not SupportThreshold.objects.exists()
    client.force_login(staff)
    assert client.get(reverse("initiatives:support_threshold", args=["bestaat-niet"])).status_code == 404
    assert client.post(threshold_url(kern), {"supporters": "5"}).status_code == 302
    client.logout()
    response = client.post(threshold_url(kern), {"supporters": "9"})
    assert response.status_code == 302 and "login" in response.url
    assert SupportThreshold.objects.get(kern=kern).supporters == 5


def test_the_moderation_page_links_to_the_threshold_and_the_agenda(client, kern, other_kern, council_member):
    client.force_login(council_member)
    page = client.get(reverse("initiatives:moderation_queue")).content.decode()
    assert threshold_url(kern) in page and threshold_url(other_kern) not in page
    assert reverse("initiatives:council_agenda") in page
    services.set_support_threshold(actor=council_member, kern=kern, supporters=40)
    assert "40 steunbetuigingen" in client.get(reverse("initiatives:moderation_queue")).content.decode()


# --- The agenda page and its forms --------------------------------------------------------------------------


def test_the_agenda_page_lists_the_own_kerns_items_only(client, kern, other_kern, on_agenda, council_member,
                                                        other_council_member, resident):
    url = reverse("initiatives:council_agenda")
    client.force_login(council_member)
    assert "Bankjes langs de dijk" in client.get(url).content.decode()
    client.force_login(other_council_member)
    assert "Bankjes langs de dijk" not in client.get(url).content.decode()
    assert client.get(url, {"kern": kern.slug}).status_code == 403
    client.force_login(resident)
    assert client.get(url).status_code == 403


def test_the_council_sets_the_date_and_records_the_decision_through_the_forms(client, on_agenda, council_member,
                                                                              initiator):
    pk = on_agenda.pk
    meeting = timezone.localdate() + datetime.timedelta(days=12)
    client.force_login(council_member)
    response = client.post(reverse("initiatives:schedule_agenda_item", args=[pk]),
                           {f"d{pk}-meeting_date": meeting.isoformat()})
    assert response.status_code == 302 and response.url == reverse("initiatives:council_agenda")
    assert item_of(on_agenda).meeting_date == meeting
    response = client.post(reverse("initiatives:record_agenda_outcome", args=[pk]),
                           {f"o{pk}-outcome": "adopted", f"o{pk}-outcome_text": "Goed plan.", "from": "page"})
    assert response.status_code == 302 and response.url == on_agenda.get_absolute_url() + "#dorpsraad"
    item = item_of(on_agenda)
    assert (item.outcome, item.outcome_text, item.decided_by) == (AgendaOutcome.ADOPTED, "Goed plan.", council_member)
    # Decided: a second decision is refused with the reason, and nothing changes.
    response = client.post(reverse("initiatives:record_agenda_outcome", args=[pk]),
                           {f"o{pk}-outcome": "rejected", f"o{pk}-outcome_text": "Toch niet."})
    assert response.status_code == 400 and "al over besloten" in response.content.decode()
    assert item_of(on_agenda).outcome == AgendaOutcome.ADOPTED


@pytest.mark.parametrize("typed", ["", "morgen", "2024-02-30", "31-31-2030", "1900-01-01", "2999-01-01"])
def test_a_bad_meeting_date_gives_a_clear_error_and_changes_nothing(client, on_agenda, council_member, typed):
    pk = on_agenda.pk
    client.force_login(council_member)
    response = client.post(reverse("initiatives:schedule_agenda_item", args=[pk]), {f"d{pk}-meeting_date": typed})
    assert response.status_code == 400
    page = response.content.decode()
    assert any(text in page for text in ("Kies een datum", "geldige datum", "binnen twee jaar"))
    assert item_of(on_agenda).meeting_date is None


@pytest.mark.parametrize(("data", "message"), [
    ({"outcome": "", "outcome_text": "Ja."}, "Kies een besluit."),
    ({"outcome": "pending", "outcome_text": "Ja."}, "Kies een besluit uit de lijst."),
    ({"outcome": "adopted", "outcome_text": ""}, "wat de dorpsraad besloot"),
    ({"outcome": "adopted", "outcome_text": "<p> </p>"}, "wat de dorpsraad besloot"),
    ({"outcome": "adopted", "outcome_text": "x" * 1001}, "hoogstens 1000 tekens"),
])
def test_a_bad_decision_gives_a_clear_error_and_changes_nothing(client, on_agenda, council_member, data, message):
    pk = on_agenda.pk
    client.force_login(council_member)
    response = client.post(reverse("initiatives:record_agenda_outcome", args=[pk]),
                           {f"o{pk}-{name}": value for name, value in data.items()})
    assert response.status_code == 400 and message in response.content.decode()
    assert item_of(on_agenda).outcome == AgendaOutcome.PENDING


def test_another_kerns_council_residents_and_the_initiator_are_refused(client, on_agenda, other_council_member,
                                                                       resident, initiator):
    pk = on_agenda.pk
    for who in (other_council_member, resident, initiator):
        client.force_login(who)
        assert client.post(reverse("initiatives:schedule_agenda_item", args=[pk]),
                           {f"d{pk}-meeting_date": timezone.localdate().isoformat()}).status_code == 403
        assert client.post(reverse("initiatives:record_agenda_outcome", args=[pk]),
                           {f"o{pk}-outcome": "adopted", f"o{pk}-outcome_text": "Ja."}).status_code == 403
    item = item_of(on_agenda)
    assert (item.meeting_date, item.outcome) == (None, AgendaOutcome.PENDING)


def test_forged_ids_answer_404_and_change_nothing(client, kern, on_agenda, council_member, other_council_member,
                                                  other_kern):
    hidden = InitiativeFactory(kern=other_kern, status=Status.SUBMITTED)  # not visible to this council
    client.force_login(council_member)
    for pk in (987654, hidden.pk):
        assert client.post(reverse("initiatives:schedule_agenda_item", args=[pk]),
                           {f"d{pk}-meeting_date": timezone.localdate().isoformat()}).status_code == 404
        assert client.post(reverse("initiatives:record_agenda_outcome", args=[pk]),
                           {f"o{pk}-outcome": "adopted", f"o{pk}-outcome_text": "Ja."}).status_code == 404
    # A form for one initiative sent to another's address: that one's fields are missing, nothing changes.
    other = InitiativeFactory(kern=kern, status=Status.PUBLISHED)
    response = client.post(reverse("initiatives:record_agenda_outcome", args=[other.pk]),
                           {f"o{on_agenda.pk}-outcome": "adopted", f"o{on_agenda.pk}-outcome_text": "Ja."})
    assert response.status_code == 400
    assert item_of(on_agenda).outcome == AgendaOutcome.PENDING
    assert not CouncilAgendaItem.objects.filter(initiative=other).exists()
    assert client.get(reverse("initiatives:schedule_agenda_item", args=[on_agenda.pk])).status_code == 405


# --- The initiative page, for everyone ---------------------------------------------------------------------------


def test_the_page_shows_how_much_support_is_still_needed(client, kern, council_member, published):
    services.set_support_threshold(actor=council_member, kern=kern, supporters=15)
    for _n in range(3):
        services.support(user=factories.UserFactory(kern=kern), initiative=published)
    page = client.get(published.get_absolute_url()).content.decode()
    assert "Nog 12 steunbetuigingen tot de dorpsraad" in page
    assert "Met 15 steunbetuigingen komt dit initiatief op de agenda van de dorpsraad." in page
    services.set_support_threshold(actor=council_member, kern=kern, supporters=4)
    assert "Nog 1 steunbetuiging tot de dorpsraad" in client.get(published.get_absolute_url()).content.decode()


def test_without_a_threshold_the_page_says_nothing_about_the_agenda(client, published):
    assert 'id="dorpsraad"' not in client.get(published.get_absolute_url()).content.decode()


def test_everyone_sees_the_agenda_date_and_the_decision_and_only_the_council_sees_the_forms(
        client, on_agenda, council_member, resident):
    services.schedule_agenda_item(actor=council_member, initiative=on_agenda,
                                  meeting_date=timezone.localdate())
    date_text = f"Op de agenda van de dorpsraad van {timezone.localdate().day}"
    page = client.get(on_agenda.get_absolute_url()).content.decode()
    assert date_text in page and "Besluit opslaan" not in page
    client.force_login(council_member)
    page = client.get(on_agenda.get_absolute_url()).content.decode()
    assert f'name="o{on_agenda.pk}-outcome"' in page and f'name="d{on_agenda.pk}-meeting_date"' in page
    services.record_agenda_outcome(actor=council_member, initiative=on_agenda, outcome="referred",
                                   text="Naar de gemeente gestuurd.")
    client.force_login(resident)
    page = client.get(on_agenda.get_absolute_url()).content.decode()
    assert "doorverwezen" in page and "Naar de gemeente gestuurd." in page
    assert f'name="o{on_agenda.pk}-outcome"' not in page


@pytest.mark.parametrize("count", [10, 100])
def test_the_page_of_an_initiative_on_the_agenda_costs_the_same_queries(client, kern, council_member, published,
                                                                        count, django_assert_max_num_queries):
    services.set_support_threshold(actor=council_member, kern=kern, supporters=count)
    for _n in range(count):
        services.support(user=factories.UserFactory(kern=kern), initiative=published)
    client.force_login(council_member)  # sees the forms too
    client.get(published.get_absolute_url())  # the first visit also creates the discussion thread
    with django_assert_max_num_queries(16):
        response = client.get(published.get_absolute_url())
    assert f'name="o{published.pk}-outcome"' in response.content.decode()


# --- The API -----------------------------------------------------------------------------------------------------


def test_the_api_shows_the_agenda_read_only(kern, on_agenda, council_member, initiator):
    api = APIClient()
    url = reverse("api:initiatives-detail", kwargs={"pk": on_agenda.pk})
    data = api.get(url).json()
    assert data["council_threshold"] == 2
    assert data["council_agenda"]["supporters_at_reach"] == 2 and data["council_agenda"]["outcome"] == "pending"
    services.record_agenda_outcome(actor=council_member, initiative=on_agenda, outcome="rejected", text="Te duur.")
    agenda = api.get(url).json()["council_agenda"]
    assert (agenda["outcome"], agenda["outcome_text"]) == ("rejected", "Te duur.") and agenda["decided_at"]
    assert "decided_by" not in agenda
    other = InitiativeFactory(kern=kern, status=Status.PUBLISHED)
    assert api.get(reverse("api:initiatives-detail", kwargs={"pk": other.pk})).json()["council_agenda"] is None
    draft = InitiativeFactory(kern=kern, initiator=initiator, status=Status.DRAFT)
    api.force_authenticate(initiator)
    api.patch(reverse("api:initiatives-detail", kwargs={"pk": draft.pk}),
              {"council_agenda": {"outcome": "adopted"}, "title": "Nieuwe titel voor het plan"}, format="json")
    assert not CouncilAgendaItem.objects.filter(initiative=draft).exists()
    assert Initiative.objects.get(pk=draft.pk).title == "Nieuwe titel voor het plan"


def test_the_api_detail_reads_the_agenda_without_extra_queries(kern, on_agenda, django_assert_max_num_queries):
    api = APIClient()
    url = reverse("api:initiatives-detail", kwargs={"pk": on_agenda.pk})
    api.get(url)
    with django_assert_max_num_queries(4):  # the initiative with its agenda and kern's threshold, team, photos
        assert api.get(url).json()["council_agenda"] is not None
