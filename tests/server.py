"""A real ASGI server (uvicorn, as in production) on the test database, in its own process."""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.db import connection

BASE_DIR = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_database_url() -> str:
    """The URL of the database this test run uses, for a server process to share it."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user, password = settings.get("USER", ""), settings.get("PASSWORD", "")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    return f"postgres://{auth}{settings.get('HOST') or '127.0.0.1'}:{settings.get('PORT') or 5432}/{settings['NAME']}"


@contextlib.contextmanager
def asgi_server(*, workers: int = 1, extra_env: dict | None = None, port: int | None = None):
    """Start uvicorn on 127.0.0.1 against the test database; yield its base URL; stop it after."""
    port = port or free_port()
    env = {
        **os.environ,
        "SAMENLAB_TESTING": "true",
        "DATABASE_URL": test_database_url(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PYTHONUNBUFFERED": "1",
        **(extra_env or {}),
    }
    log_path = BASE_DIR / ".run" / f"server-{port}.log"
    log_path.parent.mkdir(exist_ok=True)
    with uvicorn_process(port=port, workers=workers, env=env, log_path=log_path,
                         extra_args=("--ws-ping-interval", "20", "--ws-per-message-deflate", "false")) as base_url:
        yield base_url


@contextlib.contextmanager
def uvicorn_process(*, port: int, workers: int, env: dict, log_path: Path, extra_args=()):
    """uvicorn serving ``config.asgi`` on 127.0.0.1:``port`` with exactly ``env``, logging to ``log_path``.

    Yields the base URL once ``/healthz/`` answers; stops the process after. Shared with bench/.
    """
    with log_path.open("w") as log:
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1", "--port", str(port),
             "--workers", str(workers), "--no-access-log", *extra_args],
            cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"ASGI server exited early:\n{log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{base_url}/healthz/", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"ASGI server did not answer in time:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.2)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
