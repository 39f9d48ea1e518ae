"""The OpenAPI schema tells the whole truth: schemathesis fuzzes every operation against a real server.

A real uvicorn server runs on a database of its own (migrated, with the demo data), so that what the fuzzer
creates, changes and deletes touches no other test. Every operation is called with valid and with invalid
data, anonymously and signed in (session cookie + CSRF header), a bounded number of times. Checks: no server
error, no status code the schema does not list, the documented content type and body, and invalid input
refused.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import urllib.parse
import uuid

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable

from tests.server import BASE_DIR, free_port, uvicorn_process

schemathesis = pytest.importorskip("schemathesis")
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = [pytest.mark.server, pytest.mark.timeout(900)]

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = int(os.environ.get("SAMENLAB_FUZZ_EXAMPLES", "6"))  # per operation, mode and visitor
DEMO_PASSWORD = "samenlab-demo"


def fresh_database_url(tmp_path) -> tuple[str, callable]:
    """A new, empty database of the kind this pass uses (PostgreSQL when DATABASE_URL says so)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{tmp_path / 'schema-fuzz.sqlite3'}", lambda: None
    import psycopg

    name = f"samenlab_fuzz_{uuid.uuid4().hex[:8]}"
    parts = urllib.parse.urlsplit(url)
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}")), drop


@pytest.fixture(scope="module")
def api_server(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("fuzz")
    database_url, drop = fresh_database_url(tmp_path)
    env = {key: value for key, value in os.environ.items() if key not in ("DEBUG",)}
    env.update({"SAMENLAB_TESTING": "true", "DATABASE_URL": database_url, "ALLOWED_HOSTS": "127.0.0.1",
                "PYTHONUNBUFFERED": "1", "REDIS_URL": os.environ.get("REDIS_URL", "")})
    try:
        for command in (["migrate", "--noinput"], ["seed_demo", "--force"]):
            done = subprocess.run([sys.executable, "manage.py", *command], cwd=BASE_DIR, env=env,  # noqa: S603
                                  capture_output=True, text=True, timeout=600)
            assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
        port = free_port()
        log_path = BASE_DIR / ".run" / f"fuzz-server-{port}.log"
        log_path.parent.mkdir(exist_ok=True)
        with uvicorn_process(port=port, workers=1, env=env, log_path=log_path) as base_url:
            yield base_url, log_path
    finally:
        drop()


def sign_in(base_url: str, email: str) -> dict[str, str]:
    """Log in through the real log-in page; the headers a signed-in API client sends."""
    session = requests.Session()
    page = session.get(f"{base_url}/accounts/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = session.post(f"{base_url}/accounts/login/", timeout=30, allow_redirects=False,
                          data={"csrfmiddlewaretoken": token, "login": email, "password": DEMO_PASSWORD},
                          headers={"Referer": f"{base_url}/accounts/login/"})
    assert answer.status_code == 302, answer.text[:500]
    cookies = session.cookies.get_dict()
    return {"Cookie": f"sessionid={cookies['sessionid']}; csrftoken={cookies['csrftoken']}",
            "X-CSRFToken": cookies["csrftoken"]}


def runner(operation, mode, base_url: str, headers: dict[str, str], counter: list[int]):
    """A hypothesis test calling ``operation`` with ``mode`` data and checking each answer."""
    checks = CHECKS + ([negative_data_rejection] if mode is GenerationMode.NEGATIVE else [])

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    def run(case):
        counter[0] += 1
        response = case.call(base_url=base_url, headers=headers, timeout=30)
        case.validate_response(response, checks=checks)

    return run


def fuzz(schema, base_url: str, headers: dict[str, str]) -> tuple[list[str], int]:
    """Every operation, valid and invalid data; the failures (one line each) and the number of calls."""
    failures: list[str] = []
    counter = [0]
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                runner(operation, mode, base_url, headers, counter)()
            except Unsatisfiable:
                continue
            except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 - collect every failure, report all
                first = str(error).strip().splitlines()
                failures.append(f"{operation.method.upper()} {operation.path} ({mode.value}): "
                                + " | ".join(first[:8]))
    return failures, counter[0]


@pytest.mark.parametrize("visitor", ["anonymous", "jan@example.org", "anna@example.org"])
def test_every_operation_keeps_to_the_schema(api_server, visitor):
    base_url, log_path = api_server
    schema = schemathesis.openapi.from_url(f"{base_url}/api/schema/?format=json")
    headers = {} if visitor == "anonymous" else sign_in(base_url, visitor)
    failures, calls = fuzz(schema, base_url, headers)
    assert calls > 0
    assert not failures, "\n".join(failures) + "\n\nserver log:\n" + log_path.read_text()[-3000:]
