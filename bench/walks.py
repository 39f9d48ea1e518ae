"""Walk-throughs (wijkschouw): the GeoJSON of 10,000 observations, a walk page with 500, and live fan-out.

``prepare`` builds, in Groot-Ammers:

- a finished walk with 10,000 public observations (triaged as praise) inside ``BBOX``: the anonymous
  GeoJSON scenario asks for the box as a map does, the API's first page of 1,000 (the API is never
  page-cached); ``run`` adds the whole box page by page and in one answer (``limit=10000``);
- a walk in progress with 500 new observations and ``WALKERS`` residents signed up to it: the walk page
  scenario is signed in as one of them, and the fan-out has every walker follow the walk on a WebSocket.

Rows are written with ``bulk_create`` (as bench/initiatives.py), not through the services: the bench
measures reading. The walks have fixed ids so that the scenarios in bench/scenarios.py can name their
paths. Safe to run again: it tops up to the numbers and removes what an earlier fan-out posted.

``run`` (an extra benchmark, bench/scenarios.py: EXTRA_BENCHMARKS) measures the GeoJSON's latency one
request at a time (the "under 300 ms"; the table's figures are at 8 connections at once) and the live
fan-out of new observations to the walkers' phones with bench/live_fanout.py, on both channel layers.
"""

import datetime
import random
import uuid
from decimal import Decimal

from bench.core import Bench, Section

GEOJSON_WALK = 90_001
PAGE_WALK = 90_002
GEOJSON_OBSERVATIONS = 10_000
PAGE_OBSERVATIONS = 500
WALKERS = 100
FANOUT_OBSERVATIONS = 50
# Around Groot-Ammers (51.9208, 4.8320), inside the municipality: west, south, east, north.
BBOX = (4.8200, 51.9150, 4.8440, 51.9270)
BBOX_PARAM = ",".join(f"{v:.4f}" for v in BBOX)
GEOJSON_PATH = f"/api/v1/observations/?bbox={BBOX_PARAM}"
GEOJSON_ONE_ANSWER_PATH = f"{GEOJSON_PATH}&limit={GEOJSON_OBSERVATIONS}"
GEOJSON_ACCEPT = "application/geo+json, application/json"  # as the site's maps ask for it
PAGE_PATH = f"/wijkschouw/{PAGE_WALK}/"
WALKER_EMAIL = "bench-walker-{n}@example.org"
FIRST_WALKER = WALKER_EMAIL.format(n=0)
DESCRIPTION = "Benchwaarneming"

GEOJSON_MEDIAN_TARGET_MS = 300
FANOUT_P99_TARGET_MS = 150
LATENCY_REQUESTS = 30


def _point(rng: random.Random) -> tuple[Decimal, Decimal]:
    west, south, east, north = BBOX
    return (Decimal(f"{rng.uniform(south, north):.6f}"), Decimal(f"{rng.uniform(west, east):.6f}"))


def prepare() -> None:
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from community.models import Kern
    from maps.models import Observation, ObservationState, ObservationTheme, Walk, WalkSignup, WalkState

    rng = random.Random(2026)
    users = get_user_model()
    kern = Kern.objects.get(slug="groot-ammers")
    now = timezone.now()
    themes = [value for value, _label in ObservationTheme.choices]
    with transaction.atomic():
        existing = set(users.objects.filter(email__startswith="bench-walker-").values_list("email", flat=True))
        users.objects.bulk_create([
            users(email=WALKER_EMAIL.format(n=n), first_name=f"Loper {n}", kern=kern)
            for n in range(WALKERS) if WALKER_EMAIL.format(n=n) not in existing
        ])
        walkers = list(users.objects.filter(email__startswith="bench-walker-").order_by("pk"))

        walked = now - datetime.timedelta(days=7)
        geojson_walk, _created = Walk.objects.get_or_create(pk=GEOJSON_WALK, defaults=dict(
            kern=kern, title="Benchschouw met 10.000 waarnemingen", starts_at=walked,
            ends_at=walked + datetime.timedelta(hours=2), meeting_point="Bij de kerk", themes=themes,
            state=WalkState.FINISHED, started_at=walked, finished_at=walked + datetime.timedelta(hours=2)))
        page_walk, _created = Walk.objects.get_or_create(pk=PAGE_WALK, defaults=dict(
            kern=kern, title="Benchschouw, nu bezig", starts_at=now - datetime.timedelta(hours=1),
            ends_at=now + datetime.timedelta(hours=1), meeting_point="Bij de kerk",
            route=[[4.8300, 51.9200], [4.8320, 51.9208], [4.8350, 51.9220]], themes=themes[:3],
            state=WalkState.IN_PROGRESS, started_at=now - datetime.timedelta(hours=1)))

        def top_up(walk, number: int, state: str) -> None:
            have = walk.observations.filter(description__startswith=DESCRIPTION).count()
            Observation.objects.bulk_create([
                Observation(walk=walk, author=walkers[n % len(walkers)], client_id=uuid.UUID(int=rng.getrandbits(128)),
                            theme=themes[n % len(themes)], description=f"{DESCRIPTION} {n}: stoep en groen bekeken.",
                            latitude=(point := _point(rng))[0], longitude=point[1],
                            observed_at=walk.starts_at + datetime.timedelta(seconds=n % 7200), state=state,
                            decided_at=now if state == ObservationState.PRAISE else None)
                for n in range(have, number)
            ], batch_size=1000)

        top_up(geojson_walk, GEOJSON_OBSERVATIONS, ObservationState.PRAISE)
        # What an earlier fan-out posted goes: the page shows the same 500 on every run.
        page_walk.observations.exclude(description__startswith=DESCRIPTION).delete()
        top_up(page_walk, PAGE_OBSERVATIONS, ObservationState.NEW)
        signed_up = set(WalkSignup.objects.filter(walk=page_walk).values_list("user_id", flat=True))
        WalkSignup.objects.bulk_create([WalkSignup(walk=page_walk, user=w) for w in walkers if w.pk not in signed_up])


def walk_target():
    """The walk in progress as a fan-out target: every walker follows it, and they take turns posting."""
    from bench.live_fanout import Target

    prepare()
    cookies = [Bench.session_cookie(WALKER_EMAIL.format(n=n)) for n in range(WALKERS)]
    from django.db import connections

    connections.close_all()
    rng = random.Random(PAGE_WALK)

    def body(text: str) -> dict:
        latitude, longitude = _point(rng)
        return {"client_id": str(uuid.uuid4()), "theme": "paving", "description": text,
                "latitude": str(latitude), "longitude": str(longitude)}

    return Target(follows="one walk (signed up, each with their own session)", posts="observations",
                  ws_path=f"/ws/wijkschouw/{PAGE_WALK}/", post_path=f"/api/v1/walks/{PAGE_WALK}/observations/",
                  event="observation.added", body=body, text_of=lambda data: data["properties"]["description"],
                  writers=cookies, followers=cookies)


def _latency_line(what: str, path: str, result: dict) -> str:
    latency = result["latency_ms"]
    return (f"- {what} (`{path}`): median **{latency['p50']:.0f} ms**, p95 {latency['p95']:.0f} ms, "
            f"max {latency['max']:.0f} ms ({result['requests']} requests; statuses {result['statuses']}).")


def _whole_box(url: str, rounds: int = 5) -> dict:
    """Every feature in the box through the ``next`` links, one request at a time, as a map loads it."""
    import json
    import time
    import urllib.request

    totals, pages, features = [], 0, 0
    for _ in range(rounds):
        started, following, pages, features = time.perf_counter(), url, 0, 0
        while following:
            request = urllib.request.Request(following, headers={"Accept": GEOJSON_ACCEPT})
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (our own local server)
                data = json.load(response)
            features += len(data["features"])
            following, pages = data["next"], pages + 1
        totals.append((time.perf_counter() - started) * 1000)
    return {"median_ms": sorted(totals)[len(totals) // 2], "pages": pages, "features": features}


def _latency_markdown(first: dict, one_answer: dict, whole: dict) -> str:
    return "\n".join([
        f"GeoJSON of a bounding box holding {GEOJSON_OBSERVATIONS:,} observations, anonymous, uncached, one "
        f"request at a time after a warm-up (target: median < {GEOJSON_MEDIAN_TARGET_MS} ms):",
        "",
        _latency_line("the first page, as a map asks for it", GEOJSON_PATH, first),
        f"- the whole box through the `next` links: {whole['features']:,} features in {whole['pages']} pages, "
        f"median **{whole['median_ms']:.0f} ms** in all (5 rounds)",
        _latency_line("all in one answer", GEOJSON_ONE_ANSWER_PATH, one_answer),
    ])


def run(bench: Bench) -> Section:
    from bench import live_fanout
    from bench.core import run_load

    def latency(path: str) -> dict:
        url = bench.base_url + path
        run_load(url, requests=3, concurrency=1, max_seconds=bench.max_seconds, accept=GEOJSON_ACCEPT)
        return run_load(url, requests=LATENCY_REQUESTS, concurrency=1, max_seconds=max(bench.max_seconds, 30),
                        accept=GEOJSON_ACCEPT)

    first, one_answer = latency(GEOJSON_PATH), latency(GEOJSON_ONE_ANSWER_PATH)
    whole = _whole_box(bench.base_url + GEOJSON_PATH)
    fast = all(r["latency_ms"]["p50"] < GEOJSON_MEDIAN_TARGET_MS and set(r["statuses"]) == {"200"}
               for r in (first, one_answer)) and whole["features"] == GEOJSON_OBSERVATIONS
    fanout, delivered, _rows = live_fanout.measure(bench, clients=WALKERS, posts=FANOUT_OBSERVATIONS,
                                                   prepare=walk_target, p99_target_ms=FANOUT_P99_TARGET_MS,
                                                   name="walk-fanout")
    markdown = "\n\n".join([_latency_markdown(first, one_answer, whole), "Live fan-out of new observations:", fanout])
    return Section(title="Walk-throughs: GeoJSON latency and live fan-out", markdown=markdown, ok=fast and delivered)
