"""Letter codes: random, readable, stored only as a hash; revoked and re-issued with a log."""

import math

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from tests.factories_voting import BallotBoxFactory, PollFactory
from voting.models import CodeEvent, VotingCode, WhoMayVote
from voting.services._common import ALPHABET, hash_secret, normalise
from voting.services.casting import cast_ballot
from voting.services.codes import (
    Addressee,
    issue_codes,
    read_address_list,
    reissue_code,
    revoke_code,
)

pytestmark = pytest.mark.django_db

PEOPLE = [Addressee("A. de Vries", "Dorpsstraat 1", "4241 AA", "Arkel"),
          Addressee("B. Bakker", "Kerkstraat 2", "4241 AB", "Arkel")]


@pytest.fixture
def poll(kern):
    return PollFactory(box=BallotBoxFactory(kern=kern, who_may_vote=WhoMayVote.LETTER))


def vote(poll, code):
    return cast_ballot(actor=AnonymousUser(), box=poll.box, choices=[poll.options.first().pk], code=code)


def test_codes_are_long_random_readable_and_kept_only_as_a_hash(poll, staff):
    letters = issue_codes(actor=staff, box=poll.box, addressees=PEOPLE)
    assert [letter.code.addressee for letter in letters] == ["A. de Vries", "B. Bakker"]
    plain = [normalise(letter.plain_code) for letter in letters]
    assert all(len(code) == 26 and set(code) <= set(ALPHABET) for code in plain)
    assert 26 * math.log2(len(ALPHABET)) >= 128
    assert not set("ILOU") & set("".join(plain))  # nothing that reads as another character
    assert letters[0].plain_code.count("-") == 6  # printed in groups of four
    assert plain[0] != plain[1]
    stored = list(VotingCode.objects.values_list("code_hash", flat=True))
    assert sorted(stored) == sorted(hash_secret(code) for code in plain)
    dump = str(list(VotingCode.objects.values())) + str(list(CodeEvent.objects.values()))
    assert not any(code in dump for code in plain)
    event = CodeEvent.objects.get()
    assert (event.action, event.count, event.actor) == (CodeEvent.Action.ISSUED, 2, staff)


@pytest.mark.parametrize("who", ["resident", "council_member"])
def test_only_staff_issue_codes(poll, who, request):
    with pytest.raises(PermissionDenied):
        issue_codes(actor=request.getfixturevalue(who), box=poll.box, addressees=PEOPLE)
    assert VotingCode.objects.count() == 0


def test_no_codes_for_a_box_of_account_holders_or_a_closed_box(kern, staff):
    with pytest.raises(Exception, match="brief"):
        issue_codes(actor=staff, box=BallotBoxFactory(kern=kern), addressees=PEOPLE)
    with pytest.raises(PermissionDenied):
        issue_codes(actor=staff, box=BallotBoxFactory(kern=kern, who_may_vote=WhoMayVote.LETTER, closed=True),
                    addressees=PEOPLE)
    assert VotingCode.objects.count() == 0


def test_a_revoked_code_no_longer_votes_and_the_revocation_is_logged(poll, staff):
    letter = issue_codes(actor=staff, box=poll.box, addressees=PEOPLE[:1])[0]
    with pytest.raises(Exception, match="waarom"):
        revoke_code(actor=staff, code=letter.code, reason="  ")
    revoke_code(actor=staff, code=letter.code, reason="Brief kwijtgeraakt")
    with pytest.raises(Exception, match="al ingetrokken"):
        revoke_code(actor=staff, code=letter.code, reason="nog eens")
    with pytest.raises(Exception, match="klopt niet"):
        vote(poll, letter.plain_code)
    event = CodeEvent.objects.get(action=CodeEvent.Action.REVOKED)
    assert (event.code, event.actor, event.reason) == (letter.code, staff, "Brief kwijtgeraakt")


def test_a_used_code_cannot_be_revoked_or_reissued(poll, staff):
    letter = issue_codes(actor=staff, box=poll.box, addressees=PEOPLE[:1])[0]
    vote(poll, letter.plain_code)
    with pytest.raises(Exception, match="al gestemd"):
        revoke_code(actor=staff, code=letter.code, reason="te laat")
    with pytest.raises(Exception, match="al gestemd"):
        reissue_code(actor=staff, code=letter.code, reason="te laat")
    assert not VotingCode.objects.filter(revoked_at__isnull=False).exists()


def test_reissuing_sends_the_same_person_a_new_code_once(poll, staff):
    old = issue_codes(actor=staff, box=poll.box, addressees=PEOPLE[:1])[0]
    new = reissue_code(actor=staff, code=old.code, reason="Hond at de brief")
    assert new.code.replaces == old.code and new.code.addressee == "A. de Vries"
    assert VotingCode.objects.get(pk=old.code.pk).is_revoked
    with pytest.raises(Exception, match="al een nieuwe"):
        reissue_code(actor=staff, code=old.code, reason="nog eens")
    with pytest.raises(Exception, match="klopt niet"):
        vote(poll, old.plain_code)
    assert vote(poll, new.plain_code).receipt
    assert set(CodeEvent.objects.values_list("action", flat=True)) == {"issued", "revoked", "reissued"}


def test_only_staff_revoke_and_reissue(poll, staff, council_member):
    letter = issue_codes(actor=staff, box=poll.box, addressees=PEOPLE[:1])[0]
    with pytest.raises(PermissionDenied):
        revoke_code(actor=council_member, code=letter.code, reason="x")
    with pytest.raises(PermissionDenied):
        reissue_code(actor=council_member, code=letter.code, reason="x")
    assert VotingCode.objects.count() == 1 and not VotingCode.objects.get().is_revoked


class TestAddressList:
    def test_semicolons_commas_a_bom_and_postcodes_as_people_write_them(self):
        data = "\ufeffNaam;Straat;Postcode;Woonplaats\nJ. Jansen;Lingedijk 4;4241ab;Arkel\n".encode()
        assert read_address_list(data) == [Addressee("J. Jansen", "Lingedijk 4", "4241 AB", "Arkel")]
        data = b"naam,straat,postcode,woonplaats\nP. Pieters,Dijk 1,4241 AC,Arkel\n"
        assert read_address_list(data)[0].postcode == "4241 AC"

    def test_hostile_text_is_made_plain(self):
        data = b"naam;straat;postcode;woonplaats\n<script>x</script>Piet;<b>Dijk</b> 1;4241AA;Arkel\n"
        person = read_address_list(data)[0]
        assert "<" not in person.name + person.street

    @pytest.mark.parametrize("data, code", [
        (b"naam;straat\nA;B\n", "columns"),
        ("naam;straat;postcode;woonplaats\nA;B;4241AA;Arkel\n".encode("utf-16"), "encoding"),
        (b"naam;straat;postcode;woonplaats\n", "empty"),
        (b"naam;straat;postcode;woonplaats\nA;B;ABCD12;Arkel\n", "row"),
        (b"naam;straat;postcode;woonplaats\n;B;4241AA;Arkel\n", "row"),
        (b"naam;straat;postcode;woonplaats\n" + b"A" * 201 + b";B;4241AA;Arkel\n", "row"),
        (b"x" * (10 * 1024 * 1024 + 1), "too_large"),
        (b"naam;straat;postcode;woonplaats\nA;" + b"B" * 200_000 + b";4241AA;Arkel\n", "row"),  # > 128 kB
        (b"naam,straat,postcode,woonplaats\nA," + b"B" * 200_000 + b",4241AA,Arkel\n", "row"),
        (b"naam;straat;postcode;" + b"w" * 200_000 + b"\nA;B;4241AA;Arkel\n", "row"),
    ])
    def test_bad_lists_are_refused_with_the_reason(self, data, code):
        with pytest.raises(Exception) as refused:
            read_address_list(data)
        assert refused.value.code == code

    def test_a_list_of_exactly_ten_megabytes_is_read(self):
        header, row = b"naam;straat;postcode;woonplaats\n", b"J. Jansen;Lingedijk 4;4241AB;Arkel\n"
        data = header + row + b"\n" * (10 * 1024 * 1024 - len(header) - len(row))  # blank lines are skipped
        assert len(data) == 10 * 1024 * 1024
        assert [person.name for person in read_address_list(data)] == ["J. Jansen"]

    def test_only_the_start_of_a_list_is_sniffed_for_its_separator(self, monkeypatch):
        """Guessing the separator reads 4 kB, not a list of 10 MB (the sniffer's expressions are slow)."""
        import csv

        seen = []
        sniff = csv.Sniffer.sniff
        monkeypatch.setattr(csv.Sniffer, "sniff", lambda self, sample, **kw: seen.append(len(sample)) or sniff(
            self, sample, **kw))
        rows = "".join(f"N{n};Dijk {n};4241AA;Arkel\n" for n in range(1_000))
        assert len(read_address_list(("naam;straat;postcode;woonplaats\n" + rows).encode())) == 1_000
        assert seen == [4096]

    def test_at_most_fifty_thousand_addressees(self):
        rows = "".join(f"N{n};Dijk {n};4241AA;Arkel\n" for n in range(50_001))
        with pytest.raises(Exception) as refused:
            read_address_list(("naam;straat;postcode;woonplaats\n" + rows).encode())
        assert refused.value.code == "too_many"
