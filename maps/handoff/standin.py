"""A small local stand-in for the municipality's system: Signalen's public API (and the one private list
the hand-off uses to find a melding again) and Open311 GeoReport v2. For tests and ``make run`` only.

Every Signalen create is validated against ``schemas/signalen_public_signal.json`` (400 with the errors
otherwise); photos must be images; the private list wants a bearer token. What it received stays in memory
(``signals``, ``attachments``, ``open311_requests``) for tests to inspect, and it can be told to fail:

    standin.fail_next("create", status=500)            # one 500
    standin.fail_next("attachment", mode="timeout")     # answer only after the client gave up
    standin.fail_next("create", mode="accept_then_timeout")  # store the melding, then never answer in time

Endpoints for ``fail_next``: create, attachment, status, find, open311_create, open311_status.
"""

from __future__ import annotations

import itertools
import json
import socketserver
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.parser import BytesParser
from email.policy import HTTP
from pathlib import Path
from urllib.parse import parse_qs, parse_qsl, urlencode
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from jsonschema import Draft202012Validator, FormatChecker

SCHEMA_PATH = Path(__file__).with_name("schemas") / "signalen_public_signal.json"
PUBLIC = "/signals/v1/public/signals/"
PRIVATE = "/signals/v1/private/signals/"
OPEN311 = "/open311/v2/"
STATE_DISPLAY = {"OPEN": "Open", "CLOSED": "Gesloten"}
IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")


def load_validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def schema_errors(payload) -> list[str]:
    """Every way ``payload`` breaks Signalen's public create schema ("" path for the top level)."""
    return [f"{'/'.join(str(p) for p in error.absolute_path)}: {error.message}"
            for error in sorted(load_validator().iter_errors(payload), key=lambda e: list(e.absolute_path))]


def is_image(data: bytes) -> bool:
    return data.startswith(IMAGE_MAGIC) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")


@dataclass
class Failure:
    endpoint: str
    status: int = 500
    mode: str = "error"  # error | timeout | accept_then_timeout
    delay: float = 2.0


@dataclass
class StandIn:
    host: str = "127.0.0.1"
    port: int = 0
    token: str | None = None  # the private API's bearer token; None: any non-empty one
    open311_api_key: str | None = None  # None: any
    service_codes: set[str] | None = None  # None: any non-empty
    open311_tokens: bool = False  # answer Open311 creates with a token instead of the id
    signals: dict[str, dict] = field(default_factory=dict)
    attachments: dict[str, list[dict]] = field(default_factory=dict)
    open311_requests: dict[str, dict] = field(default_factory=dict)
    received: list[tuple[str, str]] = field(default_factory=list)  # (method, path) of every request

    def __post_init__(self):
        self._lock = threading.Lock()
        self._failures: list[Failure] = []
        self._ids = itertools.count(1)
        self._validator = load_validator()
        self._server: WSGIServer | None = None
        self._thread: threading.Thread | None = None

    # --- running -----------------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2] if self._server else (self.host, self.port)
        return f"http://{host}:{port}"

    def start(self) -> StandIn:
        self._server = make_server(self.host, self.port, self.app, server_class=ThreadingWSGIServer,
                                   handler_class=QuietHandler)
        self._thread = threading.Thread(target=self._server.serve_forever, name="standin", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server = make_server(self.host, self.port, self.app, server_class=ThreadingWSGIServer)
        self._server.serve_forever()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    # --- test controls -----------------------------------------------------------------------------------
    def fail_next(self, endpoint: str, *, status: int = 500, mode: str = "error", times: int = 1,
                  delay: float = 2.0) -> None:
        with self._lock:
            self._failures += [Failure(endpoint, status, mode, delay) for _ in range(times)]

    def set_status(self, key: str, state: str) -> None:
        """Change a melding's public status (OPEN/CLOSED) or an Open311 request's (open/closed)."""
        with self._lock:
            if key in self.signals:
                self.signals[key]["status"] = {"state": state, "state_display": STATE_DISPLAY.get(state, state)}
            else:
                self.open311_requests[key]["status"] = state

    def _failure(self, endpoint: str) -> Failure | None:
        with self._lock:
            for index, failure in enumerate(self._failures):
                if failure.endpoint == endpoint:
                    return self._failures.pop(index)
        return None

    # --- WSGI ----------------------------------------------------------------------------------------------
    def app(self, environ, start_response):
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        with self._lock:
            self.received.append((method, path))
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        status, payload = self.route(method, path, environ, body)
        data = json.dumps(payload).encode("utf-8")
        start_response(f"{status} {'OK' if status < 400 else 'Error'}",
                       [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
        return [data]

    def route(self, method, path, environ, body):
        endpoint, handler, args = self.resolve(method, path)
        if handler is None:
            return 404, {"detail": "Niet gevonden."}
        failure = self._failure(endpoint)
        if failure is not None and failure.mode == "error":
            return failure.status, {"detail": "stand-in told to fail"}
        if failure is not None and failure.mode == "timeout":
            time.sleep(failure.delay)
            return 503, {"detail": "too late"}
        answer = handler(environ, body, *args)
        if failure is not None and failure.mode == "accept_then_timeout":
            time.sleep(failure.delay)
        return answer

    def resolve(self, method, path):
        if path == PUBLIC and method == "POST":
            return "create", self.create_signal, ()
        if path == PRIVATE and method == "GET":
            return "find", self.list_private, ()
        if path.startswith(PUBLIC):
            rest = path[len(PUBLIC):].strip("/").split("/")
            if len(rest) == 2 and rest[1] == "attachments" and method == "POST":
                return "attachment", self.add_attachment, (rest[0],)
            if len(rest) == 1 and method == "GET":
                return "status", self.public_signal, (rest[0],)
        if path.startswith(OPEN311):
            rest = path[len(OPEN311):]
            if rest == "requests.json" and method == "POST":
                return "open311_create", self.open311_create, ()
            if rest.startswith("requests/") and rest.endswith(".json") and method == "GET":
                return "open311_status", self.open311_request, (rest[len("requests/"):-len(".json")],)
            if rest.startswith("tokens/") and rest.endswith(".json") and method == "GET":
                return "open311_status", self.open311_token, (rest[len("tokens/"):-len(".json")],)
            if rest == "services.json" and method == "GET":
                return "open311_services", self.open311_services, ()
        return "", None, ()

    # --- Signalen ------------------------------------------------------------------------------------------
    def create_signal(self, environ, body):
        try:
            payload = json.loads(body.decode("utf-8"))
        except ValueError:
            return 400, {"detail": "JSON parse error"}
        errors = [f"{'/'.join(str(p) for p in e.absolute_path)}: {e.message}"
                  for e in self._validator.iter_errors(payload)]
        if errors:
            return 400, {"errors": errors}
        now = datetime.now(UTC).isoformat()
        with self._lock:
            number = next(self._ids)
            key = str(uuid.uuid4())
            signal = {"id": number, "id_display": f"SIG-{number}", "signal_id": key, "created_at": now,
                      "updated_at": now, "status": {"state": "OPEN", "state_display": "Open"}, "payload": payload}
            self.signals[key] = signal
            self.attachments[key] = []
        return 201, self.public_view(signal)

    @staticmethod
    def public_view(signal):
        return {"_display": signal["id_display"], "id": signal["id"], "id_display": signal["id_display"],
                "signal_id": signal["signal_id"], "status": dict(signal["status"]),
                "created_at": signal["created_at"], "updated_at": signal["updated_at"],
                "incident_date_start": signal["payload"]["incident_date_start"],
                "incident_date_end": signal["payload"].get("incident_date_end")}

    def public_signal(self, environ, body, key):
        signal = self.signals.get(key)
        return (200, self.public_view(signal)) if signal else (404, {"detail": "Niet gevonden."})

    def add_attachment(self, environ, body, key):
        if key not in self.signals:
            return 404, {"detail": "Niet gevonden."}
        files = parse_multipart(environ.get("CONTENT_TYPE", ""), body)
        upload = files.get("file")
        if upload is None:
            return 400, {"file": ["Er is geen bestand verstuurd."]}
        if not is_image(upload["data"]):
            return 400, {"file": ["Alleen afbeeldingen zijn toegestaan."]}
        with self._lock:
            self.attachments[key].append({"filename": upload["filename"], "size": len(upload["data"]),
                                          "content_type": upload["content_type"]})
        return 201, {"_display": f"Attachment {len(self.attachments[key])}", "is_image": True}

    def list_private(self, environ, body):
        auth = environ.get("HTTP_AUTHORIZATION", "")
        given = auth.removeprefix("Bearer ").strip() if auth.startswith("Bearer ") else ""
        if not given or (self.token is not None and given != self.token):
            return 401, {"detail": "Authenticatiegegevens zijn niet opgegeven."}
        query = {k: v[-1] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        email = query.get("reporter_email", "").lower()
        after = datetime.fromisoformat(query["created_after"]) if query.get("created_after") else None
        page, size = int(query.get("page", 1)), int(query.get("page_size", 50))
        with self._lock:
            rows = [s for s in self.signals.values()
                    if (not email or (s["payload"]["reporter"].get("email") or "").lower() == email)
                    and (after is None or datetime.fromisoformat(s["created_at"]) >= after)]
        chunk = rows[(page - 1) * size: page * size]
        more = page * size < len(rows)
        next_href = f"{PRIVATE}?{urlencode({**query, 'page': page + 1})}" if more else None
        return 200, {"_links": {"next": {"href": next_href}}, "count": len(rows), "results": [
            {"id": s["id"], "id_display": s["id_display"], "signal_id": s["signal_id"], "text": s["payload"]["text"],
             "status": {"state": "m" if s["status"]["state"] == "OPEN" else "o"},
             "extra_properties": s["payload"].get("extra_properties")} for s in chunk]}

    # --- Open311 GeoReport v2 ------------------------------------------------------------------------------
    def open311_create(self, environ, body):
        content_type = environ.get("CONTENT_TYPE", "")
        media = None
        if content_type.startswith("multipart/form-data"):
            parts = parse_multipart(content_type, body)
            form = {name: part["value"] for name, part in parts.items() if "value" in part}
            media = parts.get("media")
        else:
            form = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        errors = []
        if self.open311_api_key is not None and form.get("api_key") != self.open311_api_key:
            return 403, [{"code": 403, "description": "Invalid api_key"}]
        code = form.get("service_code", "")
        if not code or (self.service_codes is not None and code not in self.service_codes):
            errors.append("service_code: unknown")
        try:
            lat, lng = float(form.get("lat", "")), float(form.get("long", ""))
            if not (-90 <= lat <= 90 and -180 <= lng <= 180):
                errors.append("lat/long: out of range")
        except ValueError:
            if not form.get("address_string"):
                errors.append("lat/long or address_string: required")
        if not form.get("description") or len(form["description"]) > 4000:
            errors.append("description: required, at most 4000 characters")
        if media is not None and not is_image(media["data"]):
            errors.append("media: not an image")
        if errors:
            return 400, [{"code": 400, "description": "; ".join(errors)}]
        with self._lock:
            request_id = str(1000 + next(self._ids))
            token = uuid.uuid4().hex
            self.open311_requests[request_id] = {
                "form": form, "status": "open", "token": token,
                "media": {"filename": media["filename"], "size": len(media["data"])} if media else None,
                "requested_datetime": datetime.now(UTC).isoformat()}
        if self.open311_tokens:
            return 200, [{"token": token}]
        return 200, [{"service_request_id": request_id, "service_notice": "", "account_id": None}]

    def open311_request(self, environ, body, request_id):
        item = self.open311_requests.get(request_id)
        if item is None:
            return 404, [{"code": 404, "description": "Not found"}]
        return 200, [{"service_request_id": request_id, "status": item["status"],
                      "status_notes": "Afgehandeld" if item["status"] == "closed" else "",
                      "service_code": item["form"].get("service_code"), "description": item["form"]["description"],
                      "requested_datetime": item["requested_datetime"], "lat": item["form"].get("lat"),
                      "long": item["form"].get("long"), "address": item["form"].get("address_string", "")}]

    def open311_token(self, environ, body, token):
        for request_id, item in self.open311_requests.items():
            if item["token"] == token:
                return 200, [{"service_request_id": request_id, "token": token}]
        return 404, [{"code": 404, "description": "Not found"}]

    def open311_services(self, environ, body):
        codes = sorted(self.service_codes or [])
        return 200, [{"service_code": c, "service_name": c, "type": "realtime", "metadata": False} for c in codes]


def parse_multipart(content_type: str, body: bytes) -> dict[str, dict]:
    message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    parts = {}
    for part in message.iter_parts() if message.is_multipart() else []:
        name = part.get_param("name", header="content-disposition")
        filename = part.get_filename()
        data = part.get_payload(decode=True) or b""
        if filename is not None:
            parts[name] = {"filename": filename, "content_type": part.get_content_type(), "data": data}
        else:
            parts[name] = {"value": data.decode("utf-8")}
    return parts


class ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass
