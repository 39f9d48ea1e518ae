"""`make bench`: requests per second of Samenlab's pages against a bare endpoint, and their query counts.

1. Prepares a database with the demo data: its own SQLite file under .run/bench/ (or, with
   DATABASE_URL set, that database), migrated and seeded, plus what each scenario prepares.
2. Counts the queries of one uncached render of each page, in this process, against that database.
3. Starts the real ASGI server (uvicorn, one worker, DEBUG off, a generated SECRET_KEY) and loads
   the bare endpoint, each page and the bare endpoint again with bench/loadgen.py in its own process.
4. Runs the extra benchmarks (bench/scenarios.py: EXTRA_BENCHMARKS) against the same server.
5. Writes the table into docs/benchmarks.md (and the raw numbers to .run/bench/results.json).

Options: --requests, --concurrency, --max-seconds, --only NAME (repeatable: a scenario's name or an extra
benchmark's module), --no-write, --check (exit 1 when a target is missed). Wall-clock numbers belong
here, never in a test.
"""

import argparse
import datetime
import importlib
import io
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:  # run as a script: `python bench/run.py`
    sys.path.insert(0, str(BASE_DIR))

from bench import report  # noqa: E402
from bench.core import RUN_DIR, Bench, PageResult, Section, asgi_server, run_load, server_environment  # noqa: E402

WARM_UP_REQUESTS = 30


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Measure Samenlab's pages against a bare endpoint.")
    parser.add_argument("--requests", type=int, default=3000, help="requests per page (default 3000)")
    parser.add_argument("--concurrency", type=int, default=8, help="connections at once (default 8)")
    parser.add_argument("--max-seconds", type=float, default=20.0, help="time cap per page (default 20)")
    parser.add_argument("--only", action="append", default=[],
                        help="only the scenario with this name or the extra benchmark of this module (repeatable)")
    parser.add_argument("--skip-uncached", action="store_true",
                        help="do not measure anonymous pages a second time with the page cache off")
    parser.add_argument("--no-write", action="store_true", help="do not update docs/benchmarks.md")
    parser.add_argument("--check", action="store_true", help="exit 1 when a page misses a target")
    return parser.parse_args(argv)


def database_url() -> str:
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    RUN_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{RUN_DIR / 'bench.sqlite3'}"


def setup_django(env: dict[str, str]) -> None:
    """This process renders each page once to count queries: same database, no page cache."""
    os.environ.update(env)
    page_cache = os.environ.get("ANONYMOUS_PAGE_CACHE_SECONDS")
    os.environ["ANONYMOUS_PAGE_CACHE_SECONDS"] = "0"
    import django

    django.setup()  # settings are read now; the server processes started later must not inherit the 0
    if page_cache is None:
        del os.environ["ANONYMOUS_PAGE_CACHE_SECONDS"]
    else:
        os.environ["ANONYMOUS_PAGE_CACHE_SECONDS"] = page_cache


def call(name: str):
    module_name, function_name = name.split(":")
    return getattr(importlib.import_module(module_name), function_name)


def prepare_database(scenarios) -> None:
    from django.core.management import call_command

    print("Preparing the database: migrate, demo data, static files …", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    call_command("seed_demo", force=True, stdout=io.StringIO())
    call_command("collectstatic", interactive=False, verbosity=0)
    for scenario in scenarios:
        if scenario.prepare:
            print(f"  preparing {scenario.name} ({scenario.prepare})", flush=True)
            call(scenario.prepare)()


def count_queries(scenario) -> int:
    """Queries of one render, after one warm-up request (which fills per-process caches such as the site).

    Anonymous pages: with the page cache off (what a cache miss costs). Signed-in pages are never kept
    whole: they are counted as a signed-in person pays on every visit in production, with the parts that
    look the same to everyone kept for the page generation (core/templatetags/fragments.py)."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT=scenario.accept)
    if scenario.login:
        client.force_login(get_user_model().objects.get(email=scenario.login))
    with override_settings(ANONYMOUS_PAGE_CACHE_SECONDS=300 if scenario.login else 0):
        warm = client.get(scenario.path)
        if warm.status_code != 200:
            raise SystemExit(f"{scenario.name}: {scenario.path} answered {warm.status_code}, not 200; "
                             "nothing to measure.")
        with CaptureQueriesContext(connection) as queries:
            client.get(scenario.path)
    return len(queries)


def machine_facts(env: dict[str, str], args) -> dict:
    import django
    import uvicorn
    import wagtail
    from django.conf import settings
    from django.db import connection

    def git(*command):
        try:
            return subprocess.run(["git", *command], cwd=BASE_DIR, capture_output=True, text=True,
                                  check=False).stdout.strip()
        except OSError:
            return ""

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    if git("status", "--porcelain", "--untracked-files=no"):
        commit += " + local changes"
    if connection.vendor == "sqlite":
        import sqlite3

        database = f"SQLite {sqlite3.sqlite_version} (file)"
    else:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    cache_seconds = int(env.get("ANONYMOUS_PAGE_CACHE_SECONDS", "300"))
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M"),
        "cores": os.cpu_count(),
        "platform": f"{platform.system()} {platform.machine()}",
        "python": platform.python_version(),
        "django": django.get_version(),
        "wagtail": wagtail.__version__,
        "uvicorn": uvicorn.__version__,
        "database": database,
        "database_short": database.split(" (")[0],
        "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
        "page_cache": f"{cache_seconds} s" if cache_seconds else "off",
        "commit": commit,
        "requests": args.requests,
        "concurrency": args.concurrency,
        "max_seconds": args.max_seconds,
    }


def measure(base_url: str, scenario, args, cookie: str = "") -> dict:
    url = base_url + scenario.path
    run_load(url, requests=WARM_UP_REQUESTS, concurrency=args.concurrency, max_seconds=args.max_seconds, cookie=cookie,
             accept=scenario.accept)
    result = run_load(url, requests=args.requests, concurrency=args.concurrency, max_seconds=args.max_seconds,
                      cookie=cookie, accept=scenario.accept)
    print(f"  {scenario.name:32} {result['rps']:8.1f} req/s  ({result['requests']} requests, "
          f"p50 {result['latency_ms']['p50']} ms, statuses {result['statuses']})", flush=True)
    return result


def run_extra(module_name: str, bench: Bench) -> Section:
    try:
        section = importlib.import_module(module_name).run(bench)
    except Exception as error:  # a broken extra must not cost us the page table
        return Section(title=module_name, markdown=f"Failed: `{type(error).__name__}: {error}`", ok=False)
    print(f"  {section.title}: done", flush=True)
    return section


def main(argv=None) -> int:
    args = parse_args(argv)
    env = server_environment(database_url())
    setup_django(env)

    from bench.scenarios import BARE, EXTRA_BENCHMARKS, MAX_QUERIES, SCENARIOS, TARGET_ANONYMOUS, TARGET_SIGNED_IN

    scenarios = [s for s in SCENARIOS if not args.only or s.name in args.only]
    extras = [name for name in EXTRA_BENCHMARKS if not args.only or name in args.only]
    prepare_database(scenarios)

    print("Counting queries …", flush=True)
    queries = {scenario.name: count_queries(scenario) for scenario in [BARE, *scenarios]}
    cookies = {s.name: Bench.session_cookie(s.login) for s in scenarios if s.login}
    meta = machine_facts(env, args)
    from django.db import connections

    connections.close_all()  # the server has the database to itself while it is measured

    print(f"Measuring ({meta['cores']} cores, {meta['database']}) …", flush=True)
    with asgi_server(env) as base_url:
        bare_runs = [measure(base_url, BARE, args)]
        loads = {s.name: measure(base_url, s, args, cookies.get(s.name, "")) for s in scenarios}
        bare_runs.append(measure(base_url, BARE, args))
        bench = Bench(base_url=base_url, env=env, requests=args.requests, concurrency=args.concurrency,
                      max_seconds=args.max_seconds)
        sections = [run_extra(name, bench) for name in extras]
    uncached = {}
    anonymous = [s for s in scenarios if s.audience == "anonymous"]
    if anonymous and not args.skip_uncached:
        print("Measuring anonymous pages again with the page cache off (what a cache miss costs) …", flush=True)
        with asgi_server({**env, "ANONYMOUS_PAGE_CACHE_SECONDS": "0"}, name="uncached") as base_url:
            uncached = {s.name: measure(base_url, s, args) for s in anonymous}

    bare_rps = sum(run["rps"] for run in bare_runs) / len(bare_runs)
    targets = {"anonymous": TARGET_ANONYMOUS, "signed-in": TARGET_SIGNED_IN}
    results = [PageResult(BARE, {**bare_runs[0], "rps": bare_rps, "requests": sum(r["requests"] for r in bare_runs)},
                          queries[BARE.name])]
    for scenario in scenarios:
        load = loads[scenario.name]
        results.append(PageResult(scenario, load, queries[scenario.name], ratio=load["rps"] / bare_rps,
                                  target=scenario.target or targets[scenario.audience],
                                  uncached=uncached.get(scenario.name)))

    print("\n" + "\n".join(
        f"{r.scenario.name:32} {r.load['rps']:8.1f} req/s  {report.percent(r.ratio):>8} of bare  "
        f"{r.queries} queries  {'ok' if r.meets_targets else 'BELOW TARGET'}" for r in results))
    RUN_DIR.mkdir(parents=True, exist_ok=True)
    (RUN_DIR / "results.json").write_text(json.dumps({
        "meta": meta, "bare_runs": bare_runs,
        "pages": [{"name": r.scenario.name, "path": r.scenario.path, "audience": r.scenario.audience,
                   "load": r.load, "uncached_load": r.uncached, "queries": r.queries, "ratio": r.ratio}
                  for r in results],
        "extra": [{"title": s.title, "ok": s.ok, "markdown": s.markdown} for s in sections],
    }, indent=2))
    if not args.no_write:
        latest = report.latest_markdown(meta=meta, bare_runs=bare_runs, results=results, sections=sections,
                                        max_queries=MAX_QUERIES)
        report.write(BASE_DIR / "docs" / "benchmarks.md", latest=latest,
                     history_line=report.history_row(meta=meta, bare_rps=bare_rps, results=results))
        print("Written to docs/benchmarks.md")
    missed = [r.scenario.name for r in results if not r.meets_targets] + [s.title for s in sections if not s.ok]
    if missed:
        print(f"Below target or failed: {', '.join(missed)}")
    return 1 if (args.check and missed) else 0


if __name__ == "__main__":
    sys.exit(main())
