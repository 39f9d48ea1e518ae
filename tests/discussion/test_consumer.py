"""The thread socket inside one process: who may subscribe, what is relayed, bad frames, presence."""

import json

import pytest
from channels.db import database_sync_to_async
from django.test import override_settings

from discussion import services
from tests import factories
from tests.factories_discussion import kern_thread, private_thread
from tests.websockets import ORIGIN, open_socket

pytestmark = pytest.mark.django_db(transaction=True)

async def connect(thread_id, user=None, origin=ORIGIN, query=""):
    return await open_socket(f"/ws/gesprek/{thread_id}/{query}", user, origin)


async def until(ws, wanted, timeout=3):
    while True:
        message = await ws.receive_json_from(timeout=timeout)
        if message["type"] == wanted:
            return message


async def presence_reaches(ws, count):
    while (await until(ws, "presence", timeout=5))["data"]["count"] != count:
        pass


@database_sync_to_async
def setup_public():
    kern = factories.KernFactory()
    return kern_thread(kern), factories.UserFactory(kern=kern)


async def test_anonymous_reads_a_public_thread_and_sees_new_comments():
    thread, author = await setup_public()
    ws, connected, _ = await connect(thread.pk)
    assert connected
    assert (await ws.receive_json_from())["type"] == "welcome"
    assert (await until(ws, "presence", timeout=5))["data"] == {"count": 1}
    comment = await database_sync_to_async(services.post_comment)(thread=thread, author=author, body="Hallo dorp")
    event = await until(ws, "comment.created")
    assert event["seq"] == 1 and event["stream"] == f"thread.{thread.pk}"
    assert event["data"]["id"] == comment.pk and "Hallo dorp" in event["data"]["body_html"]
    await ws.disconnect()


@pytest.mark.parametrize("origin", [(b"origin", b"https://evil.example"), None])
async def test_foreign_or_missing_origin_is_refused(origin):
    thread, _ = await setup_public()
    ws, connected, _ = await connect(thread.pk, origin=origin)
    assert not connected
    await ws.disconnect()


async def test_unknown_thread_is_refused():
    ws, connected, code = await connect(999999)
    assert not connected and code == 4403
    await ws.disconnect()


@pytest.mark.parametrize(("who", "allowed"), [("anonymous", False), ("stranger", False), ("council", False),
                                              ("requester", True), ("staff", True)])
async def test_private_thread_follows_its_object(who, allowed):
    @database_sync_to_async
    def setup():
        kern = factories.KernFactory()
        requester = factories.UserFactory(kern=kern)
        people = {"anonymous": None, "stranger": factories.UserFactory(kern=kern), "requester": requester,
                  "council": factories.CouncilMembershipFactory(kern=kern).user, "staff": factories.StaffFactory()}
        return private_thread(requester=requester, kern=kern), people[who]

    thread, user = await setup()
    ws, connected, code = await connect(thread.pk, user=user)
    assert connected is allowed
    if not allowed:
        assert code == 4403
    await ws.disconnect()


@pytest.mark.parametrize(("status", "who", "allowed"), [
    ("draft", "anonymous", False), ("draft", "neighbour", False), ("draft", "initiator", True),
    ("draft", "council", True), ("published", "anonymous", True), ("published", "neighbour", True),
])
async def test_initiative_thread_follows_the_initiative_state(status, who, allowed):
    @database_sync_to_async
    def setup():
        from discussion.services import get_or_create_thread
        from tests.factories_initiatives import InitiativeFactory

        initiative = InitiativeFactory(status=status)
        people = {"anonymous": None, "neighbour": factories.UserFactory(kern=initiative.kern),
                  "initiator": initiative.initiator,
                  "council": factories.CouncilMembershipFactory(kern=initiative.kern).user}
        return get_or_create_thread(target=initiative), people[who]

    thread, user = await setup()
    ws, connected, code = await connect(thread.pk, user=user)
    assert connected is allowed
    if not allowed:
        assert code == 4403
    await ws.disconnect()


async def test_identity_comes_from_the_session_not_the_client():
    thread, author = await setup_public()
    ws, connected, _ = await connect(thread.pk)
    await ws.receive_json_from()
    await ws.send_json_to({"type": "comment", "user": author.pk, "body": "namens een ander"})
    assert (await until(ws, "error"))["code"] == "unknown_type"
    assert not await database_sync_to_async(thread.comments.exists)()
    await ws.disconnect()


@pytest.mark.parametrize(("frame", "code"), [("geen json", "malformed"), ("[]", "malformed"),
                                             ('{"x": 1}', "malformed"), ('{"type": "post"}', "unknown_type")])
async def test_bad_frames_get_an_error_and_the_connection_stays(frame, code):
    thread, _ = await setup_public()
    ws, connected, _ = await connect(thread.pk)
    await ws.receive_json_from()
    await ws.send_to(text_data=frame)
    assert (await until(ws, "error"))["code"] == code
    await ws.send_json_to({"type": "ping"})
    assert await until(ws, "pong") == {"type": "pong"}
    await ws.disconnect()


@override_settings(LIVE_MAX_FRAME_BYTES=512)
async def test_oversized_frame():
    thread, _ = await setup_public()
    ws, connected, _ = await connect(thread.pk)
    await ws.receive_json_from()
    await ws.send_to(text_data=json.dumps({"type": "ping", "pad": "x" * 1000}))
    assert (await until(ws, "error"))["code"] == "frame_too_large"
    await ws.send_json_to({"type": "ping"})
    assert await until(ws, "pong") == {"type": "pong"}
    await ws.disconnect()


async def test_hidden_comment_event_carries_only_its_id():
    @database_sync_to_async
    def setup():
        kern = factories.KernFactory()
        moderator = factories.CouncilMembershipFactory(kern=kern).user
        thread = kern_thread(kern)
        comment = services.post_comment(thread=thread, author=factories.UserFactory(kern=kern), body="geheim")
        return thread, comment, moderator

    thread, comment, moderator = await setup()
    ws, connected, _ = await connect(thread.pk, query="?after=1")
    await ws.receive_json_from()
    await until(ws, "replay.done")
    await database_sync_to_async(services.hide_comment)(comment=comment, moderator=moderator, reason="Onaardig")
    event = await until(ws, "comment.hidden")
    assert event["data"] == {"id": comment.pk}
    assert "geheim" not in json.dumps(event) and "Onaardig" not in json.dumps(event)
    await ws.disconnect()


async def test_presence_counts_viewers():
    thread, _ = await setup_public()
    first, _, _ = await connect(thread.pk)
    second, _, _ = await connect(thread.pk)
    await presence_reaches(second, 2)
    await presence_reaches(first, 2)
    await second.disconnect()
    await presence_reaches(first, 1)
    await first.disconnect()
