"""Mutation testing for the services that guard money and live events (``make mutate``; not part of ``make test``).

    python scripts/mutate.py [--files live/services.py,initiatives/services/funds.py] [--db sqlite|postgres|both]

For every mutable spot in the chosen files (see ``OPERATORS`` below) the runner makes one mutant: a copy of the
function with that one change, compiled and swapped in as the live function's ``__code__`` (so every
``from x import f`` sees it too). Each mutant runs the focused tests that execute its line in a forked child of
one pytest session: Django, the test database and the collected tests are set up once, a child dies with
whatever state a mutant breaks, and a child that runs too long is killed ("timeout", counted as detected).

How it works, per database pass (a pytest process of its own, because the settings read DATABASE_URL once):
  1. baseline: every focused test runs once, unmutated, with a line tracer (main thread and every thread the
     tests start) recording which test executes which line of the target files, and how long it takes;
  2. per mutant: fork; the child swaps in the mutated code and runs the tests that covered the mutated lines,
     fastest first, stopping at the first failure (killed); all pass = survived; no test reached the line =
     "uncovered" (a survivor too);
  3. results go to .run/mutate-<db>.json; the driver prints killed / survived / timeout per file and writes the
     survivors (with the changed line) to .run/mutants-survived.txt.

Limits (honest ones): tests that start a separate server process (marker ``server``) or a browser never see the
mutated code, so they are left out; mutations are made inside function bodies only (module constants and
default arguments are not mutated).
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUN = ROOT / ".run"

# The files under test and the tests that exercise them (a mutant runs only those that execute its line).
_INITIATIVES = ["tests/initiatives/test_pledges.py", "tests/initiatives/test_properties.py",
                "tests/initiatives/test_concurrency_postgres.py", "tests/initiatives/test_lifecycle.py",
                "tests/initiatives/test_guards.py", "tests/initiatives/test_guards_postgres.py",
                "tests/initiatives/test_match_per_person.py", "tests/initiatives/test_second_submission.py",
                "tests/initiatives/test_guards_money.py", "tests/community/test_privacy.py"]
FOCUS = {
    # Voting: one ballot per voter across channels and servers, codes, paper entered twice, the published count.
    "voting/services/casting.py": ["tests/voting/app"],
    "voting/services/choices.py": ["tests/voting/app"],
    "voting/services/drafts.py": ["tests/voting/app"],
    "voting/services/codes.py": ["tests/voting/app"],
    "voting/services/paper.py": ["tests/voting/app"],
    "voting/services/results.py": ["tests/voting/app"],
    "voting/services/budgets/budgets.py": ["tests/voting/app"],
    "voting/services/budgets/projects.py": ["tests/voting/app"],
    "voting/services/budgets/_checks.py": ["tests/voting/app"],
    "voting/services/polls.py": ["tests/voting/app"],
    "voting/services/_common.py": ["tests/voting/app"],
    # Supports that reach the village council's agenda, once, under parallel supports.
    "initiatives/services/agenda.py": ["tests/initiatives/test_council_agenda.py",
                                       "tests/initiatives/test_council_agenda_rules.py",
                                       "tests/initiatives/test_council_agenda_views.py",
                                       "tests/initiatives/test_council_agenda_postgres.py"],
    "initiatives/services/pledges.py": _INITIATIVES,
    "initiatives/services/funds.py": _INITIATIVES,
    "live/services.py": ["tests/live", "tests/discussion/test_services.py", "tests/discussion/test_consumer.py",
                         "tests/discussion/test_rate_limit_postgres.py", "tests/discussion/test_replay_property.py"],
    "initiatives/services/engagement.py": [*_INITIATIVES, "tests/initiatives/test_views.py",
                                           "tests/initiatives/test_council_agenda.py",
                                           "tests/initiatives/test_council_agenda_postgres.py",
                                           "tests/community/test_who_hears_what.py",
                                           "tests/initiatives/test_api.py",  # support/follow/news: web and API
                                           "tests/initiatives/test_engagement_races.py",
                                           "tests/initiatives/test_guards_engagement.py"],
    # Who may post, react, report and moderate in a discussion, and who hears of it.
    "discussion/services.py": ["tests/discussion", "tests/community/test_who_hears_what.py"],
    # The life of an initiative: submitting, deciding, deadlines, and who is told at each step.
    "initiatives/services/_common.py": [*_INITIATIVES, "tests/initiatives/test_team.py",
                                        "tests/initiatives/test_council_agenda.py",
                                        "tests/initiatives/test_council_agenda_postgres.py",
                                        "tests/initiatives/test_kern_block_kept.py",
                                        "tests/initiatives/test_list_kept.py"],
    "initiatives/services/lifecycle.py": [*_INITIATIVES, "tests/initiatives/test_team.py",
                                          "tests/initiatives/test_rules.py", "tests/community/test_who_hears_what.py",
                                          "tests/community/test_mijn_samenlab.py",
                                          "tests/initiatives/test_kept_initiative_page.py"],
    # Photos of initiatives: who may add and remove them, their files, and the pages that keep them.
    "initiatives/services/photos.py": ["tests/initiatives/test_photo_service.py",
                                       "tests/initiatives/test_photo_files.py", "tests/initiatives/test_images.py",
                                       "tests/initiatives/test_views.py",
                                       "tests/initiatives/test_kept_initiative_page.py",
                                       "tests/initiatives/test_photo_guards.py"],
    "initiatives/services/notifications.py": ["tests/community/test_who_hears_what.py",
                                              "tests/initiatives/test_council_agenda.py",
                                              "tests/community/test_notification_mechanism.py",
                                              "tests/community/test_mijn_samenlab.py",
                                              "tests/initiatives/test_lifecycle.py"],
    # Who is told, once, after commit, and the live unread count.
    "community/notifications/services.py": ["tests/community/test_notification_mechanism.py",
                                            "tests/community/test_who_hears_what.py",
                                            "tests/community/test_notification_email.py",
                                            "tests/community/test_notification_pages.py"],
    # Walks: observations and photos a phone may send again, sign-ups to a full walk, triage, the outbox.
    "maps/services/observations.py": ["tests/maps/test_observations.py", "tests/maps/test_walk_api.py",
                                      "tests/maps/test_walk_concurrency_postgres.py", "tests/maps/test_walk_live.py"],
    "maps/services/walks.py": ["tests/maps/test_walk_services.py", "tests/maps/test_walk_concurrency_postgres.py",
                               "tests/maps/test_walk_pages.py", "tests/maps/test_walk_service_guards.py"],
    "maps/services/_common.py": ["tests/maps/test_walk_services.py", "tests/maps/test_walk_service_guards.py",
                                 "tests/maps/test_observations.py", "tests/maps/test_triage.py",
                                 "tests/maps/test_walk_concurrency_postgres.py"],
    "maps/services/triage.py": ["tests/maps/test_triage.py", "tests/maps/test_walk_concurrency_postgres.py",
                                "tests/maps/test_observations.py", "tests/maps/test_walk_api.py",
                                "tests/maps/test_handoff_status.py"],
    "maps/handoff/outbox.py": ["tests/maps/test_handoff_outbox.py", "tests/maps/test_handoff_never_twice.py",
                               "tests/maps/test_handoff_status.py", "tests/maps/test_handoff_open311.py",
                               "tests/maps/test_handoff_concurrency_postgres.py"],
    # Workshops: cards a phone may send again, dots counted under a lock, what the board's stream may carry.
    "lab/workshops/services/cards.py": ["tests/lab/workshops/test_card_photos.py", "tests/lab/workshops/test_cards.py",
                                        "tests/lab/workshops/test_services.py",
                                        "tests/lab/workshops/test_concurrency_postgres.py",
                                        "tests/lab/workshops/test_api.py",
                                        "tests/lab/workshops/test_service_guards.py"],
    "lab/workshops/services/votes.py": ["tests/lab/workshops/test_votes.py", "tests/lab/workshops/test_services.py",
                                        "tests/lab/workshops/test_concurrency_postgres.py",
                                        "tests/lab/workshops/test_service_guards.py"],
    "lab/workshops/services/workshops.py": ["tests/lab/workshops/test_services.py",
                                            "tests/lab/workshops/test_votes.py", "tests/lab/workshops/test_cards.py",
                                            "tests/lab/workshops/test_service_guards.py",
                                            "tests/lab/test_workshop_feedback.py"],  # the end asks everyone
    # The locks, the rule and the stream every workshop service goes through.
    "lab/workshops/services/_common.py": ["tests/lab/workshops/test_services.py", "tests/lab/workshops/test_cards.py",
                                          "tests/lab/workshops/test_votes.py",
                                          "tests/lab/workshops/test_concurrency_postgres.py",
                                          "tests/lab/workshops/test_service_guards.py"],
    # Asking a workshop's people how it was: one invitation, one link, one answer per seat.
    "lab/workshops/services/feedback.py": ["tests/lab/test_workshop_feedback.py",
                                           "tests/lab/workshops/test_services.py", "tests/lab/test_feedback_guards.py"],
    # What happens with an idea: decided once, by facilitators and staff, and told at each change of status.
    # Planning from a journey (a template or a file) and keeping a workshop's journey as a template.
    "lab/workshops/services/journeys.py": ["tests/lab/test_journey_json.py", "tests/lab/test_journey_templates_ui.py",
                                           "tests/lab/test_journey_templates_page.py"],
    "lab/workshops/services/photos.py": ["tests/lab/workshops/test_card_photos.py",
                                         "tests/lab/workshops/test_personas.py"],
    "lab/workshops/services/personas.py": ["tests/lab/workshops/test_personas.py"],
    "lab/workshops/services/payloads.py": ["tests/lab/workshops/test_cards.py",
                                           "tests/lab/workshops/test_card_photos.py",
                                           "tests/lab/workshops/test_api.py", "tests/lab/workshops/test_privacy.py",
                                           "tests/lab/workshops/test_api_card_photos.py"],
    "lab/workshops/services/follow_up.py": ["tests/lab/test_idea_follow_up.py", "tests/lab/test_workshop_outcomes.py",
                                            "tests/lab/workshops/test_rules.py",
                                            "tests/lab/workshops/test_service_guards.py"],
    # Feedback: one invitation per person, one-time links, one answer per invitation under a lock.
    "lab/feedback/services.py": ["tests/lab/test_services.py", "tests/lab/test_concurrency_postgres.py",
                                 "tests/lab/test_privacy.py", "tests/lab/test_rules.py", "tests/lab/test_subjects.py",
                                 "tests/lab/test_views.py", "tests/lab/test_workshop_feedback.py",
                                 "tests/maps/test_walk_services.py", "tests/lab/test_feedback_guards.py"],
}
DEFAULT_DATABASE_URL = "postgres://samenlab:samenlab@127.0.0.1:5432/samenlab_mutate"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/7"


# --------------------------------------------------------------------------------------------------- mutants

QUERYSET_METHODS = {"select_for_update", "filter", "exclude", "order_by", "distinct", "select_related"}
KEYWORD_CALLS = {"filter", "exclude", "get", "get_or_create", "create", "update", "quantize"}
COMPARE_SWAPS = {
    ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq,
    ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is,
}
BINOP_SWAPS = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult}
OP_TEXT = {
    ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=", ast.In: "in",
    ast.NotIn: "not in", ast.Is: "is", ast.IsNot: "is not", ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/",
    ast.And: "and", ast.Or: "or",
}
OPERATORS = """\
compare      < <= > >= == != in / not in, is / is not: each swapped for its boundary or opposite
boolean      and <-> or; `not x` -> `x`; True <-> False
arithmetic   + <-> -, * <-> /, += <-> -=, min() <-> max()
number       n -> n + 1
guard        `if cond:` -> `if False:` (the guard never fires)
statement    an expression statement (a call: save, on_commit, invalidate..., return_match) removed
atomic       `with transaction.atomic():` -> its body without the transaction
lock         `.select_for_update()` dropped; `lock_initiative(x)` -> a plain, unlocked read of the row
query        `.filter(...)` / `.exclude(...)` / `.order_by(...)` ... dropped from a chain; one keyword dropped
             from filter/get/get_or_create/create/update/quantize
on_commit    `transaction.on_commit(f)` -> `f()` (sent before commit)
loop         continue -> break; `x[:n]` -> `x`
"""


def _call_name(node: ast.AST) -> str:
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return ""


class Mutator(ast.NodeTransformer):
    """Walks function bodies; numbers each mutation point; applies the one numbered ``target`` (-1: none)."""

    def __init__(self, target: int = -1):
        self.target = target
        self.count = 0
        self.points: list[dict] = []
        self.qualname: list[str] = []
        self.depth = 0  # > 0 inside a function body
        self.applied = False

    # -- bookkeeping
    def _point(self, node: ast.AST, description: str) -> bool:
        index = self.count
        self.count += 1
        self.points.append({
            "index": index, "function": ".".join(self.qualname), "line": node.lineno,
            "end_line": getattr(node, "end_lineno", node.lineno) or node.lineno, "description": description,
        })
        if index == self.target:
            self.applied = True
            return True
        return False

    def _in_function(self) -> bool:
        return self.depth > 0

    # -- scopes: mutate function bodies only (not decorators, defaults, annotations, docstrings)
    def visit_ClassDef(self, node):
        self.qualname.append(node.name)
        node.body = [self.visit(stmt) for stmt in node.body]
        self.qualname.pop()
        return node

    def visit_FunctionDef(self, node):
        self.qualname.append(node.name)
        body = node.body
        start = 1 if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) else 0
        self.depth += 1
        node.body = body[:start] + self._visit_body(body[start:])
        self.depth -= 1
        self.qualname.pop()
        return node

    visit_AsyncFunctionDef = visit_FunctionDef

    def _visit_body(self, body: list[ast.stmt]) -> list[ast.stmt]:
        out: list[ast.stmt] = []
        for stmt in body:
            result = self.visit(stmt)
            if isinstance(result, list):
                out.extend(result)
            elif result is not None:
                out.append(result)
        return out or [ast.Pass()]

    def generic_visit(self, node):
        for name, value in ast.iter_fields(node):
            if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
                setattr(node, name, self._visit_body(value))
            elif isinstance(value, list):
                new = []
                for item in value:
                    if isinstance(item, ast.AST):
                        item = self.visit(item)
                        if item is None:
                            continue
                    new.append(item)
                setattr(node, name, new)
            elif isinstance(value, ast.AST):
                setattr(node, name, self.visit(value))
        return node

    # -- statements
    def visit_Expr(self, node):
        if self._in_function() and isinstance(node.value, ast.Call) \
                and self._point(node, f"removed the call `{_short(node.value)}`"):
            return ast.copy_location(ast.Pass(), node)
        return self.generic_visit(node)

    def visit_If(self, node):
        if self._in_function() and self._point(node, f"`if {_short(node.test)}:` -> `if False:`"):
            node.test = ast.copy_location(ast.Constant(False), node.test)
            return node
        return self.generic_visit(node)

    def visit_With(self, node):
        if self._in_function() and len(node.items) == 1 and _call_name(node.items[0].context_expr) == "atomic" \
                and self._point(node, "removed `with transaction.atomic():` (body runs without it)"):
            return self._visit_body(node.body)
        return self.generic_visit(node)

    def visit_Continue(self, node):
        if self._in_function() and self._point(node, "`continue` -> `break`"):
            return ast.copy_location(ast.Break(), node)
        return node

    def visit_AugAssign(self, node):
        op = type(node.op)
        if self._in_function() and op in (ast.Add, ast.Sub) \
                and self._point(node, f"`{OP_TEXT[op]}=` -> `{OP_TEXT[BINOP_SWAPS[op]]}=`"):
            node.op = BINOP_SWAPS[op]()
            return node
        return self.generic_visit(node)

    # -- expressions
    def visit_Compare(self, node):
        if self._in_function():
            for i, op in enumerate(node.ops):
                new = COMPARE_SWAPS.get(type(op))
                if new and self._point(node, f"`{OP_TEXT[type(op)]}` -> `{OP_TEXT[new]}` in `{_short(node)}`"):
                    node.ops[i] = new()
                    return node
        return self.generic_visit(node)

    def visit_BoolOp(self, node):
        if self._in_function():
            new = ast.Or if isinstance(node.op, ast.And) else ast.And
            if self._point(node, f"`{OP_TEXT[type(node.op)]}` -> `{OP_TEXT[new]}` in `{_short(node)}`"):
                node.op = new()
                return node
        return self.generic_visit(node)

    def visit_UnaryOp(self, node):
        if self._in_function() and isinstance(node.op, ast.Not) and self._point(node, f"`{_short(node)}` -> "
                                                                                     f"`{_short(node.operand)}`"):
            return node.operand
        return self.generic_visit(node)

    def visit_BinOp(self, node):
        op = type(node.op)
        if self._in_function() and op in BINOP_SWAPS \
                and self._point(node, f"`{OP_TEXT[op]}` -> `{OP_TEXT[BINOP_SWAPS[op]]}` in `{_short(node)}`"):
            node.op = BINOP_SWAPS[op]()
            return node
        return self.generic_visit(node)

    def visit_Constant(self, node):
        if not self._in_function():
            return node
        if isinstance(node.value, bool):
            if self._point(node, f"`{node.value}` -> `{not node.value}`"):
                return ast.copy_location(ast.Constant(not node.value), node)
        elif isinstance(node.value, int | float) and self._point(node, f"`{node.value}` -> `{node.value + 1}`"):
            return ast.copy_location(ast.Constant(node.value + 1), node)
        return node

    def visit_Subscript(self, node):
        if self._in_function() and isinstance(node.slice, ast.Slice) and node.slice.lower is None \
                and node.slice.step is None and node.slice.upper is not None \
                and self._point(node, f"`{_short(node)}` -> `{_short(node.value)}` (no limit)"):
            return self.generic_visit(node.value) or node.value
        return self.generic_visit(node)

    def visit_Call(self, node):
        if not self._in_function():
            return self.generic_visit(node)
        name = _call_name(node)
        func = node.func
        if isinstance(func, ast.Name) and name in ("min", "max"):
            other = "max" if name == "min" else "min"
            if self._point(node, f"`{name}(...)` -> `{other}(...)`"):
                node.func = ast.copy_location(ast.Name(other, ast.Load()), func)
                return node
        if isinstance(func, ast.Name) and name == "lock_initiative" and len(node.args) == 1 \
                and self._point(node, f"`{_short(node)}` -> unlocked `Initiative.objects.get(...)`"):
            arg = node.args[0]
            pk = ast.Call(ast.Name("getattr", ast.Load()), [arg, ast.Constant("pk"), arg], [])
            new = ast.Call(ast.Attribute(ast.Attribute(ast.Name("Initiative", ast.Load()), "objects", ast.Load()),
                                         "get", ast.Load()), [], [ast.keyword("pk", pk)])
            return ast.copy_location(new, node)
        if name == "on_commit" and len(node.args) == 1 \
                and self._point(node, "`transaction.on_commit(f)` -> `f()` (runs before commit)"):
            return ast.copy_location(ast.Call(self.visit(node.args[0]), [], []), node)
        if isinstance(func, ast.Attribute) and name in QUERYSET_METHODS \
                and isinstance(func.value, ast.Call | ast.Attribute) \
                and self._point(node, f"dropped `.{name}({_short_args(node)})`"):
            return self.visit(func.value)
        single_filter = name in QUERYSET_METHODS and len(node.keywords) == 1 and not node.args
        if name in KEYWORD_CALLS and node.keywords and not single_filter:  # (a lone filter kwarg: dropped above)
            for i, keyword in enumerate(node.keywords):
                if keyword.arg and self._point(node, f"dropped `{keyword.arg}=` from `.{name}(...)`"):
                    del node.keywords[i]
                    return self.generic_visit(node)
        return self.generic_visit(node)


def _short(node: ast.AST, limit: int = 70) -> str:
    text = ast.unparse(node).replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _short_args(node: ast.Call) -> str:
    return "..." if (node.args or node.keywords) else ""


def mutation_points(source: str) -> list[dict]:
    mutator = Mutator()
    mutator.visit(ast.parse(source))
    return mutator.points


def mutated_code(source: str, filename: str, index: int) -> tuple[str, object]:
    """(qualname of the mutated function, its new code object)."""
    tree = ast.parse(source)
    mutator = Mutator(index)
    tree = mutator.visit(tree)
    assert mutator.applied, index
    ast.fix_missing_locations(tree)
    module_code = compile(tree, filename, "exec", dont_inherit=True)
    qualname = mutator.points[index]["function"]
    for code in _walk_code(module_code):
        if code.co_qualname == qualname:
            return qualname, code
    raise LookupError(qualname)


def _walk_code(code):
    for const in code.co_consts:
        if hasattr(const, "co_qualname"):
            yield const
            yield from _walk_code(const)


def live_functions(module) -> dict[str, object]:
    found = {}

    def add(obj):
        func = getattr(obj, "__func__", obj)
        if callable(func) and hasattr(func, "__code__") and getattr(func, "__module__", None) == module.__name__:
            found[func.__qualname__] = func

    for value in vars(module).values():
        add(value)
        if isinstance(value, type) and value.__module__ == module.__name__:
            for attr in vars(value).values():
                add(attr)
    return found


# ---------------------------------------------------------------------------------------- the pytest plugin

class _SessionOnly:
    """A stand-in for "the next item" that keeps only the session (and its fixtures, the test database) up."""

    def __init__(self, session):
        self.session = session

    def listchain(self):
        return [self.session]


@dataclass
class Result:
    file: str
    index: int
    function: str
    line: int
    description: str
    source_line: str
    status: str = ""
    tests: int = 0
    killed_by: str = ""
    seconds: float = 0.0


@dataclass
class PassReport:
    db: str
    baseline_failed: list[str] = field(default_factory=list)
    control_failed: dict[str, list[str]] = field(default_factory=dict)
    results: list[dict] = field(default_factory=list)
    seconds: float = 0.0


class MutationPlugin:
    def __init__(self, files: list[str], db: str, out: Path, timeout_factor: float = 4.0):
        self.files = files
        self.db = db
        self.out = out
        self.timeout_factor = timeout_factor
        self.abs_files = {str(ROOT / f): f for f in files}
        self.coverage: dict[str, dict[int, set[str]]] = {f: {} for f in files}
        self.current: str | None = None

    # The tracer: record (test, file, line) for the target files only; cheap for all other frames.
    def _tracer(self, frame, event, arg):
        if event != "call":
            return None
        rel = self.abs_files.get(frame.f_code.co_filename)
        if rel is None:
            return None
        lines = self.coverage[rel]

        def local(frame, event, arg):
            if event == "line" and self.current is not None:
                lines.setdefault(frame.f_lineno, set()).add(self.current)
            return local

        if self.current is not None:
            lines.setdefault(frame.f_lineno, set()).add(self.current)
        return local

    def _run_item(self, item, nextitem):
        from _pytest.runner import call_and_report

        if hasattr(item, "_request") and not item._request:
            item._initrequest()
        reports = [call_and_report(item, "setup", log=False)]
        if reports[0].passed:
            reports.append(call_and_report(item, "call", log=False))
        reports.append(call_and_report(item, "teardown", log=False, nextitem=nextitem))
        if hasattr(item, "_request"):
            item._request = False
            item.funcargs = None
        return not any(r.failed for r in reports)

    def _say(self, session, text):
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(text)
        with open(RUN / f"mutate-{self.db}.log", "a", encoding="utf-8") as log:
            log.write(text + "\n")

    def pytest_runtestloop(self, session):
        if session.testsfailed and not session.config.option.continue_on_collection_errors:
            raise session.Interrupted(f"{session.testsfailed} errors during collection")
        started = time.monotonic()
        items = list(session.items)
        stub = _SessionOnly(session)
        (RUN / f"mutate-{self.db}.log").write_text("", encoding="utf-8")
        self._say(session, f"[mutate {self.db}] baseline: {len(items)} tests, tracing {', '.join(self.files)}")

        # 1. baseline with line tracing
        durations: dict[str, float] = {}
        failed: list[str] = []
        sys.settrace(self._tracer)
        threading.settrace(self._tracer)
        try:
            for i, item in enumerate(items):
                self.current = item.nodeid
                t0 = time.monotonic()
                ok = self._run_item(item, items[i + 1] if i + 1 < len(items) else stub)
                durations[item.nodeid] = time.monotonic() - t0
                if not ok:
                    failed.append(item.nodeid)
        finally:
            self.current = None
            sys.settrace(None)
            threading.settrace(None)
        by_id = {item.nodeid: item for item in items if item.nodeid not in failed}
        if failed:
            self._say(session, f"[mutate {self.db}] left out, failing without any mutant: {failed}")
        self._say(session, f"[mutate {self.db}] baseline took {time.monotonic() - started:.0f}s")

        # 2. one forked child per mutant
        from django.db import connections

        report = PassReport(db=self.db, baseline_failed=failed)
        verified: set[str] = set()  # killer tests known to pass unmutated in a child
        for rel in self.files:
            path = ROOT / rel
            source = path.read_text(encoding="utf-8")
            lines = source.splitlines()
            module = sys.modules.get(rel[:-3].replace("/", "."))
            if module is None:
                __import__(rel[:-3].replace("/", "."))
                module = sys.modules[rel[:-3].replace("/", ".")]
            functions = live_functions(module)
            focus = tuple(FOCUS.get(rel, ["tests"]))
            points = mutation_points(source)
            self._say(session, f"[mutate {self.db}] {rel}: {len(points)} mutants")
            # control: the unmutated code in a forked child must pass every test this file's mutants will run
            every = sorted({n for lines_ in self.coverage[rel].values() for n in lines_
                            if n in by_id and n.startswith(focus)}, key=lambda n: (durations.get(n, 0), n))
            connections.close_all()
            status, broken = self._fork(session, None, None, [by_id[n] for n in every], stub,
                                        self.timeout_factor * sum(durations[n] for n in every) + 60,
                                        stop_at_first=False)
            if status != "survived":
                self._say(session, f"[mutate {self.db}] control run of {rel}: {status}; left out: {broken}")
                report.control_failed[rel] = broken or [status]
                for n in broken:
                    by_id.pop(n, None)
            for point in points:
                result = Result(file=rel, index=point["index"], function=point["function"], line=point["line"],
                                description=point["description"], source_line=lines[point["line"] - 1].strip())
                covering: set[str] = set()
                for line in range(point["line"], point["end_line"] + 1):
                    covering |= self.coverage[rel].get(line, set())
                selected = sorted((n for n in covering if n in by_id and n.startswith(focus)),
                                  key=lambda n: (durations.get(n, 0), n))
                result.tests = len(selected)
                if not selected:
                    result.status = "uncovered"
                else:
                    try:
                        qualname, code = mutated_code(source, str(path), point["index"])
                    except LookupError:
                        qualname, code = "", None
                    target = functions.get(qualname)
                    if target is None or code is None or len(code.co_freevars) != len(target.__code__.co_freevars):
                        result.status = "skipped"
                    else:
                        t0 = time.monotonic()
                        while True:
                            budget = self.timeout_factor * sum(durations[n] for n in selected) + 15
                            connections.close_all()
                            result.status, killers = self._fork(
                                session, target, code, [by_id[n] for n in selected], stub, budget)
                            killer = killers[0] if killers else ""
                            if result.status != "killed" or killer not in by_id or killer in verified:
                                break
                            # A kill counts only if the same tests, in the same order, pass without the mutant.
                            upto = selected[: selected.index(killer) + 1]
                            connections.close_all()
                            status, broken = self._fork(session, None, None, [by_id[n] for n in upto], stub,
                                                        self.timeout_factor * sum(durations[n] for n in upto) + 60,
                                                        stop_at_first=False)
                            if status == "survived":
                                verified.add(killer)
                                break
                            self._say(session, f"[mutate {self.db}] left out, fails without a mutant after "
                                               f"{len(upto) - 1} other tests: {broken or [status]}")
                            report.control_failed.setdefault(rel, []).extend(broken or [killer])
                            for n in broken or [killer]:
                                by_id.pop(n, None)
                            selected = [n for n in selected if n in by_id]
                            result.tests = len(selected)
                            if not selected:
                                result.status, killer = "uncovered", ""
                                break
                        result.killed_by = killer
                        result.seconds = round(time.monotonic() - t0, 2)
                report.results.append(asdict(result))
                mark = {"killed": ".", "timeout": "T", "survived": "S", "uncovered": "U"}.get(result.status, "?")
                self._say(session, f"  {mark} {rel}:{result.line} {result.description} "
                                   f"[{result.status}, {result.tests} tests, {result.seconds}s]")
                report.seconds = round(time.monotonic() - started, 1)
                self.out.write_text(json.dumps(asdict(report), indent=1), encoding="utf-8")  # partial results
        report.seconds = round(time.monotonic() - started, 1)
        self.out.write_text(json.dumps(asdict(report), indent=1), encoding="utf-8")
        # tear down what the baseline left up (module fixtures, the test database)
        session._setupstate.teardown_exact(None)
        return True

    def _fork(self, session, target, code, items, stub, budget, stop_at_first=True):
        """Run ``items`` in a forked child with ``target.__code__ = code`` (``code=None``: unmutated, the control).

        Returns (status, failing test ids): "killed" / "survived" / "timeout".
        """
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: swap in the mutant, run the tests, never tear the session (test database) down
            os.close(read_fd)
            status = 1
            try:
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                _reset_after_fork()
                if code is not None:
                    target.__code__ = code
                failing = []
                for i, item in enumerate(items):
                    nextitem = items[i + 1] if i + 1 < len(items) else stub
                    if not self._run_item(item, nextitem):
                        failing.append(item.nodeid)
                        if stop_at_first:
                            break
                os.write(write_fd, "\n".join(failing).encode())
                status = 0
            finally:
                os._exit(status)
        os.close(write_fd)
        deadline = time.monotonic() + budget
        output = b""
        os.set_blocking(read_fd, False)
        while True:
            try:
                while chunk := os.read(read_fd, 65536):
                    output += chunk
            except BlockingIOError:
                pass
            done, wait_status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                os.close(read_fd)
                return "timeout", []
            time.sleep(0.05)
        os.set_blocking(read_fd, True)
        while chunk := os.read(read_fd, 65536):
            output += chunk
        os.close(read_fd)
        if not os.WIFEXITED(wait_status) or os.WEXITSTATUS(wait_status) != 0:
            return "killed", ["(the test process crashed)"]
        failing = [line for line in output.decode().split("\n") if line]
        return ("killed", failing) if failing else ("survived", [])


def _reset_after_fork():
    """Thread pools inherited from the parent have no threads in the child: give asgiref fresh ones."""
    from concurrent.futures import ThreadPoolExecutor

    from asgiref.sync import SyncToAsync

    SyncToAsync.single_thread_executor = ThreadPoolExecutor(max_workers=1)


# ------------------------------------------------------------------------------------------------ the driver

def run_pass(files: list[str], db: str, extra: list[str]) -> Path:
    """One pytest process for one database."""
    RUN.mkdir(exist_ok=True)
    out = RUN / f"mutate-{db}.json"
    out.unlink(missing_ok=True)
    env = dict(os.environ, SAMENLAB_TESTING="true")
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    marker = "not browser and not server"
    if db == "postgres":
        env["DATABASE_URL"] = os.environ.get("MUTATE_DATABASE_URL", DEFAULT_DATABASE_URL)
        env["REDIS_URL"] = os.environ.get("MUTATE_REDIS_URL", DEFAULT_REDIS_URL)
    else:
        env["SQLITE_TEST_NAME"] = str(RUN / "mutate-test.sqlite3")
        marker += " and not postgres and not redis"
    paths = sorted({p for f in files for p in FOCUS.get(f, ["tests"])})
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", "--db", db, "--files", ",".join(files),
               "--", *paths, "-m", marker, "-q", "-p", "no:cacheprovider", "-o", "addopts=", "--timeout=120", *extra]
    subprocess.run(command, cwd=ROOT, env=env, check=False)  # noqa: S603 (our own interpreter and script)
    return out


def worker(files: list[str], db: str, pytest_args: list[str]) -> int:
    import pytest

    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    plugin = MutationPlugin(files, db, RUN / f"mutate-{db}.json")
    return pytest.main(pytest_args, plugins=[plugin])


def summarise(reports: list[dict], files: list[str]) -> str:
    rows = ["| file | pass | mutants | killed | timeout | survived | uncovered |", "|---|---|---|---|---|---|---|"]
    survivors = []
    for report in reports:
        for rel in files:
            results = [r for r in report["results"] if r["file"] == rel]
            count = {s: sum(1 for r in results if r["status"] == s)
                     for s in ("killed", "timeout", "survived", "uncovered", "skipped")}
            rows.append(f"| {rel} | {report['db']} | {len(results)} | {count['killed']} | {count['timeout']} "
                        f"| {count['survived']} | {count['uncovered']} |")
            survivors += [(report["db"], r) for r in results if r["status"] in ("survived", "uncovered", "skipped")]
    lines = []
    for db, r in survivors:
        lines.append(f"[{db}] {r['file']}:{r['line']} ({r['function']}) {r['status']}: {r['description']}\n"
                     f"    - {r['source_line']}\n")
    (RUN / "mutants-survived.txt").write_text("".join(lines) or "none\n", encoding="utf-8")
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.epilog = "Anything after -- goes to pytest, e.g. -- --ignore=tests/initiatives/test_guards.py"
    parser.add_argument("--files", default=",".join(FOCUS), help="comma-separated, relative to the repository; "
                        "a short name like live/services.py or pledges.py is enough")
    parser.add_argument("--db", default="both", choices=["sqlite", "postgres", "both"])
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--list", action="store_true", help="only list the mutants")
    parser.add_argument("--summary", action="store_true", help="only summarise the last results in .run/")
    args, rest = parser.parse_known_args()
    if rest and rest[0] == "--":
        rest = rest[1:]
    files = []
    for name in filter(None, (f.strip() for f in args.files.split(","))):
        matches = [f for f in FOCUS if f == name or f.endswith("/" + name)]
        if not matches:
            parser.error(f"unknown file {name!r}; choose from {', '.join(FOCUS)}")
        files += [m for m in matches if m not in files]
    if args.worker:
        return worker(files, args.db, rest)
    if args.list:
        for rel in files:
            source = (ROOT / rel).read_text(encoding="utf-8")
            for point in mutation_points(source):
                print(f"{rel}:{point['line']} {point['function']}: {point['description']}")
        return 0
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    reports = []
    if args.summary:
        reports = [json.loads((RUN / f"mutate-{db}.json").read_text(encoding="utf-8")) for db in dbs
                   if (RUN / f"mutate-{db}.json").exists()]
        dbs = []
    for db in dbs:
        out = run_pass(files, db, rest)
        if not out.exists():
            print(f"[mutate {db}] no results (see .run/mutate-{db}.log)")
            return 1
        reports.append(json.loads(out.read_text(encoding="utf-8")))
    print()
    print(summarise(reports, files))
    print(f"\nSurvivors, with the line they change: {RUN / 'mutants-survived.txt'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
