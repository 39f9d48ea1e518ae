"""The board's socket through a real ASGI server and real WebSocket clients: a card reaches the other phones
within a second, a private card's text never goes over the socket, a phone that dropped out catches up with
nothing lost and nothing twice, a visitor without a seat is refused, and a 1 MB frame breaks nothing.

Phones join through the server's API (as a phone does) and keep the device cookie it sets. With REDIS_URL set,
the server's channel layer is Redis, and one test runs two server processes that share it.
"""

import asyncio
import json
import os
import time
import uuid

import httpx
import pytest
import websockets
from django.test import Client

from lab.models import LaneKind
from lab.workshops.seats import DEVICE_COOKIE
from tests.lab.workshops.conftest import cell, plan
from tests.server import asgi_server
from tests.services import reachable, require_service

pytestmark = [pytest.mark.server, pytest.mark.django_db(transaction=True)]


def server_env() -> dict:
    redis_url = os.environ.get("REDIS_URL", "")
    return {"REDIS_URL": redis_url, "CHANNEL_PREFIX": f"werk{os.getpid()}"} if redis_url else {}


class Phone:
    """A phone talking to the server: its cookies (device or session) and the CSRF token."""

    def __init__(self, base_url: str, cookies: dict | None = None):
        self.base_url = base_url
        self.http = httpx.Client(base_url=base_url, cookies=cookies or {})
        self.http.get("/contact/")
        self.csrf = self.http.cookies["csrftoken"]

    def send(self, method: str, path: str, data: dict) -> httpx.Response:
        return self.http.request(method, path, json=data, headers={"X-CSRFToken": self.csrf})

    def join(self, code: str, name: str) -> dict:
        joined = self.send("POST", "/api/v1/workshops/join/", {"code": code, "display_name": name})
        assert joined.status_code == 200, joined.text
        return joined.json()

    def add_card(self, workshop, text: str) -> dict:
        """Precondition: ``workshop.spot`` is the (stage, lane) to write in (read before any thread starts)."""
        stage, lane = workshop.spot
        made = self.send("POST", f"/api/v1/workshops/{workshop.pk}/cards/",
                         {"stage": stage.pk, "lane": lane.pk, "text": text, "client_id": str(uuid.uuid4())})
        assert made.status_code == 201, made.text
        return made.json()

    def control(self, workshop, **data) -> dict:
        done = self.send("POST", f"/api/v1/workshops/{workshop.pk}/control/", data)
        assert done.status_code == 200, done.text
        return done.json()

    def cookie_header(self) -> str:
        found = {cookie.name: cookie.value for cookie in self.http.cookies.jar}
        return "; ".join(f"{name}={value}" for name, value in found.items())

    def socket(self, workshop, after: int | None = None):
        query = f"?after={after}" if after is not None else ""
        url = self.base_url.replace("http://", "ws://") + f"/ws/werksessie/{workshop.pk}/{query}"
        return websockets.connect(url, origin=self.base_url, additional_headers={"Cookie": self.cookie_header()},
                                  max_size=None)

    def close(self):
        self.http.close()


def signed_in_cookies(user) -> dict:
    client = Client()
    client.force_login(user)
    return {"sessionid": client.cookies["sessionid"].value}


async def next_of(ws, wanted: str, timeout: float = 5) -> dict:
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), timeout))
        if message["type"] == wanted:
            return message


async def frames_until(ws, wanted: str, timeout: float = 5) -> list[str]:
    """Every raw frame up to and including the first of type ``wanted``."""
    frames = []
    while True:
        frame = await asyncio.wait_for(ws.recv(), timeout)
        frames.append(frame)
        if json.loads(frame)["type"] == wanted:
            return frames


@pytest.fixture
def opened(lead):
    """A workshop in its silent brainstorm, and its facilitator's session."""
    from lab.workshops import services

    workshop = services.open_workshop(actor=lead, workshop=plan(lead))
    workshop.spot = cell(workshop, LaneKind.PAIN)
    return workshop, signed_in_cookies(lead)


def test_a_card_reaches_the_other_participant_within_a_second(opened):
    workshop, _lead = opened
    with asgi_server(extra_env=server_env()) as base_url:
        writer, reader = Phone(base_url), Phone(base_url)
        writer.join(workshop.join_code, "Sanne")
        reader.join(workshop.join_code, "Kees")

        async def scenario():
            async with reader.socket(workshop) as ws:
                await next_of(ws, "welcome")
                started = time.monotonic()
                card = await asyncio.to_thread(writer.add_card, workshop, "Lang wachten")
                event = await next_of(ws, "card.added", timeout=1)
                assert time.monotonic() - started < 1.0
                assert event["data"]["id"] == card["id"] and event["stream"] == f"workshop.{workshop.pk}"

        asyncio.run(scenario())
        writer.close()
        reader.close()


def test_a_private_cards_text_never_goes_over_the_socket_until_the_reveal(opened):
    workshop, lead_cookies = opened
    with asgi_server(extra_env=server_env()) as base_url:
        writer, reader, lead = Phone(base_url), Phone(base_url), Phone(base_url, lead_cookies)
        writer.join(workshop.join_code, "Sanne")
        reader.join(workshop.join_code, "Kees")

        async def scenario():
            async with reader.socket(workshop) as ws, lead.socket(workshop) as facilitator, \
                    writer.socket(workshop) as own:
                for socket in (ws, facilitator, own):
                    await next_of(socket, "welcome")
                card = await asyncio.to_thread(writer.add_card, workshop, "Geheime gedachte")
                assert card["text"] == "Geheime gedachte"  # the author has it from their own request
                for socket in (ws, facilitator, own):
                    frames = await frames_until(socket, "card.added")
                    assert not any("Geheime gedachte" in frame for frame in frames)
                    event = json.loads(frames[-1])
                    assert event["data"]["private"] and "text" not in event["data"]
                    assert "author" not in event["data"] and "author_id" not in event["data"]
                await asyncio.to_thread(lead.control, workshop, action="reveal")
                revealed = await next_of(ws, "cards.revealed")
                assert [c["text"] for c in revealed["data"]["cards"]] == ["Geheime gedachte"]

        asyncio.run(scenario())
        for phone in (writer, reader, lead):
            phone.close()


def test_a_reconnect_with_after_replays_what_was_missed_and_nothing_twice(opened):
    workshop, _lead = opened
    with asgi_server(extra_env=server_env()) as base_url:
        writer, reader = Phone(base_url), Phone(base_url)
        writer.join(workshop.join_code, "Sanne")
        reader.join(workshop.join_code, "Kees")

        async def scenario():
            async with reader.socket(workshop) as ws:
                await next_of(ws, "welcome")
                await asyncio.to_thread(writer.add_card, workshop, "Voor de onderbreking")
                seen = (await next_of(ws, "card.added"))["seq"]
            missed = [await asyncio.to_thread(writer.add_card, workshop, f"Gemist {n}") for n in range(5)]
            async with reader.socket(workshop, after=seen) as ws:
                assert (await next_of(ws, "welcome"))["last_seq"] == seen + 5
                replayed = [json.loads(await asyncio.wait_for(ws.recv(), 5)) for _ in range(5)]
                assert [m["seq"] for m in replayed] == list(range(seen + 1, seen + 6))
                assert [m["data"]["id"] for m in replayed] == [card["id"] for card in missed]
                assert json.loads(await asyncio.wait_for(ws.recv(), 5)) == {"type": "replay.done",
                                                                            "last_seq": seen + 5}
                live = await asyncio.to_thread(writer.add_card, workshop, "Weer live")
                after = json.loads(await asyncio.wait_for(ws.recv(), 5))
                assert (after["type"], after["seq"], after["data"]["id"]) == ("card.added", seen + 6, live["id"])
                with pytest.raises(TimeoutError):  # nothing else: no event twice
                    await asyncio.wait_for(ws.recv(), 1)

        asyncio.run(scenario())
        writer.close()
        reader.close()


def test_a_visitor_without_a_seat_is_refused(opened, lead):
    workshop, _lead = opened
    other = plan(lead, title="Een andere werksessie")
    with asgi_server(extra_env=server_env()) as base_url:
        stranger, elsewhere, forged = Phone(base_url), Phone(base_url), Phone(base_url, {DEVICE_COOKIE: "vervalst"})
        elsewhere.join(other.join_code, "Elders")

        async def scenario():
            for phone in (stranger, elsewhere, forged):
                with pytest.raises(websockets.exceptions.InvalidStatus) as refused:
                    async with phone.socket(workshop):
                        pass
                assert refused.value.response.status_code == 403
            async with elsewhere.socket(other) as ws:  # the seat works where it was made
                assert (await next_of(ws, "welcome"))["stream"] == f"workshop.{other.pk}"

        asyncio.run(scenario())
        for phone in (stranger, elsewhere, forged):
            phone.close()


def test_a_one_megabyte_frame_is_refused_and_the_connection_and_server_carry_on(opened):
    workshop, _lead = opened
    with asgi_server(extra_env=server_env()) as base_url:
        reader, writer = Phone(base_url), Phone(base_url)
        reader.join(workshop.join_code, "Kees")
        writer.join(workshop.join_code, "Sanne")

        async def scenario():
            async with reader.socket(workshop) as ws:
                await next_of(ws, "welcome")
                await ws.send(json.dumps({"type": "card", "text": "x" * 1_000_000}))
                error = await next_of(ws, "error")
                assert error["code"] == "frame_too_large"
                await ws.send(json.dumps({"type": "card.added", "data": {"text": "vervalst"}}))
                assert (await next_of(ws, "error"))["code"] == "unknown_type"  # no messages of its own
                await ws.send(json.dumps({"type": "ping"}))
                assert (await next_of(ws, "pong"))["type"] == "pong"
                card = await asyncio.to_thread(writer.add_card, workshop, "Nog steeds live")
                assert (await next_of(ws, "card.added"))["data"]["id"] == card["id"]

        asyncio.run(scenario())
        reader.close()
        writer.close()


@pytest.mark.redis
def test_two_server_processes_on_redis_deliver_a_card(opened):
    redis_url = os.environ.get("REDIS_URL", "")
    require_service("Redis", bool(redis_url) and reachable(redis_url), "Set REDIS_URL (make test does in pass 2).")
    workshop, _lead = opened
    env = server_env()
    with asgi_server(extra_env=env) as first, asgi_server(extra_env=env) as second:
        reader, writer = Phone(first), Phone(second)
        reader.join(workshop.join_code, "Kees")
        writer.join(workshop.join_code, "Sanne")

        async def scenario():
            async with reader.socket(workshop) as ws:
                await next_of(ws, "welcome")
                card = await asyncio.to_thread(writer.add_card, workshop, "Over twee processen")
                event = await next_of(ws, "card.added", timeout=2)
                assert event["data"]["id"] == card["id"] and "text" not in event["data"]  # still private

        asyncio.run(scenario())
        reader.close()
        writer.close()


def test_a_private_cards_photo_never_goes_over_the_socket_until_the_reveal(opened, settings):
    """A card with a photo sent from the board's form (as the phone's script does): before the reveal no frame names
    the photo's address or its description, and the file answers 404 to the other phone; after the reveal the
    event carries the photo and the other phone may fetch it."""
    from tests.photos import gps_tagged_jpeg

    workshop, lead_cookies = opened
    stage, lane = workshop.spot
    with asgi_server(extra_env={**server_env(), "MEDIA_ROOT": str(settings.MEDIA_ROOT)}) as base_url:
        writer, reader, lead = Phone(base_url), Phone(base_url), Phone(base_url, lead_cookies)
        writer.join(workshop.join_code, "Sanne")
        reader.join(workshop.join_code, "Kees")

        def send_card_with_photo() -> None:
            made = writer.http.post(f"/werksessies/{workshop.pk}/bord/kaartje/", headers={
                "X-CSRFToken": writer.csrf, "X-Board-Fragment": "1"}, data={
                "stage": stage.pk, "lane": lane.pk, "text": "Geheime foto", "client_id": str(uuid.uuid4()),
                "photo_alt": "Een kapotte lantaarnpaal"},
                files={"photo": ("foto.jpg", gps_tagged_jpeg(), "image/jpeg")})
            assert made.status_code == 201, made.text

        async def scenario():
            from lab.models import Card

            async with reader.socket(workshop) as ws, lead.socket(workshop) as facilitator:
                for socket in (ws, facilitator):
                    await next_of(socket, "welcome")
                await asyncio.to_thread(send_card_with_photo)
                card = await Card.objects.aget(workshop=workshop)
                assert card.photo_key
                for socket in (ws, facilitator):
                    frames = await frames_until(socket, "card.added")
                    assert not any(card.photo_key in frame or "lantaarnpaal" in frame for frame in frames)
                assert (await asyncio.to_thread(reader.http.get, card.photo_url)).status_code == 404
                assert (await asyncio.to_thread(writer.http.get, card.photo_url)).status_code == 200
                await asyncio.to_thread(lead.control, workshop, action="reveal")
                revealed = await next_of(ws, "cards.revealed")
                photo = revealed["data"]["cards"][0]["photo"]
                assert photo["url"] == card.photo_url and photo["alt"] == "Een kapotte lantaarnpaal"
                fetched = await asyncio.to_thread(reader.http.get, card.photo_url)
                assert fetched.status_code == 200 and fetched.headers["content-type"] == "image/jpeg"

        asyncio.run(scenario())
        for phone in (writer, reader, lead):
            phone.close()
