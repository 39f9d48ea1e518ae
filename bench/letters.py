"""Letters with voting codes: 20,000 letters (codes made and hashed, then the PDF), the issue's limit five minutes.

Run on its own (``python bench/letters.py [--letters 20000]``), or as an extra benchmark of ``make bench``
(``run(bench) -> Section``; listed in bench/scenarios.py: EXTRA_BENCHMARKS). The letters are made in a process of
their own, so that its peak memory is the letters' alone. No server and no database: the database part of issuing
(one bulk insert) is not in these numbers; the codes (random and hashed) and the PDF are.
"""

import argparse
import json
import os
import resource
import secrets
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:  # run as a script: `python bench/letters.py`
    sys.path.insert(0, str(BASE_DIR))

LETTERS = 20_000
LIMIT_SECONDS = 300.0  # the limit: 20,000 letters in under five minutes


def _django() -> None:
    """Settings for a process that renders letters only (no database, no server)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(64))
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def measure(letters: int = LETTERS) -> dict:
    """Make ``letters`` codes and their PDF in this process; the times, the size and the peak memory."""
    _django()
    from django.utils import timezone, translation

    from voting.letters.pdf import LetterContext, Recipient, letters_pdf
    from voting.services._common import grouped, hash_secret
    from voting.services.codes import new_code

    translation.activate("nl")
    cpu_started = time.process_time()
    started = time.perf_counter()
    plain = [new_code() for _ in range(letters)]
    hashes = [hash_secret(code) for code in plain]
    codes_done = time.perf_counter()
    now = timezone.now()
    context = LetterContext(municipality="Molenlanden", title="Kernbudget Arkel 2026: wat maken we samen mooier?",
                            opens_at=now, closes_at=now + timedelta(days=14),
                            code_url="https://samenlab.molenlanden.nl/stemcode/", phone="14 0184")
    recipients = (Recipient(name=f"Familie De Vries-Ünal {n}", street=f"Dorpsstraat {n % 300 + 1}",
                            postcode="2952 AB", town="Arkel", code=grouped(code)) for n, code in enumerate(plain))
    data = letters_pdf(context, recipients)
    finished = time.perf_counter()
    assert len(hashes) == letters
    total = finished - started
    return {"letters": letters, "codes_seconds": codes_done - started, "pdf_seconds": finished - codes_done,
            "seconds": total, "cpu_seconds": time.process_time() - cpu_started, "per_second": letters / total,
            "megabytes": len(data) / 1e6,
            "peak_megabytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def measure_in_child(letters: int = LETTERS) -> dict:
    """``measure`` in a fresh Python process (its peak memory is the letters' own)."""
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--letters", str(letters), "--json"],
                          capture_output=True, text=True, check=True, cwd=BASE_DIR, env=env)
    return json.loads(done.stdout.strip().splitlines()[-1])


def table(row: dict) -> str:
    return "\n".join([
        f"{row['letters']:,} letters (A4, one page each, with a QR code), one PDF, in one process "
        f"(limit: {LIMIT_SECONDS / 60:.0f} minutes).", "",
        "| letters | codes made and hashed | PDF | total | CPU time | letters per second | PDF size | peak memory |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {row['letters']:,} | {row['codes_seconds']:.1f} s | {row['pdf_seconds']:.1f} s | {row['seconds']:.1f} s "
        f"| {row['cpu_seconds']:.1f} s | {row['per_second']:,.0f} | {row['megabytes']:.0f} MB "
        f"| {row['peak_megabytes']:.0f} MB |",
    ])


def run(bench=None):
    from bench.core import Section

    row = measure_in_child(LETTERS)
    return Section(title="Letters with voting codes", markdown=table(row), ok=row["seconds"] < LIMIT_SECONDS)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Time making letters with voting codes.")
    parser.add_argument("--letters", type=int, default=LETTERS)
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON (for run())")
    args = parser.parse_args(argv)
    row = measure(args.letters)
    print(json.dumps(row) if args.json else table(row))
    return 0


if __name__ == "__main__":
    sys.exit(main())
