"""The walk pages answer for each role, in a fixed number of queries, and their forms call the services."""

import uuid

import pytest
from django.urls import reverse

from maps.models import Observation, WalkSignup, WalkState
from tests import factories
from tests.factories_maps import ObservationFactory, WalkFactory, WalkSignupFactory
from tests.photos import gps_tagged_jpeg

pytestmark = pytest.mark.django_db


@pytest.fixture
def walk(kern, council_member):
    return WalkFactory(kern=kern, organisers=[council_member])


def test_the_list_and_the_walk_page_show_the_walk_to_everyone(client, walk):
    assert walk.title in client.get(reverse("maps:walks")).content.decode()
    page = client.get(walk.get_absolute_url())
    assert page.status_code == 200
    content = page.content.decode()
    assert walk.meeting_point in content and "Log in om mee te lopen" in content


def test_a_resident_signs_up_gets_the_agenda_file_and_signs_off(client, walk, resident):
    client.force_login(resident)
    response = client.post(reverse("maps:sign_up", args=[walk.pk]))
    assert response.status_code == 302 and WalkSignup.objects.filter(walk=walk, user=resident).exists()
    ics = client.get(reverse("maps:walk_ics", args=[walk.pk]))
    assert ics["Content-Type"].startswith("text/calendar")
    body = ics.content.decode()
    assert "BEGIN:VEVENT" in body and walk.title in body and f"UID:wijkschouw-{walk.pk}@samenlab" in body
    client.post(reverse("maps:cancel_signup", args=[walk.pk]))
    assert not WalkSignup.objects.filter(walk=walk, user=resident).exists()


def test_the_plain_form_records_an_observation_with_a_photo_without_the_map(client, kern, resident):
    walk = WalkFactory(kern=kern, state=WalkState.IN_PROGRESS)
    WalkSignupFactory(walk=walk, user=resident)
    client.force_login(resident)
    assert client.get(reverse("maps:capture", args=[walk.pk])).status_code == 200
    key = uuid.uuid4()
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {"client_id": str(key), "theme": "paving", "kind": "problem", "description": "Tegel los <b>hier</b>",
            "address": "Dorpsstraat 12", "place_description": "", "latitude": "", "longitude": "",
            "crow_score": "C", "alt_text": "De losse tegel",
            "photo": SimpleUploadedFile("tegel.jpg", gps_tagged_jpeg(), content_type="image/jpeg")}
    response = client.post(reverse("maps:record", args=[walk.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    observation = Observation.objects.get(client_id=key)
    assert observation.description == "Tegel los hier" and observation.address == "Dorpsstraat 12"
    assert observation.photos.count() == 1
    again = dict(data, photo=SimpleUploadedFile("tegel.jpg", gps_tagged_jpeg(), content_type="image/jpeg"))
    client.post(reverse("maps:record", args=[walk.pk]), again)
    assert Observation.objects.filter(client_id=key).count() == 1 and observation.photos.count() == 1
    page = client.get(observation.get_absolute_url())
    assert page.status_code == 200 and "Dorpsstraat 12" in page.content.decode()


def test_triage_page_and_a_decision_for_the_council(client, kern, council_member):
    walk = WalkFactory(kern=kern, state=WalkState.FINISHED, organisers=[council_member])
    observation = ObservationFactory(walk=walk)
    client.force_login(council_member)
    assert client.get(reverse("maps:triage", args=[walk.pk])).status_code == 200
    response = client.post(reverse("maps:decide", args=[walk.pk]), {
        "observations": [observation.pk], "decision": "no_action", "reason": "Is al hersteld"})
    assert response.status_code == 302
    observation.refresh_from_db()
    assert observation.state == "no_action" and observation.decision_reason == "Is al hersteld"
    assert client.get(reverse("maps:report", args=[walk.pk])).status_code == 200


def test_a_resident_cannot_open_triage(client, kern, resident):
    walk = WalkFactory(kern=kern, state=WalkState.FINISHED)
    client.force_login(resident)
    assert client.get(reverse("maps:triage", args=[walk.pk])).status_code == 403


def test_the_planning_form_plans_a_walk(client, kern, council_member):
    client.force_login(council_member)
    assert client.get(reverse("maps:plan_walk") + f"?kern={kern.slug}").status_code == 200
    response = client.post(reverse("maps:plan_walk"), {
        "kern": kern.slug, "title": "Rondje kerk", "date": "2030-05-04", "start_time": "10:00",
        "end_time": "12:00", "meeting_point": "Bij de kerk", "route": "[[4.835, 51.9275], [4.837, 51.928]]",
        "route_description": "Dorpsstraat", "themes": ["paving", "green"], "description": ""})
    assert response.status_code == 302, response.content.decode()[:3000]
    from maps.models import Walk

    walk = Walk.objects.get(title="Rondje kerk")
    assert walk.route == [[4.835, 51.9275], [4.837, 51.928]] and list(walk.organisers.all()) == [council_member]


def test_manifest_and_service_worker(client, walk):
    manifest = client.get(reverse("maps:manifest", args=[walk.pk]))
    assert manifest.json()["start_url"] == reverse("maps:capture", args=[walk.pk])
    worker = client.get(reverse("maps:service_worker"))
    assert worker.status_code == 200 and worker["Service-Worker-Allowed"] == "/wijkschouw/"


def test_factories_make_a_resident(kern):
    assert factories.UserFactory(kern=kern).kern == kern


def test_staff_resend_or_link_a_report_that_is_uncertain(client, kern, council_member, settings):
    from maps.models import MunicipalReport

    walk = WalkFactory(kern=kern, state=WalkState.FINISHED)
    observation = ObservationFactory(walk=walk, state="reported")
    report = MunicipalReport.objects.create(observation=observation, adapter="signalen", state="uncertain",
                                            reference="samenlab-waarneming-test", last_error="Geen antwoord")
    client.force_login(council_member)
    page = client.get(observation.get_absolute_url()).content.decode()
    assert "Geen antwoord" in page and reverse("maps:link_report", args=[observation.pk]) in page
    client.post(reverse("maps:link_report", args=[observation.pk]), {"number": "<b>SIG-77</b>"})
    report.refresh_from_db()
    assert (report.state, report.number) == ("sent", "SIG-77")
    response = client.post(reverse("maps:retry_report", args=[observation.pk]), follow=True)
    assert "Alleen een mislukte of onzekere melding" in response.content.decode()


def test_a_resident_cannot_resend_a_report(client, kern, resident):
    from maps.models import MunicipalReport

    walk = WalkFactory(kern=kern, state=WalkState.FINISHED)
    observation = ObservationFactory(walk=walk, state="reported")
    report = MunicipalReport.objects.create(observation=observation, adapter="signalen", state="failed",
                                            reference="samenlab-waarneming-x")
    client.force_login(resident)
    client.post(reverse("maps:retry_report", args=[observation.pk]))
    report.refresh_from_db()
    assert report.state == "failed"
