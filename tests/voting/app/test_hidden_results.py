"""Hidden means hidden everywhere (Decidim #12348, CONSUL #4771): before a poll may show its result, no channel
shows a count, a percentage, a leading option or who chose what, to any role of the shared cast (staff, the
superusers and the council included) — pages, lists, the site search, the sitemap, both admins, the page cache
and the WebSocket (in process and through a real ASGI server). After the close the result appears, also on a
page that was kept before the close.

Two polls, both open, both with ballots: an open vote whose result waits for the close (7 ballots: 5 × "Bankjes",
2 × "Bomen"; the cast's resident, council member and staff member voted too) and a secret one that shows its
result after one's own vote (3 × "Speeltoestel", nobody of the cast voted).
"""

import asyncio
import contextlib
import json
import re
import time
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.contrib import admin
from django.db import connections
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from core.pagecache import invalidate_pages
from tests.factories import UserFactory
from tests.factories_initiatives import InitiativeFactory
from tests.factories_voting import BallotBoxFactory, PollFactory
from tests.pages import build_home, build_kern_page
from tests.roles import ROLES, build_cast
from voting.models import Ballot, BallotBox, BallotDraft, PublicVote, ResultsShown, Turnout, WhoMayVote
from voting.services.casting import cast_ballot

QUESTION_OPEN = "Wat komt er op het dorpsplein?"
QUESTION_SECRET = "Welk speeltoestel wilt u?"
VOTER_NAMES = ("Xandra", "Quirijn", "Ysolde", "Zeger", "Wiebrand")
# A count, a share, the result's own parts, or a voter's name: none of these may show before the close.
LEAKS = re.compile(r"\b\d+ stem(men)?\b|\b(71|29|100|43|57)\s?%|poll-results|poll-bars|Wie koos wat|Uitslag"
                   r"|" + "|".join(VOTER_NAMES))


def leaks(text: str) -> list[str]:
    return sorted({match.group(0) for match in LEAKS.finditer(text)})


def main_of(html: str) -> str:
    """The page's own content (the header and footer never show a poll)."""
    return html.split('<main', 1)[-1].split("</main>", 1)[0]


def build_world(kern, other_kern, cast, *, pages: bool = True):
    """Both polls (one on the kern page, one on an initiative and a content page), their ballots, and (with
    ``pages``) the Wagtail pages that show them."""
    from cms.models import ContentPage

    initiative = InitiativeFactory(kern=kern, status="published", title="Een nieuw dorpsplein")
    now = timezone.now()
    box = {"kern": kern, "opens_at": now - timedelta(days=1), "closes_at": now + timedelta(days=1),
           "who_may_vote": WhoMayVote.SIGNED_IN}
    open_vote = PollFactory(box=BallotBoxFactory(secret=False, results_shown=ResultsShown.AFTER_CLOSE, **box),
                            question=QUESTION_OPEN, options=["Bankjes", "Bomen"])
    secret = PollFactory(box=BallotBoxFactory(results_shown=ResultsShown.AFTER_OWN_VOTE, **box),
                         question=QUESTION_SECRET, options=["Schommel", "Wip", "Speeltoestel"],
                         initiative=initiative)
    bankjes, bomen = open_vote.options.all()
    voters = [cast["resident"], cast["council"], cast["staff"], *(UserFactory(kern=kern, first_name=name)
                                                                  for name in VOTER_NAMES[:4])]
    for n, voter in enumerate(voters):
        cast_ballot(actor=voter, box=open_vote.box, choices=[(bankjes if n < 5 else bomen).pk])
    speeltoestel = secret.options.get(label="Speeltoestel")
    for name in VOTER_NAMES[2:]:
        cast_ballot(actor=UserFactory(kern=kern, first_name=name), box=secret.box, choices=[speeltoestel.pk])
    assert Ballot.objects.count() == 10 and PublicVote.objects.count() == 7
    world = {"open_vote": open_vote, "secret": secret, "initiative": initiative}
    if pages:  # transactional tests run without Wagtail's root page (they empty every table)
        home = build_home()
        world["kern_page"] = build_kern_page(kern, home)
        world["content"] = ContentPage(title="Over het dorpsplein", slug="dorpsplein",
                                       intro="Praat mee over het plein.",
                                       body=[("poll", {"poll": secret.pk}), ("poll", {"poll": open_vote.pk})])
        home.add_child(instance=world["content"])
        world["content"].save_revision().publish()
    invalidate_pages()
    return world


@pytest.fixture
def world(db, kern, other_kern, cast):
    return build_world(kern, other_kern, cast)


def poll_urls(poll) -> list[str]:
    """Every page of the site's voting URLs that takes a poll's number (whoever made them)."""
    urls = []

    def walk(patterns, prefix=""):
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, route)
            elif isinstance(entry, URLPattern) and route.startswith("peilingen/<int:pk>/"):
                urls.append("/" + route.replace("<int:pk>", str(poll.pk)))

    walk(get_resolver().url_patterns)
    return urls


def pages_of(world) -> list[str]:
    urls = [world["kern_page"].url, world["initiative"].get_absolute_url(), world["content"].url,
            reverse("voting:polls"), reverse("voting:polls") + "?kern=arkel", "/", "/sitemap.xml",
            reverse("search") + "?q=dorpsplein", reverse("search") + "?q=speeltoestel"]
    for name in ("voting:index", "voting:budgets"):  # lists other parts of voting may have
        with contextlib.suppress(NoReverseMatch):
            urls.append(reverse(name))
    for poll in (world["open_vote"], world["secret"]):
        urls += poll_urls(poll)
    return urls


def client_for(cast, role) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(cast[role])
    return client


# Pages, lists, search, sitemap ---------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_no_page_shows_a_count_before_the_close(world, cast, role):
    client = client_for(cast, role)
    shown = 0
    for url in pages_of(world):
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code != 200 or response.streaming:
            continue
        text = response.content.decode()
        assert not leaks(main_of(text) if "<main" in text else text), (role, url, leaks(text))
        shown += QUESTION_OPEN in text or QUESTION_SECRET in text
    assert shown >= 5  # the polls were really on the pages: kern page, initiative, content page, list, own page


@pytest.mark.django_db
def test_the_search_finds_the_poll_by_its_question_and_shows_no_count(world, cast):
    for role in ("anonymous", "council", "superuser"):
        html = client_for(cast, role).get(reverse("search"), {"q": "speeltoestel"}).content.decode()
        assert world["content"].url in html, role  # found through the poll's text on the content page
        assert not leaks(main_of(html)), role


@pytest.mark.django_db
def test_the_sitemap_holds_no_count(world, client):
    xml = client.get("/sitemap.xml").content.decode()
    assert world["content"].url.rstrip("/") in xml and not leaks(xml)


# The admins ------------------------------------------------------------------------------------------------

def test_the_secret_tables_are_in_no_admin():
    from wagtail.snippets.models import get_snippet_models

    secret = {Ballot, Turnout, PublicVote, BallotDraft, BallotBox}
    assert not secret & set(admin.site._registry)
    assert not secret & set(get_snippet_models())


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff", "superuser"])
def test_the_admins_show_no_count(world, cast, role):
    client = client_for(cast, role)
    content = world["content"]
    urls = ["/django-admin/", "/admin/", f"/admin/pages/{content.pk}/edit/", "/admin/pages/search/?q=dorpsplein",
            f"/admin/pages/{content.get_parent().pk}/"]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 302, 403), url
        if response.status_code == 200:
            assert not leaks(response.content.decode()), (url, leaks(response.content.decode()))


# The page cache --------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_a_kept_page_never_keeps_a_count_and_shows_the_result_once_the_poll_closed(kern, other_kern, cast,
                                                                                   settings):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300
    world = build_world(kern, other_kern, cast)
    closes_at = timezone.now() + timedelta(seconds=3)
    BallotBox.objects.filter(pk=world["open_vote"].box_id).update(closes_at=closes_at)
    invalidate_pages()  # as a service that changes a box does
    visitor = Client()
    url = world["kern_page"].url
    first = visitor.get(url)
    assert first["X-Page-Cache"] == "miss" and QUESTION_OPEN in first.content.decode()
    assert not leaks(main_of(first.content.decode()))
    cast_ballot(actor=UserFactory(kern=kern, first_name="Wiebrand"), box=world["open_vote"].box,
                choices=[world["open_vote"].options.first().pk])  # a vote empties the page cache
    again = visitor.get(url)
    assert not leaks(main_of(again.content.decode()))
    assert visitor.get(url)["X-Page-Cache"] == "hit"
    time.sleep(max(0.0, (closes_at - timezone.now()).total_seconds()) + 0.3)  # the poll closes by time
    after = visitor.get(url)
    html = main_of(after.content.decode())
    assert after["X-Page-Cache"] == "miss" and "poll-results" in html and "8 stemmen" in html
    assert "Wiebrand" not in html  # the list of who chose what is on the poll's own page
    assert "Wiebrand" in main_of(visitor.get(world["open_vote"].get_absolute_url()).content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "resident", "staff", "superuser"])
def test_after_the_close_the_results_appear_everywhere(world, cast, role):
    now = timezone.now()
    BallotBox.objects.filter(pk__in=[world["open_vote"].box_id, world["secret"].box_id]).update(
        opens_at=now - timedelta(days=2), closes_at=now - timedelta(seconds=1))
    invalidate_pages()
    client = client_for(cast, role)
    for url in (world["kern_page"].url, world["content"].url, world["open_vote"].get_absolute_url()):
        assert "7 stemmen" in main_of(client.get(url).content.decode()), url
    for url in (world["initiative"].get_absolute_url(), world["content"].url, world["secret"].get_absolute_url()):
        html = main_of(client.get(url).content.decode())
        assert "3 stemmen (100%)" in html, url
    assert "Xandra" in main_of(client.get(world["open_vote"].get_absolute_url()).content.decode())


# The WebSocket ---------------------------------------------------------------------------------------------

def make_world_for_sockets():
    from tests.factories import KernFactory

    kern = KernFactory(name="Arkel", slug="arkel")
    other = KernFactory(name="Kinderdijk", slug="kinderdijk")
    cast = build_cast(kern, other)
    return build_world(kern, other, cast, pages=False), cast, kern


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ROLES)
async def test_the_socket_carries_no_ballot_and_no_count(role):
    from tests.websockets import open_socket

    world, cast, kern = await database_sync_to_async(make_world_for_sockets)()
    box_id = world["open_vote"].box_id
    ws, connected, _code = await open_socket(f"/ws/stemming/{box_id}/?after=0", None if role == "anonymous"
                                             else cast[role])
    assert connected
    received = []
    while True:
        message = await ws.receive_json_from(timeout=3)
        received.append(message)
        if message["type"] == "replay.done":
            break
    late_voter = await database_sync_to_async(UserFactory)(kern=kern, first_name="Wiebrand")
    option = await database_sync_to_async(lambda: world["open_vote"].options.first().pk)()
    await database_sync_to_async(cast_ballot)(actor=late_voter, box=world["open_vote"].box, choices=[option])
    assert await ws.receive_nothing(timeout=0.5)  # nothing per ballot
    await ws.disconnect()
    await database_sync_to_async(connections.close_all)()  # PostgreSQL drops the test database only when unused
    assert [m["type"] for m in received] == ["welcome", "replay.done"]
    assert not leaks(json.dumps(received))


@pytest.mark.django_db(transaction=True)
async def test_the_socket_refuses_a_poll_on_an_initiative_one_may_not_see():
    from tests.websockets import open_socket

    def hidden_poll():
        initiative = InitiativeFactory(status="draft")
        return PollFactory(box=BallotBoxFactory(kern=initiative.kern), initiative=initiative)

    poll = await database_sync_to_async(hidden_poll)()
    ws, connected, code = await open_socket(f"/ws/stemming/{poll.box_id}/")
    assert not connected and code == 4403
    await ws.disconnect()
    ws, connected, code = await open_socket("/ws/stemming/999999/")
    assert not connected
    await ws.disconnect()
    await database_sync_to_async(connections.close_all)()


@pytest.mark.server
@pytest.mark.django_db(transaction=True)
def test_through_a_real_server_a_ballot_sends_nothing_and_a_change_sends_no_count(kern, other_kern, cast):
    import httpx
    import websockets

    from tests.server import asgi_server

    world = build_world(kern, other_kern, cast, pages=False)
    upcoming = PollFactory(box=BallotBoxFactory(kern=kern, upcoming=True), question="Later?")
    voter = UserFactory(kern=kern)
    session = Client()
    session.force_login(voter)
    cookie = session.cookies["sessionid"].value
    open_vote = world["open_vote"]
    option = open_vote.options.first().pk

    def vote_over_http(base_url: str) -> int:
        with httpx.Client(base_url=base_url, cookies={"sessionid": cookie}) as http:
            page = http.get(open_vote.get_absolute_url()).text
            key = re.search(r'name="sleutel" value="(\w+)"', page).group(1)
            response = http.post(reverse("voting:poll_vote", args=[open_vote.pk]),
                                 data={"keuze": str(option), "sleutel": key,
                                       "csrfmiddlewaretoken": http.cookies["csrftoken"]},
                                 headers={"Referer": base_url + "/"})
            return response.status_code

    staff_session = Client()
    staff_session.force_login(cast["staff"])
    staff_cookie = staff_session.cookies["sessionid"].value

    def change_over_http(base_url: str) -> int:
        """Staff change the coming poll through the server, whose own process publishes the event."""
        from tests.voting.app.test_poll_views import form_data

        with httpx.Client(base_url=base_url, cookies={"sessionid": staff_cookie}) as http:
            http.get(reverse("voting:poll_edit", args=[upcoming.pk]))
            data = {**form_data(kern.slug, question="Wanneer?"), "csrfmiddlewaretoken": http.cookies["csrftoken"]}
            return http.post(reverse("voting:poll_edit", args=[upcoming.pk]), data=data,
                             headers={"Referer": base_url + "/"}).status_code

    with asgi_server() as base_url:
        ws_base = base_url.replace("http://", "ws://")

        async def scenario():
            async with websockets.connect(f"{ws_base}/ws/stemming/{open_vote.box_id}/", origin=base_url) as ws, \
                    websockets.connect(f"{ws_base}/ws/stemming/{upcoming.box_id}/", origin=base_url) as other:
                assert json.loads(await ws.recv())["type"] == "welcome"
                assert json.loads(await other.recv())["type"] == "welcome"
                assert await asyncio.to_thread(vote_over_http, base_url) == 302
                with pytest.raises(asyncio.TimeoutError):
                    await asyncio.wait_for(ws.recv(), 1.0)  # the ballot was counted; nothing was sent
                assert await asyncio.to_thread(change_over_http, base_url) == 302
                event = json.loads(await asyncio.wait_for(other.recv(), 10))
                assert event["type"] == "poll.changed" and set(event["data"]) == {"box", "poll"}
                assert not leaks(json.dumps(event))

        asyncio.run(scenario())
    assert Turnout.objects.filter(box=open_vote.box, voter=voter).exists()
