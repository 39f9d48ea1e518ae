"""What `make bench` measures. Add a line here when an app brings a page or API list worth measuring.

A ``PageScenario`` is one URL, loaded by the load generator against the real ASGI server and rendered
once more in the bench process to count its queries. Its requests per second are reported as a
ratio to the bare endpoint (``HttpResponse("ok")`` through the full middleware) in the same run.

``prepare`` names a function ``"module:function"`` that the bench calls once, with Django set up and
the demo data loaded, before anything is measured; use it to build volume (e.g. 1,000 initiatives).
It must be safe to call on every run (get-or-create, or "top up to N").

``EXTRA_BENCHMARKS`` names modules for measurements that are not one page, such as WebSocket fan-out.
Each module has ``run(bench) -> Section``; see ``bench.core.Bench`` for what it gets (the base URL of
the running server, a way to start more servers, the load generator) and ``bench.core.Section`` for
what it returns (a heading and Markdown for docs/benchmarks.md).
"""

from bench import voting, walks, workshops
from bench.core import PageScenario

# Performance targets from DESIGN.md ("Performance targets"), as a share of the bare endpoint.
TARGET_ANONYMOUS = 0.25
TARGET_SIGNED_IN = 0.10
MAX_QUERIES = 10
# The walk-throughs issue: the GeoJSON of a box of 10,000 observations, uncached, at 20 % (and ≤ 5 queries).
TARGET_GEOJSON = 0.20

BARE = PageScenario("Bare endpoint", "/bench/bare/", audience="bare")

SCENARIOS = [
    PageScenario("Home page", "/", audience="anonymous"),
    PageScenario("Kern page (Arkel)", "/kernen/arkel/", audience="anonymous"),
    PageScenario("Home page, signed in", "/", audience="signed-in", login="jan@example.org"),
    PageScenario("Kern page (Bleskensgraaf), signed in", "/kernen/bleskensgraaf/", audience="signed-in",
                 login="jan@example.org"),
    PageScenario("Mijn Samenlab", "/mijn/", audience="signed-in", login="jan@example.org"),
    PageScenario("Notification centre", "/mijn/meldingen/", audience="signed-in", login="jan@example.org"),
    PageScenario("Initiatives, 1,000 with 10,000 pledges", "/initiatieven/", audience="anonymous",
                 prepare="bench.initiatives:prepare"),
    PageScenario("Initiatives, most supported first", "/initiatieven/?sort=most_supported", audience="anonymous",
                 prepare="bench.initiatives:prepare"),
    PageScenario("Initiatives, signed in", "/initiatieven/", audience="signed-in", login="jan@example.org",
                 prepare="bench.initiatives:prepare"),
    # The first demo initiative (funding, with pledges, a match fund and a discussion).
    PageScenario("Initiative page", "/initiatieven/1/", audience="anonymous"),
    PageScenario("Initiative page, signed in", "/initiatieven/1/", audience="signed-in", login="jan@example.org"),
    # The API is not page-cached: every request writes its page (the first 1,000 of the box's 10,000) afresh.
    PageScenario("GeoJSON, 10,000 observations in a bbox", walks.GEOJSON_PATH, audience="anonymous",
                 prepare="bench.walks:prepare", target=TARGET_GEOJSON, max_queries=5, accept=walks.GEOJSON_ACCEPT),
    PageScenario("Walk page, 500 observations, signed in", walks.PAGE_PATH, audience="signed-in",
                 login=walks.FIRST_WALKER, prepare="bench.walks:prepare"),
    # The workshops issue: a board with 60 participants and 600 cards, ≤ 10 queries.
    PageScenario("Workshop board, 600 cards, a participant", workshops.BOARD_PATH, audience="signed-in",
                 login=workshops.PARTICIPANT, prepare="bench.workshops:prepare"),
    PageScenario("Workshop board, 600 cards, the facilitator", workshops.BOARD_PATH, audience="signed-in",
                 login=workshops.FACILITATOR, prepare="bench.workshops:prepare"),
    # The voting issue: a village budget with 200 projects and 2,000 ballots, ≤ 10 queries.
    PageScenario("Village budget, 200 projects", voting.BUDGET_PATH, audience="anonymous",
                 prepare="bench.voting:prepare"),
    PageScenario("Village budget, 200 projects, signed in", voting.BUDGET_PATH, audience="signed-in",
                 login=voting.VOTER, prepare="bench.voting:prepare"),
    PageScenario("Ballot, 200 projects, a resident", voting.BALLOT_PATH, audience="signed-in", login=voting.VOTER,
                 prepare="bench.voting:prepare"),
]

EXTRA_BENCHMARKS: list[str] = [
    "bench.counting",
    "bench.letters",
    "bench.live_fanout",
    "bench.walks",
    "bench.workshops",
]
