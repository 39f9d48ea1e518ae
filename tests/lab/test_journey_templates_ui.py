"""Journeys reach people: the plan page starts a workshop from a saved template or an uploaded journey file, and
a workshop's facilitators and staff keep its journey as a template. Bad files are refused and change nothing."""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lab.forms import JOURNEY_FILE_MAX
from lab.models import JourneyTemplate, Persona, Workshop
from lab.workshops import services
from lab.workshops.journey_json import FORMAT, export_journey, save_template
from tests import factories
from tests.lab.workshops.conftest import guest_joins, in_group, write

pytestmark = pytest.mark.django_db

JOURNEY = {
    "format": FORMAT, "title": "Afval scheiden", "service": "Inzameling van afval", "customer_group": "Nieuwe inwoners",
    "personas": [{"name": "Ans", "situation": "Woont net in Giessenburg.", "needs": "Een duidelijke kalender"}],
    "stages": [{"title": "Horen"}, {"title": "Aanmelden"}, {"title": "Ophalen"}],
    "lanes": [{"kind": "does", "title": "Wat doet de inwoner?"}, {"kind": "pain", "title": "Wat gaat er mis?"}],
    "cards": [{"stage": 1, "lane": 1, "text": "Het formulier is lang"}],
}


def when(**changes) -> dict:
    """The typed fields of the plan form that always apply."""
    return {"date": "2030-03-01", "start_time": "19:30", "end_time": "21:00", "place": "Dorpshuis Arkel",
            "dots_per_participant": "3", "stages": "", "title": "", "service": "", **changes}


def upload(content, name="klantreis.json") -> SimpleUploadedFile:
    raw = content if isinstance(content, bytes) else json.dumps(content).encode()
    return SimpleUploadedFile(name, raw, content_type="application/json")


def shape(workshop: Workshop) -> tuple:
    return ([s.title for s in workshop.stages.all()], [(lane.kind, lane.title) for lane in workshop.lanes.all()],
            [(p.name, p.situation, p.needs) for p in workshop.personas.all()])


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def lead(kern):
    return in_group(factories.UserFactory(kern=kern, first_name="Fenna"))


@pytest.fixture
def workshop(lead):
    start = timezone.now() + datetime.timedelta(days=1)
    return services.plan_from_journey(actor=lead, data=JOURNEY, starts_at=start,
                                      ends_at=start + datetime.timedelta(hours=2), place="Dorpshuis")


# --- planning from a template or a file --------------------------------------------------------------------------

def test_the_select_shows_the_templates_newest_first(staff_client, staff):
    older = save_template(actor=staff, data=JOURNEY, title="Ouder sjabloon")
    newer = save_template(actor=staff, data=JOURNEY, title="Nieuwer sjabloon")
    page = staff_client.get(reverse("lab:plan_workshop")).content.decode()
    assert 'enctype="multipart/form-data"' in page and 'accept="application/json,.json"' in page
    assert "Zonder sjabloon" in page
    assert page.index("Zonder sjabloon") < page.index(newer.title) < page.index(older.title)
    assert f'value="{newer.pk}"' in page


def test_staff_plan_from_a_template_with_their_own_date_and_place(staff_client, staff, kern):
    template = save_template(actor=staff, data=JOURNEY, title="Afval")
    response = staff_client.post(reverse("lab:plan_workshop"), when(template=template.pk, kern=kern.slug))
    workshop = Workshop.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("lab:workshop", args=[workshop.pk])
    assert workshop.title == "Afval scheiden" and workshop.service == "Inzameling van afval"
    assert workshop.place == "Dorpshuis Arkel" and workshop.kern == kern
    assert workshop.starts_at.date() == datetime.date(2030, 3, 1)
    assert shape(workshop) == (["Horen", "Aanmelden", "Ophalen"],
                               [("does", "Wat doet de inwoner?"), ("pain", "Wat gaat er mis?")],
                               [("Ans", "Woont net in Giessenburg.", "Een duidelijke kalender")])
    assert [c.text for c in workshop.cards.all()] == ["Het formulier is lang"]
    assert list(workshop.facilitators.all()) == [staff]


def test_a_typed_title_and_service_take_the_place_of_the_journeys(staff_client, staff):
    template = save_template(actor=staff, data=JOURNEY)
    staff_client.post(reverse("lab:plan_workshop"), when(template=template.pk, title="Afval in Arkel",
                                                         service="De gele zak"))
    workshop = Workshop.objects.get()
    assert (workshop.title, workshop.service) == ("Afval in Arkel", "De gele zak")
    assert len(shape(workshop)[0]) == 3  # the typed (prefilled) stages do not count


def test_an_exported_workshop_uploaded_again_gives_the_same_journey(staff_client, workshop):
    exported = export_journey(workshop)
    response = staff_client.post(reverse("lab:plan_workshop"), when(journey_file=upload(exported)))
    assert response.status_code == 302, response.content.decode()[:2000]
    again = Workshop.objects.exclude(pk=workshop.pk).get()
    assert shape(again) == shape(workshop)
    assert export_journey(again)["cards"] == exported["cards"]


def test_markup_in_an_uploaded_journey_is_taken_out(staff_client):
    hostile = json.loads(json.dumps(JOURNEY))
    hostile["title"] = "Afval <script>alert(1)</script>scheiden"
    hostile["stages"][0]["title"] = "<b>Horen</b>"
    hostile["personas"][0]["name"] = '<img src=x onerror="alert(1)">Ans'
    hostile["cards"][0]["text"] = "<a href='javascript:alert(1)'>Lang</a> formulier"
    response = staff_client.post(reverse("lab:plan_workshop"), when(journey_file=upload(hostile)))
    assert response.status_code == 302
    workshop = Workshop.objects.get()
    assert "<" not in workshop.title and "script" not in workshop.title.lower()
    assert workshop.stages.first().title == "Horen"
    assert Persona.objects.get(workshop=workshop).name == "Ans"
    assert workshop.cards.get().text == "Lang formulier"


@pytest.mark.parametrize("content, message", [
    (b"dit is geen json", "Dit bestand is geen JSON."),
    (b"\xff\xfe\x00n\x00i\x00e\x00t", "Dit bestand is geen tekst in UTF-8."),
    (b"[1, 2, 3]", "Dit bestand is geen klantreis."),
    (b"[" * 100_000, "Dit bestand is geen JSON."),
    (json.dumps({**JOURNEY, "format": "iets anders"}).encode(),
     "Dit is geen klantreis die Samenlab kent. De soort bestand (format) klopt niet."),
    (json.dumps({**JOURNEY, "stages": []}).encode(),
     "Dit is geen klantreis die Samenlab kent. Fase: te weinig, er moet minstens 1 zijn."),
    (json.dumps({**JOURNEY, "cards": [{"stage": 7, "lane": 0, "text": "x"}]}).encode(),
     "Dit is geen klantreis die Samenlab kent. Kaartje 1 staat in een fase of rij die niet bestaat."),
    (json.dumps({**JOURNEY, "personas": [{"name": "<b></b>", "situation": ""}]}).encode(), "persona"),
    (b" " * (JOURNEY_FILE_MAX + 1), "Dit bestand is te groot."),
])
def test_a_file_that_is_not_a_journey_is_refused_and_changes_nothing(staff_client, content, message):
    response = staff_client.post(reverse("lab:plan_workshop"), when(journey_file=upload(content)))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Workshop.objects.exists() and not JourneyTemplate.objects.exists()


def test_a_template_and_a_file_at_once_is_refused(staff_client, staff):
    template = save_template(actor=staff, data=JOURNEY)
    response = staff_client.post(reverse("lab:plan_workshop"),
                                 when(template=template.pk, journey_file=upload(JOURNEY)))
    assert response.status_code == 400 and "niet allebei" in response.content.decode()
    assert not Workshop.objects.exists()


def test_without_a_journey_the_title_and_the_stages_are_still_needed(staff_client):
    response = staff_client.post(reverse("lab:plan_workshop"), when())
    assert response.status_code == 400 and not Workshop.objects.exists()


def test_residents_cannot_plan_from_a_file(client, resident):
    client.force_login(resident)
    response = client.post(reverse("lab:plan_workshop"), when(journey_file=upload(JOURNEY)))
    assert response.status_code == 403 and not Workshop.objects.exists()


# --- keeping a workshop as a template ----------------------------------------------------------------------------

@pytest.mark.parametrize("who, allowed", [
    ("facilitator", True), ("staff", True), ("other_facilitator", False), ("resident", False), ("council", False),
    ("anonymous", False)])
def test_who_keeps_a_workshop_as_a_template(cast, who, allowed):
    lead = cast["facilitator"]
    start = timezone.now() + datetime.timedelta(days=1)
    workshop = services.plan_from_journey(actor=lead, data=JOURNEY, starts_at=start,
                                          ends_at=start + datetime.timedelta(hours=2), place="Dorpshuis")
    person = in_group(factories.UserFactory(first_name="Olaf")) if who == "other_facilitator" else cast[who]
    client = Client()
    if person.is_authenticated:
        client.force_login(person)
    page = client.get(reverse("lab:workshop", args=[workshop.pk])).content.decode()
    assert ("Bewaar als sjabloon" in page) is allowed
    response = client.post(reverse("lab:save_template", args=[workshop.pk]), {"title": "Afval, sjabloon"})
    if allowed:
        assert response.status_code == 302 and response["Location"] == reverse("lab:workshop", args=[workshop.pk])
        template = JourneyTemplate.objects.get()
        assert template.title == "Afval, sjabloon" and template.created_by == person
        assert template.data == export_journey(workshop)
        shown = client.get(response["Location"]).content.decode()
        assert "De klantreis is bewaard als sjabloon" in shown
    else:
        assert response.status_code == 403
        assert not JourneyTemplate.objects.exists()


def test_saving_as_a_template_takes_no_get(client, staff, workshop):
    client.force_login(staff)
    assert client.get(reverse("lab:save_template", args=[workshop.pk])).status_code == 405
    assert not JourneyTemplate.objects.exists()


def test_a_template_names_no_participant_and_leaves_private_cards_out(client, lead, workshop):
    board = services.open_workshop(actor=lead, workshop=workshop)
    seat = guest_joins(board, "Sanne")
    write(seat, "Ik wist niet waar de container stond", kind="pain", stage=2)
    client.force_login(lead)
    client.post(reverse("lab:save_template", args=[workshop.pk]), {"title": ""})
    template = JourneyTemplate.objects.get()
    text = json.dumps(template.data)
    assert template.title == "Afval scheiden"  # no name given: the journey's
    assert "Sanne" not in text and lead.first_name not in text and lead.email not in text
    assert "container" not in text  # still private in the silent brainstorm
    services.reveal(actor=lead, workshop=board)
    client.post(reverse("lab:save_template", args=[workshop.pk]), {"title": "Na het delen"})
    text = json.dumps(JourneyTemplate.objects.get(title="Na het delen").data)
    assert "Ik wist niet waar de container stond" in text and "Sanne" not in text  # a shared card names nobody


def test_a_saved_template_plans_the_next_workshop(client, lead, workshop):
    client.force_login(lead)
    client.post(reverse("lab:save_template", args=[workshop.pk]), {"title": "Afval"})
    template = JourneyTemplate.objects.get()
    response = client.post(reverse("lab:plan_workshop"), when(template=template.pk))
    assert response.status_code == 302
    assert shape(Workshop.objects.exclude(pk=workshop.pk).get()) == shape(workshop)
