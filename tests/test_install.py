"""One install step: the Makefile installs only what the lock files pin, with hashes, and the locks agree."""

import re
import tomllib
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
LOCKS = BASE_DIR / "requirements"


def pins(lock: Path) -> dict[str, str]:
    text = lock.read_text()
    entries = re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s\\;]+)((?:\s*\\\n\s+--hash=sha256:[0-9a-f]{64})+)", text, re.M)
    every = re.findall(r"^[A-Za-z0-9_.\-]+==", text, re.M)
    assert len(entries) == len(every), f"{lock.name}: every pin has at least one hash"
    return {name.lower().replace("_", "-"): version for name, version, _hashes in entries}


def normal(requirement: str) -> str:
    return re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_every_pin_has_hashes_and_production_is_a_subset_of_test():
    production, test = pins(LOCKS / "production.lock"), pins(LOCKS / "test.lock")
    assert production and set(production) < set(test)
    assert {name: test[name] for name in production} == production, "the same versions in both locks"


def test_the_locks_hold_every_declared_dependency():
    project = tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["project"]
    production, test = pins(LOCKS / "production.lock"), pins(LOCKS / "test.lock")
    assert {normal(r) for r in project["dependencies"]} <= set(production)
    assert {normal(r) for r in project["optional-dependencies"]["test"]} <= set(test)
    assert "pytest" not in production and "schemathesis" not in production


def test_make_installs_only_from_the_locks():
    makefile = (BASE_DIR / "Makefile").read_text()
    assert re.search(r"^install: \$\(VENV\)/\.installed-production node_modules/\.installed messages$", makefile, re.M)
    assert re.search(r"^setup: \$\(VENV\)/\.installed-test node_modules/\.installed messages$", makefile, re.M)
    assert "PIP_LOCKED := $(PIP) install --quiet --require-hashes --no-deps -r" in makefile
    assert "$(PIP_LOCKED) requirements/production.lock" in makefile
    assert "$(PIP_LOCKED) requirements/test.lock" in makefile
    assert "npm ci" in makefile and "npm install" not in makefile
    installs = [line for line in makefile.splitlines()
                if not line.startswith("#") and ("pip install" in line or "PIP) install" in line)]
    unlocked = [line for line in installs if "--require-hashes" not in line and "pip-tools" not in line]
    assert unlocked == [], "only `make lock` may install without hashes (pip-tools itself)"
