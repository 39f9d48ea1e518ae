"""The two shapes a melding can go out in, chosen by ``settings.MUNICIPAL_REPORTS_ADAPTER``.

**Signalen** (the public API of Amsterdam/signals, used by many Dutch municipalities):
``POST /signals/v1/public/signals/`` with text, ``location.geometrie`` (a GeoJSON point, longitude first),
``location.address``, ``category.sub_category`` (a category URL), ``reporter`` (e-mail, ``sharing_allowed``),
``incident_date_start`` and ``extra_properties`` (a list of ``{id, label, answer, category_url}``); the answer
carries the melding's ``signal_id`` (a UUID) and its number (``id_display``, "SIG-123"). Photos follow one by
one as ``POST /signals/v1/public/signals/{uuid}/attachments/`` (multipart ``file``); the public status is
``GET /signals/v1/public/signals/{uuid}`` (``status.state`` OPEN/CLOSED and its Dutch text).
Signalen has no idempotency key. A melding is found again by our reference through the *private* API
(``GET /signals/v1/private/signals/?reporter_email=…&created_after=…``, then the ``extra_properties`` entry
``samenlab_kenmerk``), which needs ``SIGNALEN_TOKEN``; without a token no look-up is possible.

**Open311 GeoReport v2**: ``POST requests.json`` (form fields service_code, lat, long, address_string, email,
description, ``attribute[…]``), ``GET requests/{id}.json`` for the status. GeoReport v2 has no query by a
client's reference (``GET requests.json`` filters only on id, service, dates and status), so this adapter
cannot look a request up: an attempt whose outcome is unknown becomes "uncertain" for staff to settle.
Photos: GeoReport v2 takes only a public ``media_url``, and walk photos are private files. When the server
accepts a multipart ``media`` upload (``OPEN311_MULTIPART_MEDIA``), the first photo goes with the request;
otherwise photos stay with us and the description says how many there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode, urljoin

from django.conf import settings

from maps.handoff import http
from maps.handoff.report import Report
from maps.models.handoff import TOKEN_PREFIX

SIGNALEN_CLOSED = frozenset({"CLOSED"})
OPEN311_CLOSED = frozenset({"closed"})
CLOSED_STATES = SIGNALEN_CLOSED | OPEN311_CLOSED


class HandoffError(Exception):
    """A call to the municipality's system failed.

    ``outcome_unknown``: the system may have acted on it (time-out, connection lost, a 5xx after a create).
    ``permanent``: trying again will not help until someone changes something (a 4xx: our payload, a category
    that does not exist, a wrong token).
    """

    def __init__(self, message: str, *, outcome_unknown: bool = False, permanent: bool = False):
        super().__init__(message)
        self.outcome_unknown = outcome_unknown
        self.permanent = permanent


@dataclass(frozen=True)
class Created:
    key: str  # what the API knows the melding by (Signalen: the UUID; Open311: service_request_id)
    number: str  # what people call it ("SIG-123"; Open311: the id)
    status: str = ""
    status_text: str = ""


@dataclass(frozen=True)
class Status:
    status: str
    status_text: str
    key: str = ""  # set when the melding's key changed (an Open311 token became a request id)
    number: str = ""


@dataclass(frozen=True)
class Photo:
    filename: str
    content_type: str
    data: bytes


def _call(method: str, url: str, *, action: str, create: bool = False, **kwargs) -> http.Response:
    try:
        response = http.request(method, url, timeout=settings.MUNICIPAL_REPORTS_TIMEOUT_SECONDS, **kwargs)
    except http.TransportError as error:
        raise HandoffError(f"{action}: {error}", outcome_unknown=error.outcome_unknown) from error
    if response.ok:
        return response
    detail = response.body[:500].decode("utf-8", "replace")
    if response.status >= 500:
        # A create that failed on the server may still have been stored before the failure.
        raise HandoffError(f"{action}: HTTP {response.status} {detail}", outcome_unknown=create)
    raise HandoffError(f"{action}: HTTP {response.status} {detail}",
                       permanent=response.status not in (404, 408, 409, 425, 429))


class Adapter:
    name = ""
    can_find_by_reference = False
    sends_attachments_separately = False

    @property
    def configured(self) -> bool:
        raise NotImplementedError

    def create(self, report: Report, photos: list[Photo]) -> tuple[Created, int]:
        """Create the melding; returns it and how many of ``photos`` (from the first) went with it."""
        raise NotImplementedError

    def find_by_reference(self, report: Report) -> Created | None:
        raise NotImplementedError

    def add_attachment(self, key: str, photo: Photo) -> None:
        raise NotImplementedError

    def status(self, key: str) -> Status:
        raise NotImplementedError


# --- Signalen -----------------------------------------------------------------------------------------------

class SignalenAdapter(Adapter):
    name = "signalen"
    sends_attachments_separately = True

    def __init__(self, *, base_url: str | None = None, token: str | None = None,
                 category_urls: dict[str, str] | None = None, source: str | None = None):
        self.base_url = (settings.SIGNALEN_BASE_URL if base_url is None else base_url).rstrip("/")
        self.token = settings.SIGNALEN_TOKEN if token is None else token
        self.category_urls = settings.SIGNALEN_CATEGORY_URLS if category_urls is None else category_urls
        self.source = settings.SIGNALEN_SOURCE if source is None else source

    @property
    def configured(self) -> bool:
        return bool(self.base_url)

    @property
    def can_find_by_reference(self) -> bool:
        return bool(self.token)

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def category_url(self, theme: str) -> str:
        path = self.category_urls.get(theme) or self.category_urls.get("other", "")
        if not path:
            raise HandoffError(f"no Signalen category for theme {theme!r} (SIGNALEN_CATEGORY_URLS)", permanent=True)
        return path if path.startswith("http") else self.url(path)

    def payload(self, report: Report) -> dict:
        category = self.category_url(report.theme)
        location: dict = {"geometrie": {"type": "Point", "coordinates": [report.longitude, report.latitude]}}
        if report.address is not None:
            address = {"openbare_ruimte": report.address.street, "huisnummer": report.address.number,
                       "woonplaats": report.address.town}
            if report.address.letter:
                address["huisletter"] = report.address.letter
            if report.address.addition:
                address["huisnummer_toevoeging"] = report.address.addition
            if report.address.postcode:
                address["postcode"] = report.address.postcode
            location["address"] = address
        payload = {
            "text": report.text,
            "location": location,
            "category": {"sub_category": category},
            "reporter": {"email": report.reporter_email, "sharing_allowed": False},
            "incident_date_start": report.incident_date.isoformat(),
            "extra_properties": [{"id": pid, "label": label, "answer": answer, "category_url": category}
                                 for pid, label, answer in report.properties],
        }
        if self.source:
            payload["source"] = self.source
        return payload

    def _private_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    @staticmethod
    def _created(body: dict) -> Created:
        key = str(body.get("signal_id") or "")
        if not key:
            raise HandoffError("Signalen answered without a signal_id", outcome_unknown=True)
        status = body.get("status") or {}
        return Created(key=key, number=str(body.get("id_display") or body.get("id") or key),
                       status=str(status.get("state") or ""), status_text=str(status.get("state_display") or ""))

    def create(self, report: Report, photos: list[Photo]) -> tuple[Created, int]:
        response = _call("POST", self.url("/signals/v1/public/signals/"), action="create melding", create=True,
                         json=self.payload(report))
        try:
            return self._created(response.json()), 0
        except ValueError as error:
            raise HandoffError(f"create melding: unreadable answer: {error}", outcome_unknown=True) from error

    def find_by_reference(self, report: Report) -> Created | None:
        if not self.token:
            raise HandoffError("a look-up needs SIGNALEN_TOKEN (the private API)", permanent=True)
        query = urlencode({"reporter_email": report.reporter_email,
                           "created_after": (report.not_before - timedelta(minutes=5)).isoformat(),
                           "page_size": 100})
        url = self.url(f"/signals/v1/private/signals/?{query}")
        for _page in range(20):
            body = _call("GET", url, action="find melding", headers=self._private_headers()).json() or {}
            for signal in body.get("results", []):
                answers = {item.get("id"): item.get("answer") for item in signal.get("extra_properties") or []
                           if isinstance(item, dict)}
                if answers.get("samenlab_kenmerk") == report.reference:
                    # The private list has the same status, in the private vocabulary; the public one is read
                    # by the next status refresh.
                    return Created(key=str(signal.get("signal_id") or ""),
                                   number=str(signal.get("id_display") or signal.get("id")))
            next_link = ((body.get("_links") or {}).get("next") or {}).get("href")
            if not next_link:
                return None
            url = urljoin(self.url("/"), next_link)
        return None

    def add_attachment(self, key: str, photo: Photo) -> None:
        _call("POST", self.url(f"/signals/v1/public/signals/{key}/attachments/"), action="add photo",
              files=[http.FilePart("file", photo.filename, photo.content_type, photo.data)])

    def status(self, key: str) -> Status:
        body = _call("GET", self.url(f"/signals/v1/public/signals/{key}"), action="read status").json() or {}
        status = body.get("status") or {}
        return Status(status=str(status.get("state") or ""), status_text=str(status.get("state_display") or ""),
                      number=str(body.get("id_display") or ""))


# --- Open311 GeoReport v2 -----------------------------------------------------------------------------------

class Open311Adapter(Adapter):
    name = "open311"
    can_find_by_reference = False

    def __init__(self, *, base_url: str | None = None, api_key: str | None = None,
                 service_codes: dict[str, str] | None = None, jurisdiction_id: str | None = None,
                 multipart_media: bool | None = None):
        base = settings.OPEN311_BASE_URL if base_url is None else base_url
        self.base_url = base.rstrip("/") + "/" if base else ""
        self.api_key = settings.OPEN311_API_KEY if api_key is None else api_key
        self.service_codes = settings.OPEN311_SERVICE_CODES if service_codes is None else service_codes
        self.jurisdiction_id = settings.OPEN311_JURISDICTION_ID if jurisdiction_id is None else jurisdiction_id
        self.multipart_media = settings.OPEN311_MULTIPART_MEDIA if multipart_media is None else multipart_media

    @property
    def configured(self) -> bool:
        return bool(self.base_url)

    def url(self, path: str, **query) -> str:
        if self.jurisdiction_id:
            query["jurisdiction_id"] = self.jurisdiction_id
        return urljoin(self.base_url, path) + (f"?{urlencode(query)}" if query else "")

    def service_code(self, theme: str) -> str:
        code = self.service_codes.get(theme) or self.service_codes.get("other", "")
        if not code:
            raise HandoffError(f"no Open311 service code for theme {theme!r} (OPEN311_SERVICE_CODES)", permanent=True)
        return code

    def form(self, report: Report, photo_count: int) -> list[tuple[str, str]]:
        description = report.text
        if photo_count:
            description += f"\nFoto's: {photo_count} (bij Samenlab, niet meegestuurd)"
        form = [("api_key", self.api_key), ("service_code", self.service_code(report.theme)),
                ("lat", f"{report.latitude:.6f}"), ("long", f"{report.longitude:.6f}"),
                ("email", report.reporter_email), ("description", description)]
        if report.address_text:
            form.append(("address_string", report.address_text))
        if self.jurisdiction_id:
            form.append(("jurisdiction_id", self.jurisdiction_id))
        form += [(f"attribute[{pid}]", answer) for pid, _label, answer in report.properties]
        return form

    def create(self, report: Report, photos: list[Photo]) -> tuple[Created, int]:
        with_media = photos[:1] if self.multipart_media else []
        form = self.form(report, photo_count=len(photos) - len(with_media))
        files = [http.FilePart("media", p.filename, p.content_type, p.data) for p in with_media]
        response = _call("POST", urljoin(self.base_url, "requests.json"), action="create request", create=True,
                         form=form, files=files or None)
        try:
            body = response.json()
            item = body[0] if isinstance(body, list) and body else body or {}
        except ValueError as error:
            raise HandoffError(f"create request: unreadable answer: {error}", outcome_unknown=True) from error
        if item.get("service_request_id"):
            request_id = str(item["service_request_id"])
            return Created(key=request_id, number=request_id, status="open"), len(with_media)
        if item.get("token"):
            # The server hands out the id later: keep the token, the status refresh swaps it for the id.
            return Created(key=f"{TOKEN_PREFIX}{item['token']}", number="", status="open"), len(with_media)
        raise HandoffError(f"create request: no service_request_id in {body!r}", outcome_unknown=True)

    def find_by_reference(self, report: Report) -> Created | None:
        raise HandoffError("Open311 GeoReport v2 has no look-up by a client's reference", permanent=True)

    def add_attachment(self, key: str, photo: Photo) -> None:
        raise HandoffError("Open311 GeoReport v2 has no attachments after the request", permanent=True)

    def status(self, key: str) -> Status:
        new_key = ""
        if key.startswith(TOKEN_PREFIX):
            token = key.removeprefix(TOKEN_PREFIX)
            body = _call("GET", self.url(f"tokens/{token}.json"), action="read token").json() or []
            item = body[0] if isinstance(body, list) and body else {}
            if not item.get("service_request_id"):
                return Status(status="open", status_text="")
            key = new_key = str(item["service_request_id"])
        body = _call("GET", self.url(f"requests/{key}.json"), action="read status").json() or []
        item = body[0] if isinstance(body, list) and body else {}
        return Status(status=str(item.get("status") or ""), status_text=str(item.get("status_notes") or "")[:300],
                      key=new_key, number=new_key)


ADAPTERS = {"signalen": SignalenAdapter, "open311": Open311Adapter}


def get_adapter(name: str | None = None) -> Adapter:
    name = name or settings.MUNICIPAL_REPORTS_ADAPTER
    try:
        return ADAPTERS[name]()
    except KeyError:
        raise HandoffError(f"unknown MUNICIPAL_REPORTS_ADAPTER {name!r}", permanent=True) from None
