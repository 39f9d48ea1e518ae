"""A journey map as JSON: the export follows its documented schema, and importing it as a new workshop and
exporting that again gives the same journey, without loss; a file that is not a journey is refused."""

import copy
import datetime
import json
import re

import jsonschema
import pytest
from django.utils import timezone

from lab.models import Workshop
from lab.workshops import services
from lab.workshops.journey_json import SCHEMA, export_journey, save_template, validate_journey
from lab.workshops.services import WorkshopError
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished(kern):
    from lab.workshops.demo import _finished

    _finished(StaffFactory(email="fatima@example.org"))
    return Workshop.objects.get(title="Verhuizen naar Molenlanden")


@pytest.fixture(autouse=True)
def people(kern):
    for email in ("jan@example.org", "kees@example.org"):
        UserFactory(email=email, kern=kern)


def test_the_export_follows_its_schema_and_names_nobody(finished):
    data = export_journey(finished, with_dots=True)
    jsonschema.validate(data, SCHEMA)
    assert len(data["stages"]) == 5 and len(data["lanes"]) == 6 and len(data["cards"]) == 20
    assert data["stages"][2]["feeling_now"] == pytest.approx(-4 / 3, abs=0.01)
    assert sum(card.get("dots", 0) for card in data["cards"]) == 9
    text = json.dumps(data)
    assert "jan@example.org" not in text and "Sanne" not in text and "Jan" not in text


def test_without_the_right_to_see_votes_the_export_has_no_dots(finished):
    assert all("dots" not in card for card in export_journey(finished)["cards"])


def test_an_export_imported_as_a_workshop_exports_the_same_journey(finished):
    data = export_journey(finished)
    start = timezone.now() + datetime.timedelta(days=3)
    again = services.plan_from_journey(actor=StaffFactory(), data=json.loads(json.dumps(data)), starts_at=start,
                                       ends_at=start + datetime.timedelta(hours=2))
    copied = export_journey(again)
    for stage in data["stages"]:  # the curves are the new group's to draw
        stage["feeling_now"] = stage["feeling_desired"] = None
    assert copied == data


def test_a_template_keeps_the_journey(finished):
    staff = StaffFactory()
    template = save_template(actor=staff, data=export_journey(finished), title="Verhuizen, sjabloon")
    assert template.data["cards"] == export_journey(finished)["cards"]


@pytest.mark.parametrize("change, reason", [
    (lambda d: d.update(format="iets anders"), "De soort bestand (format) klopt niet."),
    (lambda d: d["cards"].append({"stage": 9, "lane": 0, "text": "x"}), "Kaartje 21 staat in een fase of rij die"),
    (lambda d: d["lanes"].append({"kind": "onbekend", "title": "x"}), "Rij 7, soort rij: deze waarde kennen we niet"),
    (lambda d: d.update(stages=[]), "Fase: te weinig, er moet minstens 1 zijn."),
    (lambda d: d.update(extra="x"), "Het bestand: “extra” kennen we niet."),
    (lambda d: d["cards"][0].update(text="x" * 501), "Kaartje 1, tekst is te lang: hoogstens 500 tekens."),
    (lambda d: d["personas"].append({"name": "Sanne"}), "Persona 3: situatie ontbreekt."),
    (lambda d: d["stages"][0].update(feeling_now=3), "Fase 1, gevoel zoals het nu is: het getal is groter dan 2."),
    (lambda d: d["cards"][0].update(stage="een"), "Kaartje 1, fase: hier hoort een andere soort waarde."),
    (lambda d: d.update(title=""), "Titel is leeg."),
])
def test_a_file_that_is_not_a_journey_is_refused(finished, change, reason):
    data = copy.deepcopy(export_journey(finished))
    change(data)
    with pytest.raises(ValueError, match=re.escape(reason)):
        validate_journey(data)
    start = timezone.now()
    before = Workshop.objects.count()
    with pytest.raises(WorkshopError):
        services.plan_from_journey(actor=StaffFactory(), data=data, starts_at=start,
                                   ends_at=start + datetime.timedelta(hours=1))
    assert Workshop.objects.count() == before


def test_only_planners_keep_templates(finished):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        save_template(actor=UserFactory(), data=export_journey(finished))


LIMITS = [("personas", 0, "situation", 1000), ("personas", 0, "needs", 1000), ("cards", 0, "group", 80)]


@pytest.mark.parametrize(("part", "index", "field", "limit"), LIMITS)
def test_a_journeys_texts_are_held_to_the_models_limits_and_a_longer_one_makes_nothing(finished, part, index,
                                                                                       field, limit):
    data = export_journey(finished)
    data["personas"] = data.get("personas") or [{"name": "Sanne", "situation": "Verhuist", "needs": ""}]
    start = timezone.now() + datetime.timedelta(days=3)
    fitting = copy.deepcopy(data)
    fitting[part][index][field] = "x" * limit
    services.plan_from_journey(actor=StaffFactory(), data=fitting, starts_at=start,
                               ends_at=start + datetime.timedelta(hours=2))
    too_long = copy.deepcopy(data)
    too_long[part][index][field] = "x" * (limit + 1)
    before = Workshop.objects.count()
    with pytest.raises(WorkshopError):
        services.plan_from_journey(actor=StaffFactory(), data=too_long, starts_at=start,
                                   ends_at=start + datetime.timedelta(hours=2))
    assert Workshop.objects.count() == before


def test_a_card_without_words_is_refused_and_makes_nothing(finished):
    data = export_journey(finished)
    data["cards"][0]["text"] = "<b> </b>"
    before = Workshop.objects.count()
    start = timezone.now() + datetime.timedelta(days=3)
    with pytest.raises(WorkshopError):
        services.plan_from_journey(actor=StaffFactory(), data=data, starts_at=start,
                                   ends_at=start + datetime.timedelta(hours=2))
    assert Workshop.objects.count() == before


def test_a_journeys_summary_comes_along_as_plain_text(finished):
    data = export_journey(finished)
    data["summary"] = "Wat we leerden: <script>alert(1)</script>de brief komt te laat."
    start = timezone.now() + datetime.timedelta(days=3)
    made = services.plan_from_journey(actor=StaffFactory(), data=data, starts_at=start,
                                      ends_at=start + datetime.timedelta(hours=2))
    made.refresh_from_db()
    assert made.summary.startswith("Wat we leerden:") and "de brief komt te laat." in made.summary
    before = finished.summary
    finished.refresh_from_db()
    assert finished.summary == before  # only the new workshop gets it
    assert "<script>" not in made.summary


def test_a_write_that_fails_half_way_leaves_no_workshop_and_no_personas(finished, monkeypatch):
    """The workshop, its stages, lanes and personas are written before the cards; when the cards cannot be
    written, none of it stays."""
    from lab.models import Card, Persona

    data = export_journey(finished)
    data["personas"] = [{"name": "Sanne", "situation": "Verhuist met twee kinderen", "needs": ""}]
    before = (Workshop.objects.count(), Persona.objects.count(), Card.objects.count())

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(Card.objects, "bulk_create", broken)
    start = timezone.now() + datetime.timedelta(days=3)
    with pytest.raises(RuntimeError):
        services.plan_from_journey(actor=StaffFactory(), data=data, starts_at=start,
                                   ends_at=start + datetime.timedelta(hours=2))
    assert (Workshop.objects.count(), Persona.objects.count(), Card.objects.count()) == before


def test_a_template_name_over_150_characters_is_refused_and_nothing_is_kept(finished):
    from lab.models import JourneyTemplate
    from lab.workshops.services.journeys import save_as_template

    staff = StaffFactory()
    with pytest.raises(WorkshopError):
        save_as_template(actor=staff, workshop=finished, title="x" * 151)
    assert not JourneyTemplate.objects.exists()
    assert save_as_template(actor=staff, workshop=finished, title="x" * 150).title == "x" * 150
