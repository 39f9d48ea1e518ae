"""Dates read in the page's language: "1 december" on a Dutch page, "1 December" on an English one.

Django's ``M`` format title-cases the month's abbreviation ("Dec" in Dutch too), and ``N`` writes
AP-style abbreviations in English only: templates use ``F`` (the full month) or ``b``.
"""

import re
from pathlib import Path

from django.template import Context, Template
from django.utils import timezone, translation

ROOT = Path(__file__).resolve().parents[2]
DATE_FORMAT = re.compile(r"""\|date:["']([^"']*)["']""")


def test_no_template_writes_a_month_the_english_way():
    offenders = []
    for template in [*ROOT.glob("templates/**/*.html"), *ROOT.glob("*/templates/**/*.html")]:
        for number, line in enumerate(template.read_text().splitlines(), 1):
            for date_format in DATE_FORMAT.findall(line):
                if re.search(r"(?<!\\)[MN]", date_format):
                    offenders.append(f"{template.relative_to(ROOT)}:{number}: {date_format}")
    assert not offenders, "\n".join(offenders)


def test_the_month_is_written_in_the_page_language():
    moment = timezone.make_aware(timezone.datetime(2026, 12, 1, 9, 30))
    template = Template('{{ moment|date:"j F, H:i" }}')
    with translation.override("nl"):
        assert template.render(Context({"moment": moment})) == "1 december, 09:30"
    with translation.override("en"):
        assert template.render(Context({"moment": moment})) == "1 December, 09:30"
