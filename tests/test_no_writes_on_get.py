"""GET only reads: every URL of the public site (and the API), anonymous and signed in, writes nothing.

Writes are caught at the database: any INSERT/UPDATE/DELETE during a GET fails the test, except the
session row, ``last_login`` that signing in itself writes, ``last_visit_at`` once per visit (and
Wagtail's own preferences row for an editor, created once by the user bar).
"""

import re

import pytest
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver

from tests import factories
from tests.factories_discussion import CommentFactory, kern_thread
from tests.factories_initiatives import InitiativeFactory
from tests.pages import build_kern_page

pytestmark = pytest.mark.django_db

SKIP_PREFIXES = ("admin/", "django-admin/", "documents/", "media/", "bench/", "api/schema/", "api/docs/",
                 "accounts/", "static/")
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.I)
ALLOWED = (re.compile(r'"django_session"'), re.compile(r'UPDATE "community_user" SET "last_login"'),
           # The start of a visit, once per visit (community.middleware.VisitMiddleware), like last_login.
           re.compile(r'UPDATE "community_user" SET "last_visit_at"'),
           # Wagtail's user bar (staff only) creates the editor's own preferences row once, on first sight.
           re.compile(r'INSERT INTO "wagtailusers_userprofile"'))
STRINGS = {"step": ["idee", "verhaal", "indienen"], "kind": ["like"], "label": ["initiatives.initiative",
           "community.kern"], "token": ["nietgeldig"]}


def _routes(patterns=None, prefix=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route


def _urls(ids):
    seen = set()
    for route in _routes():
        route = route.lstrip("^").rstrip("$")
        if route.startswith(SKIP_PREFIXES) or "(?P" in route or "\\" in route:
            continue
        candidates = [route]
        for converter, name in re.findall(r"<(?:(\w+):)?(\w+)>", route):
            expanded = []
            for candidate in candidates:
                token = f"<{converter}:{name}>" if converter else f"<{name}>"
                values = [str(i) for i in ids] if converter == "int" else STRINGS.get(name, ["x"])
                expanded += [candidate.replace(token, value, 1) for value in values]
            candidates = expanded
        for url in candidates:
            if url not in seen:
                seen.add(url)
                yield "/" + url


@pytest.fixture
def world(cast, kern):
    build_kern_page(kern)
    published = InitiativeFactory(kern=kern, initiator=cast["initiator"], status="published")
    draft = InitiativeFactory(kern=kern, initiator=cast["initiator"], status="draft")
    submitted = InitiativeFactory(kern=kern, initiator=cast["initiator"], status="submitted")
    comment = CommentFactory(thread=kern_thread(kern), author=cast["resident"])
    for person in (cast["resident"], cast["initiator"]):
        factories.NotificationFactory(recipient=person)
    factories.CallbackRequestFactory(requester=cast["resident"], kern=kern)
    return {published.pk, draft.pk, submitted.pk, comment.pk, comment.thread_id, kern.pk, cast["resident"].pk}


@pytest.mark.parametrize("role", ["anonymous", "initiator", "council", "superuser"])
def test_no_get_writes(client, cast, world, role):
    if role != "anonymous":
        client.force_login(cast[role])
    writes = []

    def catch(execute, sql, params, many, context):
        if WRITE.match(sql) and not any(pattern.search(sql) for pattern in ALLOWED):
            writes.append(sql[:160])
        return execute(sql, params, many, context)

    visited = 0
    with connection.execute_wrapper(catch):
        for url in _urls(sorted(world)):
            response = client.get(url)
            assert response.status_code < 500, url
            visited += 1
            assert not writes, (url, writes)
    assert visited > 40  # the walk really covered the site
