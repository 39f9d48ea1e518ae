"""A small HTTP client on the standard library: a time-out on every call, and errors that say whether the
request may have reached the server (which decides whether a retry may simply send again)."""

from __future__ import annotations

import http.client
import json as jsonlib
import socket
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from urllib.parse import urlencode


class TransportError(Exception):
    """No HTTP answer. ``outcome_unknown``: the request may have been received and acted on (a time-out
    or a connection lost after sending); otherwise it certainly was not (the connection was refused)."""

    def __init__(self, message: str, *, outcome_unknown: bool):
        super().__init__(message)
        self.outcome_unknown = outcome_unknown


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    content_type: str = ""

    def json(self):
        return jsonlib.loads(self.body.decode("utf-8") or "null")

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


@dataclass(frozen=True)
class FilePart:
    field: str
    filename: str
    content_type: str
    data: bytes


def multipart(fields: list[tuple[str, str]], files: list[FilePart]) -> tuple[bytes, str]:
    boundary = f"samenlab-{uuid.uuid4().hex}"
    chunks: list[bytes] = []
    for name, value in fields:
        chunks += [f"--{boundary}\r\n".encode(),
                   f'Content-Disposition: form-data; name="{name}"\r\n\r\n'.encode(), str(value).encode(), b"\r\n"]
    for part in files:
        chunks += [f"--{boundary}\r\n".encode(),
                   f'Content-Disposition: form-data; name="{part.field}"; filename="{part.filename}"\r\n'.encode(),
                   f"Content-Type: {part.content_type}\r\n\r\n".encode(), part.data, b"\r\n"]
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


def request(method: str, url: str, *, timeout: float, json=None, form: list[tuple[str, str]] | None = None,
            files: list[FilePart] | None = None, headers: dict[str, str] | None = None) -> Response:
    """One HTTP call. Every status comes back as a ``Response``; no answer at all raises ``TransportError``."""
    if not url.startswith(("http://", "https://")):
        raise TransportError(f"not an http(s) URL: {url!r}", outcome_unknown=False)
    headers = {"Accept": "application/json", **(headers or {})}
    data = None
    if json is not None:
        data = jsonlib.dumps(json).encode("utf-8")
        headers["Content-Type"] = "application/json"
    elif files:
        data, headers["Content-Type"] = multipart(form or [], files)
    elif form is not None:
        data = urlencode(form).encode("ascii")
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    req = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310 (http(s) only)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as answer:  # noqa: S310
            return Response(answer.status, answer.read(), answer.headers.get("Content-Type", ""))
    except urllib.error.HTTPError as error:
        return Response(error.code, error.read() or b"", error.headers.get("Content-Type", "") if error.headers else "")
    except urllib.error.URLError as error:
        reason = error.reason
        refused = isinstance(reason, ConnectionRefusedError | socket.gaierror)
        raise TransportError(f"{method} {url}: {reason}", outcome_unknown=not refused) from error
    except (TimeoutError, ConnectionError, http.client.HTTPException, OSError) as error:
        raise TransportError(f"{method} {url}: {error!r}", outcome_unknown=True) from error
