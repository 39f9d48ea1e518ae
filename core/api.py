"""The API's one translation of errors to HTTP, its one error body, and the schema that says so.

Every ``/api/v1/`` view raises what the services raise (Django's ``ValidationError``, ``PermissionDenied``,
``Http404``, the domain errors) and lets :func:`exception_handler` answer. Every error answer has the same
body, :class:`ErrorSerializer`::

    {"detail": "Een zin die een bewoner kan lezen.", "code": "invalid", "errors": {"title": ["..."]}}

``errors`` is empty unless the request had bad fields. The postprocessing hook
:func:`document_error_answers` writes every answer an operation can give into the OpenAPI schema.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from core.errors import RETRY_AFTER_SECONDS, is_overload

# Domain errors that mean "not possible in the current state" (409). Dotted paths: core imports no app.
CONFLICT_ERRORS = {
    "initiatives.services.errors.InvalidTransition": "invalid_transition",
    "initiatives.services.errors.IdempotencyConflict": "idempotency_conflict",
    "initiatives.services.errors.PossibleDuplicate": "possible_duplicate",
    "maps.services.errors.WalkStateError": "invalid_state",
    "maps.services.errors.ClientIdConflict": "client_id_conflict",
    "voting.services._common.AlreadyVoted": "already_voted",
}
TOO_MANY_ERRORS = {"discussion.services.RateLimited": "rate_limited"}


class ErrorSerializer(serializers.Serializer):
    """The body of every error answer of the API."""

    detail = serializers.CharField(help_text="What went wrong, in words a resident can read.")
    code = serializers.CharField(help_text="A stable machine-readable code, e.g. `invalid`, `not_found`.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Per field of the request (or `non_field_errors`), the messages; empty otherwise.",
    )


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Dit kan nu niet.")
    default_code = "conflict"


class TooBusy(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _("Het is nu erg druk. Probeer het over een paar seconden opnieuw.")
    default_code = "overloaded"


def _classes(table: dict[str, str]) -> list[tuple[type, str]]:
    found = []
    for dotted, code in table.items():
        try:
            found.append((import_string(dotted), code))
        except ImportError:  # pragma: no cover - an app that is not installed
            continue
    return found


def _messages(error: DjangoValidationError) -> tuple[str, dict[str, list[str]]]:
    if hasattr(error, "error_dict"):
        fields = {("non_field_errors" if field == NON_FIELD_ERRORS else field):
                  [str(m) for m in DjangoValidationError(errs).messages] for field, errs in error.error_dict.items()}
        first = next(iter(fields.values()), [""])
        return (first[0] if first else ""), fields
    return " ".join(str(m) for m in error.messages), {}


def translate(exc: BaseException) -> exceptions.APIException | None:
    """The DRF exception that answers ``exc``; ``None`` for an unexpected error (a 500: a bug)."""
    if isinstance(exc, exceptions.APIException):
        return exc
    if is_overload(exc):
        return TooBusy()
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        message = getattr(exc, "message", "") or (str(exc) if exc.args else "")
        return exceptions.PermissionDenied(detail=message or None)
    if isinstance(exc, DjangoValidationError):
        detail, fields = _messages(exc)
        for cls, code in _classes(TOO_MANY_ERRORS):
            if isinstance(exc, cls):
                return exceptions.Throttled(detail=detail, code=code)
        for cls, code in _classes(CONFLICT_ERRORS):
            if isinstance(exc, cls):
                return Conflict(detail=detail, code=code)
        error = exceptions.ValidationError(detail=fields or detail)
        error.summary = detail
        return error
    return None


def _flatten(detail) -> list[str]:
    if isinstance(detail, dict):
        return [m for value in detail.values() for m in _flatten(value)]
    if isinstance(detail, list):
        return [m for value in detail for m in _flatten(value)]
    return [str(detail)]


def error_body(error: exceptions.APIException) -> dict:
    """The one error body for a DRF exception (see :class:`ErrorSerializer`)."""
    detail = error.detail
    fields = {str(key): _flatten(value) for key, value in detail.items()} if isinstance(detail, dict) else {}
    messages = _flatten(detail)
    text = getattr(error, "summary", "") or (messages[0] if messages else str(error.default_detail))
    if isinstance(error, exceptions.ValidationError):
        code = "invalid"
    else:
        codes = error.get_codes()
        code = codes if isinstance(codes, str) else error.default_code
    return {"detail": text, "code": str(code), "errors": fields}


def exception_handler(exc, context):
    """DRF's ``EXCEPTION_HANDLER``: every error the API gives, as one body (see the module docstring)."""
    error = translate(exc)
    if error is None:
        return None
    headers = {}
    if getattr(error, "auth_header", None):
        headers["WWW-Authenticate"] = error.auth_header
    if getattr(error, "wait", None):
        headers["Retry-After"] = str(int(error.wait))
    if isinstance(error, TooBusy):
        headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    if isinstance(error, exceptions.Throttled) and "Retry-After" not in headers:
        headers["Retry-After"] = "60"
    set_rollback()
    return Response(error_body(error), status=error.status_code, headers=headers)


# --- The schema -----------------------------------------------------------------------------------

ERROR_DESCRIPTIONS = {
    "400": _("De aanvraag klopt niet (zie `errors`)."),
    "403": _("Niet toegestaan: niet aangemeld, geen recht of geen CSRF-token."),
    "404": _("Bestaat niet, of u mag het niet zien."),
    "406": _("Dit antwoordformaat (Accept) kan niet."),
    "409": _("Kan nu niet in deze toestand."),
    "415": _("Dit formaat van de aanvraag kan niet."),
    "429": _("Te veel aanvragen; wacht even (zie `Retry-After`)."),
    "503": _("Het is te druk; probeer het opnieuw na `Retry-After` seconden."),
}


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema, plus every error answer an operation can give, each with :class:`ErrorSerializer`.

    A view says what only it can answer with ``api_errors`` (e.g. ``{"409"}`` for a lifecycle step,
    ``{"429"}`` for posting comments); the rest follows from the operation itself.
    """

    def error_codes(self) -> set[str]:
        codes = {"403", "406", "503"}  # a rule or CSRF says no (session auth: also signed out); Accept; busy
        writes = self.method in ("POST", "PUT", "PATCH", "DELETE")
        if writes or self._get_filter_parameters() or self.view.__class__.__dict__.get("query_serializer"):
            codes.add("400")
        if writes and self.method != "DELETE":
            codes.update({"400", "415"})
        if "{" in self.path or self._is_list_view():  # an unknown id, or a page past the end
            codes.add("404")
        if writes:
            codes.update(getattr(self.view, "api_errors", ()))
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in sorted(self.error_codes()):
            if code in responses:
                continue
            answer = self._get_response_for_code(ErrorSerializer, code)
            answer["description"] = str(ERROR_DESCRIPTIONS[code])
            if code in ("429", "503"):
                answer["headers"] = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds."}}
            responses[code] = answer
        return responses


def only_samenlab_api(endpoints):
    """drf-spectacular preprocessing hook: document our ``/api/v1/`` only, not Wagtail's admin API."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]

