"""The parts of a benchmark run: scenarios, the server under test, the load generator, results."""

import contextlib
import json
import os
import secrets
import socket
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tests.server import uvicorn_process  # the test harness starts its servers the same way

BASE_DIR = Path(__file__).resolve().parent.parent
RUN_DIR = BASE_DIR / ".run" / "bench"
AUDIENCES = ("bare", "anonymous", "signed-in")


@dataclass(frozen=True)
class PageScenario:
    """One URL to measure. ``login`` is the e-mail of a (demo) user for signed-in pages; ``target`` (a share of
    the bare endpoint) and ``max_queries`` replace the audience's target and MAX_QUERIES where a page has its own."""

    name: str
    path: str
    audience: str
    login: str | None = None
    prepare: str | None = None
    target: float | None = None
    max_queries: int | None = None
    accept: str = "text/html"  # the Accept header the load generator sends (an API: what its client sends)

    def __post_init__(self):
        if self.audience not in AUDIENCES:
            raise ValueError(f"{self.name}: audience must be one of {AUDIENCES}, not {self.audience!r}")
        if (self.audience == "signed-in") != bool(self.login):
            raise ValueError(f"{self.name}: a signed-in scenario needs a login, and only it")


@dataclass
class Section:
    """What an extra benchmark adds to docs/benchmarks.md: a heading and Markdown under it."""

    title: str
    markdown: str
    ok: bool = True


@dataclass
class PageResult:
    scenario: PageScenario
    load: dict
    queries: int | None
    ratio: float | None = None
    target: float | None = None
    uncached: dict | None = None  # the same page measured with the anonymous page cache off

    @property
    def meets_targets(self) -> bool:
        from bench.scenarios import MAX_QUERIES

        all_ok = set(self.load.get("statuses", {})) <= {"200"}
        fast_enough = self.target is None or (self.ratio is not None and self.ratio >= self.target)
        max_queries = self.scenario.max_queries or MAX_QUERIES
        return all_ok and fast_enough and (self.queries is None or self.queries <= max_queries)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_environment(database_url: str) -> dict[str, str]:
    """Production-like settings for the server under test: DEBUG off, a fresh key, loopback only."""
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SAMENLAB_TESTING": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    for passthrough in ("REDIS_URL", "ANONYMOUS_PAGE_CACHE_SECONDS", "CONN_MAX_AGE", "DATABASE_POOL_SIZE",
                        "CHANNEL_PREFIX"):
        if os.environ.get(passthrough):
            env[passthrough] = os.environ[passthrough]
    return env


@contextlib.contextmanager
def asgi_server(env: dict[str, str], *, workers: int = 1, port: int | None = None, name: str = "server"):
    """uvicorn serving config.asgi with ``env`` on 127.0.0.1; yields the base URL; stops it after."""
    port = port or free_port()
    RUN_DIR.mkdir(parents=True, exist_ok=True)
    log_path = RUN_DIR / f"{name}-{port}.log"
    with uvicorn_process(port=port, workers=workers, env={**os.environ, **env}, log_path=log_path,
                         extra_args=("--log-level", "warning", "--ws-per-message-deflate", "false")) as base_url:
        yield base_url


def run_load(url: str, *, requests: int, concurrency: int, max_seconds: float, cookie: str = "",
             accept: str = "") -> dict:
    """Run bench/loadgen.py in its own process against ``url`` and return its JSON result."""
    command = [sys.executable, str(BASE_DIR / "bench" / "loadgen.py"), url, "--requests", str(requests),
               "--concurrency", str(concurrency), "--max-seconds", str(max_seconds)]
    if cookie:
        command += ["--cookie", cookie]
    if accept:
        command += ["--accept", accept]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=max_seconds + 60, check=False)
    if completed.returncode != 0:
        raise RuntimeError(f"The load generator failed on {url}:\n{completed.stderr[-2000:]}")
    return json.loads(completed.stdout)


@dataclass
class Bench:
    """What an extra benchmark gets: the running server, its environment and the load settings."""

    base_url: str
    env: dict[str, str]
    requests: int
    concurrency: int
    max_seconds: float
    notes: list[str] = field(default_factory=list)

    def load(self, path: str, *, cookie: str = "", requests: int | None = None, accept: str = "") -> dict:
        return run_load(self.base_url + path, requests=requests or self.requests, concurrency=self.concurrency,
                        max_seconds=self.max_seconds, cookie=cookie, accept=accept)

    def start_server(self, *, workers: int = 1, extra_env: dict[str, str] | None = None, name: str = "extra"):
        """Another server on the same database (e.g. a second worker for a fan-out across processes)."""
        return asgi_server({**self.env, **(extra_env or {})}, workers=workers, name=name)

    @staticmethod
    def session_cookie(email: str) -> str:
        """A ``Cookie`` header value that signs in as the user with this e-mail address."""
        from django.conf import settings
        from django.contrib.auth import get_user_model
        from django.test import Client

        client = Client()
        client.force_login(get_user_model().objects.get(email=email))
        return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
