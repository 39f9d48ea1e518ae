"""Fixtures shared by the live tests."""

import pytest

from live import services


@pytest.fixture
def sent(monkeypatch):
    """What publish hands to the channel layer, in order (instead of sending it)."""
    messages = []
    monkeypatch.setattr(services, "send_now", lambda stream, message: messages.append((stream, message)))
    return messages
