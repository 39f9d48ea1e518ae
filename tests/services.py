"""Finding the real services tests run against, and refusing to skip them in CI."""

import os
import socket
from urllib.parse import urlparse

import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def reachable(url: str, timeout: float = 0.5) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 0), timeout=timeout):
            return True
    except OSError:
        return False


def require_service(name: str, available: bool, how: str) -> None:
    """Skip (locally) or fail (in CI) when a service a test needs is missing."""
    if available:
        return
    message = f"{name} is not available. {how}"
    if in_ci():
        pytest.fail(f"{message} (CI=true: services are mandatory)")
    pytest.skip(message)  # only outside CI: under CI=true the line above has failed the test
