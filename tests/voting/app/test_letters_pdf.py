"""The letter itself, read back with a PDF reader: each page holds its addressee and their code, and nobody else's."""

from datetime import datetime

from django.utils import timezone

from tests.voting.app.hallkit import pdf_pages
from voting.letters.pdf import LetterContext, LetterWriter, Recipient, letters_pdf, qr_target, shown_url
from voting.services._common import grouped, normalise, random_secret

CONTEXT = LetterContext(municipality="Molenlanden", title="Kernbudget Arkel: wat maken we samen mooier?",
                        opens_at=timezone.make_aware(datetime(2026, 5, 1, 9, 0)),
                        closes_at=timezone.make_aware(datetime(2026, 5, 15, 17, 0)),
                        code_url="https://samenlab.example.org/stemcode/", phone="14 0184")


def recipient(n: int, **changes) -> Recipient:
    values = {"name": f"Familie Ünal-de Vries {n}", "street": f"Dorpsstraat {n}", "postcode": "2952 AB",
              "town": "Arkel", "code": grouped(random_secret(26))}
    return Recipient(**{**values, **changes})


def test_each_page_is_one_letter_with_its_own_addressee_and_code():
    people = [recipient(n) for n in range(1, 4)]
    pages = pdf_pages(letters_pdf(CONTEXT, people))
    assert len(pages) == 3
    for page, person in zip(pages, people, strict=True):
        assert person.code in page
        assert person.name in page and person.street in page and "2952 AB  ARKEL" in page
        assert f"Beste {person.name}," in page
        others = [other for other in people if other is not person]
        assert not any(other.code in page or other.name in page for other in others)


def test_the_letter_says_what_is_decided_until_when_where_to_vote_and_whom_to_call():
    page = " ".join(pdf_pages(letters_pdf(CONTEXT, [recipient(1)]))[0].split())
    assert "Gemeente Molenlanden" in page
    assert "Kernbudget Arkel: wat maken we samen mooier?" in page
    assert "15 mei 2026 om 17:00" in page and "1 mei 2026 om 09:00" in page
    assert "samenlab.example.org/stemcode" in page
    assert "14 0184" in page
    assert "gemeentehuis" in page and "papier" in page  # voting on paper instead
    assert "Niemand ziet wat u kiest" in page


def test_hostile_and_long_names_are_printed_as_text_and_fit():
    hostile = recipient(1, name="<script>alert(1)</script> " + "Van den Berg-Oosterhout " * 8, street="Lange "
                        "Kerkstraat 1 " * 10)
    page = " ".join(pdf_pages(letters_pdf(CONTEXT, [hostile]))[0].split())
    assert "<script>alert(1)</script>" in page
    assert hostile.code in page


def test_the_qr_code_holds_the_code_after_the_hash_so_no_server_log_sees_it():
    target = qr_target(CONTEXT.code_url, "ABCD-EFGH-1234")
    assert target == "https://samenlab.example.org/stemcode/#ABCDEFGH1234"
    assert normalise(target.split("#")[1]) == "ABCDEFGH1234"
    assert shown_url(CONTEXT.code_url) == "samenlab.example.org/stemcode"


def test_the_fonts_are_loaded_once_for_the_whole_pdf(monkeypatch):
    from fpdf import FPDF

    loads = []
    original = FPDF.add_font
    monkeypatch.setattr(FPDF, "add_font", lambda self, *a, **k: loads.append(a) or original(self, *a, **k))
    writer = LetterWriter(CONTEXT)
    for n in range(5):
        writer.add(recipient(n))
    assert len(pdf_pages(writer.output())) == 5
    assert len(loads) <= 3  # regular, bold and the code's monospace: once, not per letter


def test_without_the_machines_fonts_the_letter_is_still_made(monkeypatch):
    from voting.letters import pdf

    monkeypatch.setattr(pdf, "find_font", lambda: None)
    person = recipient(1, name="Zoë Çelik")
    page = pdf_pages(letters_pdf(CONTEXT, [person]))[0]
    assert person.code in page and "Zo" in page


def test_progress_is_reported_while_letters_are_made():
    seen = []
    letters_pdf(CONTEXT, [recipient(n) for n in range(7)], progress=seen.append, every=3)
    assert seen == [3, 6]


def test_the_qr_code_on_the_page_is_the_code_page_with_this_letters_code():
    import io

    import segno
    from pypdf import PdfReader

    person = recipient(1)
    [image] = PdfReader(io.BytesIO(letters_pdf(CONTEXT, [person]))).pages[0].images
    printed = image.image  # a 1-bit mask; the reader applies its Decode array, so a painted module comes out black
    expected = segno.make_qr(qr_target(CONTEXT.code_url, person.code), error="m", mask=0, boost_error=False).matrix
    assert printed.size == (len(expected), len(expected))
    pixels = [printed.getpixel((col, row)) for row in range(printed.size[1]) for col in range(printed.size[0])]
    assert [[0 if pixels[row * printed.size[0] + col] else 1 for col in range(printed.size[0])]
            for row in range(printed.size[1])] == [[module & 1 for module in modules] for modules in expected]
