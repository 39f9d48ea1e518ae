"""The README's Production section, followed literally in a fresh clone, gives a working site.

The commands come from the README itself (its two ``sh`` blocks under "## Production"): the first is run
line by line, the second's lines are started as services. Only the values of the exported variables are
swapped for test ones (a fresh PostgreSQL database, this run's Redis, a strong key, a local SMTP server),
and the port. A variable or a command the README adds that this test does not know makes it fail, so the
README and the commands cannot drift apart.
"""

from __future__ import annotations

import os
import re
import secrets
import shlex
import shutil
import signal
import subprocess
import time
import urllib.parse
import uuid
from pathlib import Path

import pytest
import requests

from tests.server import BASE_DIR, free_port
from tests.services import reachable, require_service

pytestmark = [pytest.mark.server, pytest.mark.postgres, pytest.mark.redis, pytest.mark.timeout(1800)]

KNOWN_VARIABLES = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DATABASE_POOL_SIZE", "REDIS_URL",
                   "SITE_URL", "CSRF_TRUSTED_ORIGINS", "EMAIL_URL"}


def production_blocks(readme: str) -> list[str]:
    """The ``sh`` blocks of the README's Production section, in order."""
    section = readme.split("\n## Production\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)```", section, flags=re.S)


def commands(block: str) -> list[str]:
    """The block's commands: continuation lines joined, comments and blank lines left out."""
    joined = re.sub(r"\\\n\s*", " ", block)
    return [line.strip() for line in joined.splitlines() if line.strip() and not line.strip().startswith("#")]


def exported(command: str) -> dict[str, str]:
    words = shlex.split(command)
    assert words[0] == "export"
    return dict(word.split("=", 1) for word in words[1:])


def test_the_readme_has_the_steps_this_test_follows():
    blocks = production_blocks((BASE_DIR / "README.md").read_text())
    assert len(blocks) == 2, "the Production section has one block of set-up commands and one of services"
    setup, services = commands(blocks[0]), commands(blocks[1])
    assert setup[0] == "make install"
    assert set(exported(next(c for c in setup if c.startswith("export ")))) <= KNOWN_VARIABLES
    assert [c.split()[0] for c in services] == [".venv/bin/uvicorn", ".venv/bin/python", ".venv/bin/python"]
    # Live fan-out: no per-message compression (docs/decisions/0018), as the test servers run.
    assert "--ws-per-message-deflate false" in services[0]


class SMTPSink:
    """A tiny SMTP server on 127.0.0.1 that keeps every message it is given."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages: list[bytes] = []
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
                sink.messages.append(envelope.content)
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()


@pytest.fixture
def fresh_database():
    base = os.environ.get("DATABASE_URL", "")
    require_service("PostgreSQL", base.startswith("postgres") and reachable(base),
                    "Set DATABASE_URL to a PostgreSQL server (make test does in pass 2).")
    import psycopg

    name = f"samenlab_readme_{uuid.uuid4().hex[:8]}"
    parts = urllib.parse.urlsplit(base)
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def fresh_clone(tmp_path):
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=BASE_DIR, capture_output=True, text=True,
                          check=True).stdout.strip()
    clone = tmp_path / "samenlab"
    subprocess.run(["git", "clone", "--quiet", "--no-checkout", str(BASE_DIR), str(clone)], check=True)
    subprocess.run(["git", "checkout", "--quiet", head], cwd=clone, check=True)
    return clone


def run_logged(command: str, *, cwd: Path, env: dict, log, timeout: int) -> None:
    log.write(f"\n$ {command}\n")
    log.flush()
    done = subprocess.run(["bash", "-c", command], cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,  # noqa: S603
                          timeout=timeout)
    assert done.returncode == 0, f"{command!r} failed (exit {done.returncode}); see {log.name}"


def wait_for(url: str, headers: dict, processes: list, log_path: Path, seconds: int = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for process in processes:
            assert process.poll() is None, f"a service exited early; see {log_path}:\n{log_path.read_text()[-3000:]}"
        try:
            if requests.get(url, headers=headers, timeout=2, allow_redirects=False).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} did not answer in time; see {log_path}:\n{log_path.read_text()[-3000:]}")


@pytest.fixture
def own_redis():
    """A Redis server of this test's own, so that the site's page cache never meets the suite's."""
    redis_url = os.environ.get("REDIS_URL", "")
    available = redis_url.startswith("redis") and reachable(redis_url) and bool(shutil.which("redis-server"))
    require_service("Redis", available, "Set REDIS_URL and install redis-server (make test does in pass 2).")
    port = free_port()
    process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",  # noqa: S603
                                "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 20
    while not reachable(url) and time.monotonic() < deadline:
        time.sleep(0.1)
    yield url
    process.terminate()
    process.wait(timeout=20)


def test_production_section_of_the_readme_gives_a_working_site(fresh_clone, fresh_database, own_redis, tmp_path):
    redis_url = own_redis
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    blocks = production_blocks((fresh_clone / "README.md").read_text())
    setup, services = commands(blocks[0]), commands(blocks[1])
    log_path = tmp_path / "readme.log"

    with SMTPSink() as smtp, log_path.open("w") as log:
        values = {
            "DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(64), "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": fresh_database, "DATABASE_POOL_SIZE": "4", "REDIS_URL": redis_url,
            "SITE_URL": origin, "CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{port}",
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
        }
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("DJANGO", "SAMENLAB", "PYTEST", "VIRTUAL_ENV"))
               and key not in KNOWN_VARIABLES | {"EMAIL_BACKEND", "STATIC_ROOT", "MEDIA_ROOT"}}
        env["PATH"] = ":".join(p for p in env.get("PATH", "").split(":") if "/.venv/" not in p)
        # Every tool sees the clone as its working directory, never the checkout the test runs from.
        env.update({"PWD": str(fresh_clone), "INIT_CWD": str(fresh_clone), "HOME": env.get("HOME", "/root")})
        env.pop("OLDPWD", None)
        for command in setup:
            if command.startswith("export "):
                names = exported(command)
                assert set(names) <= set(values), f"the README sets {set(names) - set(values)}: teach this test"
                env.update({name: values[name] for name in names})
                continue
            run_logged(command, cwd=fresh_clone, env=env, log=log, timeout=1500)

        processes = []
        try:
            for command in services:
                command = re.sub(r"--port \d+", f"--port {port}", command)
                log.write(f"\n$ {command} &\n")
                log.flush()
                processes.append(subprocess.Popen(["bash", "-c", f"exec {command}"], cwd=fresh_clone, env=env,  # noqa: S603
                                                  stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
            https = {"X-Forwarded-Proto": "https"}
            wait_for(f"{origin}/healthz/", https, processes, log_path)

            plain = requests.get(f"{origin}/", timeout=10, allow_redirects=False)
            assert plain.status_code == 301 and plain.headers["Location"].startswith("https://")
            for path in ("/", "/kernen/groot-ammers/", "/accounts/login/", "/api/v1/initiatives/", "/api/docs/"):
                answer = requests.get(f"{origin}{path}", headers=https, timeout=30, allow_redirects=False)
                assert answer.status_code == 200, (path, answer.status_code, log_path.read_text()[-3000:])
            assert requests.get(f"{origin}/api/v1/initiatives/", headers=https, timeout=30).json()["count"] > 0

            # Log in as a demo resident. The cookies are Secure, so they are carried by hand over the test's HTTP.
            login = requests.get(f"{origin}/accounts/login/", headers=https, timeout=30)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text).group(1)
            cookies = {"csrftoken": login.cookies["csrftoken"]}
            signed_in = requests.post(
                f"{origin}/accounts/login/", timeout=30, allow_redirects=False, cookies=cookies,
                headers={**https, "Referer": f"https://127.0.0.1:{port}/accounts/login/",
                         "Origin": f"https://127.0.0.1:{port}"},
                data={"csrfmiddlewaretoken": token, "login": "jan@example.org", "password": "samenlab-demo"},
            )
            assert signed_in.status_code == 302, signed_in.text[:2000]
            session = {"sessionid": signed_in.cookies["sessionid"]}
            mine = requests.get(f"{origin}/api/v1/pledges/", headers=https, cookies=session, timeout=30)
            assert mine.status_code == 200, mine.text[:500]
            assert requests.get(f"{origin}/api/v1/pledges/", headers=https, timeout=30).status_code == 403

            # E-mail goes out through the worker and EMAIL_URL: a password reset reaches the SMTP server.
            reset_page = requests.get(f"{origin}/accounts/password/reset/", headers=https, timeout=30)
            reset_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', reset_page.text).group(1)
            requests.post(f"{origin}/accounts/password/reset/", timeout=30, allow_redirects=False,
                          cookies={"csrftoken": reset_page.cookies["csrftoken"]},
                          headers={**https, "Referer": f"https://127.0.0.1:{port}/accounts/password/reset/"},
                          data={"csrfmiddlewaretoken": reset_token, "email": "jan@example.org"})
            deadline = time.monotonic() + 60
            while not smtp.messages and time.monotonic() < deadline:
                time.sleep(0.5)
            assert any(b"jan@example.org" in message for message in smtp.messages), log_path.read_text()[-3000:]
        finally:
            for process in processes:
                if process.poll() is None:
                    os.killpg(process.pid, signal.SIGTERM)
            for process in processes:
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()


