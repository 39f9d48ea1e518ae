"""One translation of errors to HTTP for the whole API, one error body, and a schema that lists them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError
from django.http import Http404
from rest_framework.test import APIClient

from core import api as core_api
from core.errors import Overloaded
from discussion import services as discussion_services
from initiatives.models import Initiative, Status
from initiatives.services import IdempotencyConflict, InvalidTransition
from tests.factories import UserFactory
from tests.factories_discussion import kern_thread
from tests.factories_initiatives import InitiativeFactory

SHAPE = {"detail", "code", "errors"}


def answer(exc):
    response = core_api.exception_handler(exc, {})
    return response.status_code, response.data, response


@pytest.mark.parametrize(("error", "status", "code"), [
    (ValidationError("Vul een titel in."), 400, "invalid"),
    (ValidationError({"title": ["Vul een titel in."]}), 400, "invalid"),
    (PermissionDenied("Alleen de dorpsraad."), 403, "permission_denied"),
    (Http404(), 404, "not_found"),
    (InvalidTransition("Dit kan nu niet."), 409, "invalid_transition"),
    (IdempotencyConflict("Andere toezegging."), 409, "idempotency_conflict"),
    (discussion_services.RateLimited("Even wachten."), 429, "rate_limited"),
    (Overloaded(), 503, "overloaded"),
    (OperationalError("database is locked"), 503, "overloaded"),
])
def test_every_service_error_has_its_status_and_the_one_body(error, status, code):
    got_status, body, response = answer(error)
    assert (got_status, body["code"]) == (status, code)
    assert set(body) == SHAPE and body["detail"]
    if status in (429, 503):
        assert int(response["Retry-After"]) > 0


def test_field_errors_are_listed_per_field():
    _status, body, _response = answer(ValidationError({"title": ["Vul een titel in."]}))
    assert body["errors"] == {"title": ["Vul een titel in."]} and body["detail"] == "Vul een titel in."


def test_errors_of_the_whole_form_are_non_field_errors():
    _status, body, _response = answer(ValidationError({"__all__": ["Kies een datum na vandaag."]}))
    assert body["errors"] == {"non_field_errors": ["Kies een datum na vandaag."]}


def test_a_refusal_keeps_its_readable_reason():
    assert answer(PermissionDenied("Alleen de dorpsraad."))[1]["detail"] == "Alleen de dorpsraad."


def test_an_unexpected_error_stays_a_server_error():
    assert core_api.exception_handler(KeyError("bug"), {}) is None


@pytest.mark.django_db
@pytest.mark.parametrize("query", [{"status": "bestaat-niet"}, {"theme": "onzin"}, {"sort": "willekeurig"},
                                   {"sort": ""}, {"status": ""}, {"kern": "geen slug!"}])
def test_unknown_filter_values_are_refused(query):
    response = APIClient().get("/api/v1/initiatives/", query)
    assert response.status_code == 400
    body = response.json()
    assert set(body) == SHAPE and list(body["errors"]) == list(query)


@pytest.mark.django_db
def test_known_filter_values_still_filter(kern):
    InitiativeFactory(kern=kern, status=Status.FUNDING)
    InitiativeFactory(kern=kern, status=Status.PUBLISHED)
    response = APIClient().get("/api/v1/initiatives/", {"status": "funding"})
    assert response.status_code == 200
    assert response.json()["count"] == Initiative.objects.filter(status=Status.FUNDING).count() == 1


@pytest.mark.django_db
def test_validation_from_serializer_uses_the_body(resident):
    client = APIClient()
    client.force_authenticate(resident)
    body = client.post("/api/v1/initiatives/", {"title": ""}, format="json").json()
    assert set(body) == SHAPE and "title" in body["errors"] and body["code"] == "invalid"


@pytest.mark.django_db
def test_rate_limited_comment_answers_429_with_retry_after(kern, resident, settings):
    settings.DISCUSSION_RATE_LIMIT = (1, 60)
    thread = kern_thread(kern)
    client = APIClient()
    client.force_authenticate(resident)
    assert client.post(f"/api/v1/threads/{thread.pk}/comments/", {"body": "a"}, format="json").status_code == 201
    response = client.post(f"/api/v1/threads/{thread.pk}/comments/", {"body": "b"}, format="json")
    assert response.status_code == 429 and response["Retry-After"] and response.json()["code"] == "rate_limited"


@pytest.mark.django_db
def test_anonymous_write_is_403_with_the_body():
    response = APIClient(enforce_csrf_checks=True).post("/api/v1/initiatives/", {"title": "x"}, format="json")
    assert response.status_code == 403 and set(response.json()) == SHAPE


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/bestaat-niet/", "/api/v1/initiatives/abc/"])
def test_unknown_api_paths_answer_the_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"


@pytest.mark.django_db
def test_hidden_initiative_is_404_like_a_missing_one(kern):
    draft = InitiativeFactory(kern=kern, status=Status.DRAFT, initiator=UserFactory(kern=kern))
    assert APIClient().get(f"/api/v1/initiatives/{draft.pk}/").json()["code"] == "not_found"


@pytest.mark.django_db
def test_schema_documents_every_error_answer_with_the_error_body(client):
    schema = client.get("/api/schema/?format=json").json()
    assert sorted(schema["components"]["schemas"]["Error"]["required"]) == ["code", "detail", "errors"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            for code in ("403", "406", "503"):
                assert code in responses, (method, path, code)
                assert responses[code]["content"]["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/Error"}
            if "{" in path:
                assert "404" in responses, (method, path)
            if method in ("post", "patch", "put"):
                assert {"400", "415"} <= set(responses), (method, path)
    assert "409" in schema["paths"]["/api/v1/initiatives/{id}/approve/"]["post"]["responses"]
    assert "429" in schema["paths"]["/api/v1/threads/{id}/comments/"]["post"]["responses"]
    assert "Retry-After" in schema["paths"]["/api/v1/threads/{id}/comments/"]["post"]["responses"]["429"]["headers"]
    status_param = next(p for p in schema["paths"]["/api/v1/initiatives/"]["get"]["parameters"]
                        if p["name"] == "status")
    assert set(status_param["schema"]["enum"]) == set(Status.values)


def test_a_body_nested_too_deeply_to_read_is_a_parse_error_not_a_crash(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    body = "[" * 5000 + "]" * 5000
    response = client.post("/api/v1/initiatives/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
