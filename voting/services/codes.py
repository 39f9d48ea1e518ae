"""Letter codes: issue them per kern for a box (with the addressee from an uploaded list), revoke, re-issue.

The plain code exists only in what these services return (to be printed at once); the database keeps its
hash. Every action is logged in ``CodeEvent``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.text import clean_plain_text
from voting.models import BallotBox, CodeEvent, VotingCode
from voting.services._common import CODE_LENGTH, VotingError, grouped, hash_secret, random_secret, require_perm

MAX_ADDRESSEES = 50_000
MAX_LIST_BYTES = 10 * 1024 * 1024
COLUMNS = ("naam", "straat", "postcode", "woonplaats")


@dataclass(frozen=True)
class Addressee:
    name: str
    street: str
    postcode: str
    town: str


@dataclass(frozen=True)
class Letter:
    """One letter to print: who it goes to and their code (plain, grouped). Never stored."""

    code: VotingCode
    plain_code: str


def new_code() -> str:
    return random_secret(CODE_LENGTH)


class _Semicolons(csv.excel):
    delimiter = ";"


def _addressee(row: dict, number: int) -> Addressee:
    """One line of the list, made plain, or ``VotingError`` naming the line."""
    values = {column: clean_plain_text(row.get(column) or "") for column in COLUMNS}
    postcode = values["postcode"].replace(" ", "").upper()
    if not values["naam"] or not values["straat"] or len(postcode) != 6 or not postcode[:4].isdigit() \
            or not postcode[4:].isalpha():
        raise VotingError(_("Regel %(n)s is niet compleet of heeft geen goede postcode.") % {"n": number},
                          code="row")
    if max(len(values["naam"]), len(values["straat"])) > 200 or len(values["woonplaats"]) > 80:
        raise VotingError(_("Regel %(n)s is te lang.") % {"n": number}, code="row")
    return Addressee(values["naam"], values["straat"], f"{postcode[:4]} {postcode[4:]}", values["woonplaats"])


def read_address_list(data: bytes) -> list[Addressee]:
    """The uploaded list (CSV, UTF-8, ``;`` or ``,``; columns naam, straat, postcode, woonplaats) or
    ``VotingError`` naming the first bad line."""
    if len(data) > MAX_LIST_BYTES:
        raise VotingError(_("Het bestand is te groot: hoogstens 10 MB."), code="too_large")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise VotingError(_("Sla de lijst op als CSV in UTF-8 en probeer het opnieuw."), code="encoding") from None
    start = text[:4096]  # the sniffer's expressions are slow: the start of a list tells its separator
    try:
        dialect = csv.Sniffer().sniff(start, delimiters=";,")
    except csv.Error:  # too little to go on: the separator the header uses
        header_line = start.partition("\n")[0]
        dialect = _Semicolons if header_line.count(";") > header_line.count(",") else csv.excel
    rows = csv.DictReader(io.StringIO(text), dialect=dialect)
    people: list[Addressee] = []
    try:
        header = [name.strip().lower() for name in (rows.fieldnames or [])]
        if not set(COLUMNS) <= set(header):
            raise VotingError(_("De lijst mist kolommen. Nodig zijn: naam, straat, postcode, woonplaats."),
                              code="columns")
        rows.fieldnames = header
        for number, row in enumerate(rows, start=2):
            people.append(_addressee(row, number))
            if len(people) > MAX_ADDRESSEES:
                raise VotingError(_("De lijst is te lang: hoogstens %(n)s adressen.") % {"n": MAX_ADDRESSEES},
                                  code="too_many")
    except csv.Error:  # a field of more than 128 kB, a stray NUL: the reader stops at the line it cannot read
        raise VotingError(_("Regel %(n)s kunnen we niet lezen.") % {"n": rows.line_num}, code="row") from None
    if not people:
        raise VotingError(_("De lijst is leeg."), code="empty")
    return people


def issue_codes(*, actor, box: BallotBox, addressees: list[Addressee]) -> list[Letter]:
    """A new code for each addressee, in one transaction; the letters to print come back (plain codes)."""
    require_perm(actor, "voting.manage_codes", box, _("Alleen medewerkers geven stemcodes uit, zolang de stemming "
                                                      "niet gesloten is."))
    if not box.uses_letters:
        raise VotingError(_("Bij deze stemming stemt men niet met een brief."), code="no_letters")
    plain = [new_code() for _person in addressees]
    codes = [VotingCode(box=box, code_hash=hash_secret(code), addressee=person.name, street=person.street,
                        postcode=person.postcode, town=person.town)
             for code, person in zip(plain, addressees, strict=True)]
    with transaction.atomic():
        VotingCode.objects.bulk_create(codes, batch_size=2000)
        CodeEvent.objects.create(box=box, action=CodeEvent.Action.ISSUED, count=len(codes), actor=actor)
    return [Letter(code, grouped(secret)) for code, secret in zip(codes, plain, strict=True)]


def revoke_code(*, actor, code: VotingCode, reason: str) -> VotingCode:
    """A lost or stolen letter: the code no longer votes. A code already used stays used (the ballot counts)."""
    require_perm(actor, "voting.manage_codes", code.box)
    reason = clean_plain_text(reason or "")[:300]
    if not reason:
        raise VotingError(_("Schrijf kort op waarom de code wordt ingetrokken."), code="required")
    with transaction.atomic():
        locked = VotingCode.objects.select_for_update().get(pk=code.pk)
        if locked.revoked_at is not None:
            raise VotingError(_("Deze code is al ingetrokken."), code="revoked")
        if hasattr(locked, "turnout"):
            raise VotingError(_("Met deze code is al gestemd. Intrekken kan niet meer."), code="used")
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        CodeEvent.objects.create(box=locked.box, code=locked, action=CodeEvent.Action.REVOKED, actor=actor,
                                 reason=reason)
    return locked


def reissue_code(*, actor, code: VotingCode, reason: str) -> Letter:
    """Revoke ``code`` (if it is not yet) and send its addressee a new one."""
    require_perm(actor, "voting.manage_codes", code.box)
    with transaction.atomic():
        locked = VotingCode.objects.select_for_update().get(pk=code.pk)
        if hasattr(locked, "turnout"):
            raise VotingError(_("Met deze code is al gestemd. Een nieuwe code kan niet."), code="used")
        if VotingCode.objects.filter(replaces=locked).exists():
            raise VotingError(_("Voor deze code is al een nieuwe gemaakt."), code="reissued")
        if locked.revoked_at is None:
            revoke_code(actor=actor, code=locked, reason=reason)
        secret = new_code()
        fresh = VotingCode.objects.create(box=locked.box, code_hash=hash_secret(secret), addressee=locked.addressee,
                                          street=locked.street, postcode=locked.postcode, town=locked.town,
                                          replaces=locked)
        CodeEvent.objects.create(box=locked.box, code=fresh, action=CodeEvent.Action.REISSUED, actor=actor,
                                 reason=clean_plain_text(reason or "")[:300])
    return Letter(fresh, grouped(secret))
