"""What the village hall's tests share: boxes by letter, a list as the staff upload it, codes with their plain
text, and reading a letters PDF back."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories_voting import BallotBoxFactory, BudgetFactory, PollFactory, ProjectFactory
from voting.models import WhoMayVote
from voting.services.codes import Addressee, issue_codes

HEADER = "naam;straat;postcode;woonplaats\n"


def letter_poll(kern, **box):
    """An open poll by letter in ``kern`` (three options)."""
    return PollFactory(box=BallotBoxFactory(kern=kern, who_may_vote=WhoMayVote.LETTER, **box))


def open_budget(kern, **box):
    """An open budget in ``kern`` (by default for its residents) with three projects of €4,000, €5,000 and
    €6,000 (budget €10,000): ``budget.p1``, ``p2``, ``p3``."""
    budget = BudgetFactory(box=BallotBoxFactory(kern=kern, **box), amount=10_000)
    budget.p1, budget.p2, budget.p3 = (ProjectFactory(budget=budget, cost=cost) for cost in (4_000, 5_000, 6_000))
    return budget


def letter_budget(kern, **box):
    """``open_budget`` by letter."""
    return open_budget(kern, who_may_vote=WhoMayVote.LETTER, **box)


def people(n: int, town: str = "Arkel") -> list[Addressee]:
    return [Addressee(f"Bewoner {i}", f"Dorpsstraat {i}", "2952 AB", town) for i in range(1, n + 1)]


def issue(staff, box, n: int = 1) -> list:
    """``n`` letters (code row and plain code) for ``box``."""
    return issue_codes(actor=staff, box=box, addressees=people(n))


def csv_upload(text: str | bytes, name: str = "adressen.csv") -> SimpleUploadedFile:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="text/csv")


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page of a PDF, as a PDF reader finds it."""
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def streamed(response) -> bytes:
    return b"".join(response.streaming_content)


def own_queries(captured) -> int:
    """The queries of a page that read voting's tables (the session, the user, the header's badges and the
    editor's user bar come and go with caches, and are the same on every page)."""
    return sum(1 for query in captured if '"voting_' in query["sql"])
