"""Counting a village budget: 2,000 ballots by Equal Shares, the issue's target "in well under a second".

Run on its own (``python bench/counting.py [--ballots 2000] [--repeat 5]``), or as an extra benchmark of
``make bench`` (``run(bench) -> Section``; list ``"bench.counting"`` in bench/scenarios.py: EXTRA_BENCHMARKS).
No server and no database: the counting core is pure Python.

The election is seeded random but shaped like a real one: 20 projects of €2,000 to €25,000 for a budget of
€100,000 (€50 per voter), knapsack ballots, and some projects far more popular than others. Each rule is
counted ``repeat`` times; the fastest and the median time are reported.
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:  # run as a script: `python bench/counting.py`
    sys.path.insert(0, str(BASE_DIR))

from voting.counting import Ballot, Completion, Election, Knapsack, Method, Points, Project, count  # noqa: E402

BALLOTS = 2000
PROJECTS = 20
BUDGET = 100_000
TARGET_SECONDS = 1.0
RULES = [("Greedy", Method.GREEDY, Completion.NONE),
         ("Equal Shares", Method.EQUAL_SHARES, Completion.NONE),
         ("Equal Shares + add1", Method.EQUAL_SHARES, Completion.ADD1),
         ("Equal Shares + add1 + greedy", Method.EQUAL_SHARES, Completion.ADD1_GREEDY)]


def village_election(ballots: int, points: bool = False, seed: int = 2026) -> Election:
    rng = random.Random(seed)
    projects = tuple(Project(f"p{n}", rng.randrange(2_000, 25_001, 50), f"Project {n}") for n in range(1, PROJECTS + 1))
    popularity = [rng.random() ** 2 for _ in projects]  # a few favourites, a long tail
    cast = []
    for _ in range(ballots):
        chosen, spent = [], 0
        for project in rng.choices(projects, weights=popularity, k=8):
            if project.id not in chosen and spent + project.cost <= BUDGET:
                chosen.append(project.id)
                spent += project.cost
        if points:
            given = dict.fromkeys(chosen[:5], 1)
            for project_id in rng.choices(list(given), k=10 - len(given)):
                given[project_id] += 1
            cast.append(Ballot(given))
        else:
            cast.append(Ballot.approving(chosen))
    return Election(projects, BUDGET, Points(total=10) if points else Knapsack(), tuple(cast))


def measure(ballots: int = BALLOTS, repeat: int = 5) -> list[dict]:
    rows = []
    for kind in ("knapsack", "points"):
        election = village_election(ballots, points=kind == "points")
        for name, method, completion in RULES:
            times, outcome = [], None
            for _ in range(repeat):
                started = time.perf_counter()
                outcome = count(election, method=method, completion=completion, seed="bench")
                times.append(time.perf_counter() - started)
            rows.append({"ballots": kind, "rule": name, "best": min(times), "median": statistics.median(times),
                         "funded": len(outcome.selected), "spent": float(outcome.spent / election.budget),
                         "voter_budget": float(outcome.voter_budget) if outcome.voter_budget else None})
    return rows


def table(rows: list[dict], ballots: int) -> str:
    lines = [f"{ballots:,} ballots, {PROJECTS} projects, budget €{BUDGET:,} (target for Equal Shares: "
             f"< {TARGET_SECONDS:.0f} s).", "",
             "| ballots | rule | fastest | median | funded | budget spent | share per voter |",
             "|---|---|---:|---:|---:|---:|---:|"]
    for row in rows:
        share = f"€{row['voter_budget']:.2f}" if row["voter_budget"] else "–"
        lines.append(f"| {row['ballots']} | {row['rule']} | {row['best'] * 1000:.1f} ms "
                     f"| {row['median'] * 1000:.1f} ms | {row['funded']} | {row['spent']:.0%} | {share} |")
    return "\n".join(lines)


def run(bench=None):
    from bench.core import Section

    rows = measure()
    plain = [row for row in rows if row["rule"] == "Equal Shares"]
    return Section(title="Counting a village budget by Equal Shares", markdown=table(rows, BALLOTS),
                   ok=all(row["median"] < TARGET_SECONDS for row in plain))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Time the counting of a village budget.")
    parser.add_argument("--ballots", type=int, default=BALLOTS)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    rows = measure(args.ballots, args.repeat)
    print(table(rows, args.ballots))
    return 0


if __name__ == "__main__":
    sys.exit(main())
