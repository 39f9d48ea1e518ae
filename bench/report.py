"""Writing a run into docs/benchmarks.md: the latest table replaces the previous one, history grows."""

import re
from pathlib import Path

from bench.core import PageResult, Section

LATEST = ("<!-- bench:latest:start -->", "<!-- bench:latest:end -->")
HISTORY = ("<!-- bench:history:start -->", "<!-- bench:history:end -->")
HISTORY_HEADER = (
    "| Date (UTC) | Commit | Database | Bare req/s | Pages: req/s as % of bare (queries) |\n|---|---|---|---|---|"
)


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.1f} %"


def _queries(result: PageResult) -> str:
    if result.queries is None:
        return "–"
    own_limit = result.scenario.max_queries
    return f"{result.queries} (≤ {own_limit})" if own_limit else str(result.queries)


def latest_markdown(*, meta: dict, bare_runs: list[dict], results: list[PageResult], sections: list[Section],
                    max_queries: int) -> str:
    lines = [
        f"### Latest run: {meta['date']}",
        "",
        f"- Machine: {meta['cores']} CPU cores ({meta['platform']}), shared with other work while measuring",
        f"- Python {meta['python']}, Django {meta['django']}, Wagtail {meta['wagtail']}, uvicorn {meta['uvicorn']}",
        f"- Database: {meta['database']}; cache: {meta['cache']}; anonymous page cache: {meta['page_cache']}",
        f"- Server: one uvicorn worker, DEBUG off; commit {meta['commit']}",
        f"- Load: up to {meta['requests']} requests or {meta['max_seconds']:g} s per page, {meta['concurrency']} "
        "keep-alive connections, on loopback, after a warm-up",
        "",
        "| Page | Path | Who | Requests | Req/s | % of bare | Target | Queries | Meets targets "
        "| Uncached req/s (% of bare) |",
        "|---|---|---|---:|---:|---:|---:|---:|---|---:|",
    ]
    bare_mean = sum(run["rps"] for run in bare_runs) / len(bare_runs)
    for result in results:
        scenario, load = result.scenario, result.load
        uncached = (f"{result.uncached['rps']:.0f} ({percent(result.uncached['rps'] / bare_mean)})"
                    if result.uncached else "–")
        lines.append(
            f"| {scenario.name} | `{scenario.path}` | {scenario.audience} | {load['requests']} | {load['rps']:.0f} | "
            f"{percent(result.ratio) if scenario.audience != 'bare' else '100 %'} | "
            f"{'≥ ' + percent(result.target) if result.target else '–'} | "
            f"{_queries(result)} | {'yes' if result.meets_targets else '**no**'} "
            f"| {uncached} |"
        )
    bare_rps = [run["rps"] for run in bare_runs]
    lines += [
        "",
        f"The bare endpoint was measured before and after the pages: {' and '.join(f'{r:.0f}' for r in bare_rps)} "
        f"req/s; the ratios use the mean. Queries are counted for one uncached render (≤ {max_queries} is the "
        "target), after one warm-up request. Anonymous pages are served by the anonymous page cache after "
        "the warm-up; the last column is the same page from a second server with that cache off, which is "
        "what every visitor would pay without it (and what the first visitor after a publish pays).",
    ]
    failures = {r.scenario.name: r.load["statuses"] for r in results
                if set(r.load["statuses"]) - {"200"}}
    if failures:
        lines += ["", "Responses other than 200 (these runs do not count): "
                  + "; ".join(f"{name}: {statuses}" for name, statuses in failures.items())]
    for section in sections:
        lines += ["", f"#### {section.title}", "", section.markdown.strip()]
    return "\n".join(lines)


def history_row(*, meta: dict, bare_rps: float, results: list[PageResult]) -> str:
    pages = "; ".join(f"{r.scenario.name} {percent(r.ratio)} ({r.queries})" for r in results
                      if r.scenario.audience != "bare")
    return f"| {meta['date']} | {meta['commit']} | {meta['database_short']} | {bare_rps:.0f} | {pages} |"


def _replace_between(text: str, markers: tuple[str, str], body: str) -> str:
    start, end = markers
    block = f"{start}\n{body}\n{end}"
    if start in text and end in text:
        return re.sub(re.escape(start) + r".*?" + re.escape(end), lambda _m: block, text, count=1, flags=re.S)
    return text.rstrip("\n") + "\n\n" + block + "\n"


def write(path: Path, *, latest: str, history_line: str) -> None:
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    text = _replace_between(text, LATEST, latest)
    start, end = HISTORY
    if start in text and end in text:
        old = text.split(start, 1)[1].split(end, 1)[0].strip("\n")
        rows = [line for line in old.splitlines() if line.startswith("| 20")]
    else:
        rows = []
    text = _replace_between(text, HISTORY, "\n".join([HISTORY_HEADER, *rows, history_line]))
    path.write_text(text)
