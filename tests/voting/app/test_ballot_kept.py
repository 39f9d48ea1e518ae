"""The ballot's list of projects is kept per page generation, language and budget, and filled in per voter
(voting.views.budgets._kept): one voter's choices, points, notes and errors never show on another's ballot, a
change to the projects shows at once, and nothing a resident typed can act as a slot."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from core.pagecache import invalidate_pages
from tests.factories import UserFactory
from tests.factories_voting import BallotBoxFactory, BudgetFactory, ProjectFactory
from voting.models import BallotFormat, Project
from voting.views.budgets._kept import ballot_items

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept(settings):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300


@pytest.fixture
def budget(kern):
    budget = BudgetFactory(box=BallotBoxFactory(kern=kern), amount=10_000)
    budget.p = [ProjectFactory(budget=budget, title=title, cost=cost) for title, cost in
                (("Speeltuin", 6_000), ("Bankjes", 3_000), ("Bomen", 5_000))]
    return budget


def voter_in(kern) -> Client:
    client = Client()
    client.force_login(UserFactory(kern=kern))
    return client


def ballot(client, budget, **post):
    address = reverse("voting:ballot", args=[budget.slug])
    response = client.post(address, post) if post else client.get(address)
    return response.content.decode()


def checked(html) -> set[str]:
    return set(re.findall(r'value="(\d+)"\s+checked', html))


def test_each_voter_sees_their_own_choices_and_notes_in_the_kept_list(kern, budget, kept):
    ann, bob = voter_in(kern), voter_in(kern)
    ballot(ann, budget, project=[str(budget.p[0].pk)], action="save")
    ballot(bob, budget, project=[str(budget.p[1].pk)], action="save")
    ann_page, bob_page = ballot(ann, budget), ballot(bob, budget)
    assert checked(ann_page) == {str(budget.p[0].pk)} and checked(bob_page) == {str(budget.p[1].pk)}
    assert ann_page.count("ballot-item--chosen") == 1 and bob_page.count("ballot-item--chosen") == 1
    # Ann has € 4.000 left: the € 5.000 trees do not fit for her, and do for Bob (€ 7.000 left).
    trees = rf'id="note-{budget.p[2].pk}" data-note>([^<]*)<'
    assert re.search(trees, ann_page).group(1).startswith("Past niet meer in het budget: er is nog €\xa04.000 over.")
    assert re.search(trees, bob_page).group(1) == ""
    assert "@@" not in ann_page + bob_page


def test_a_refusal_is_shown_beside_its_project_for_that_voter_only(kern, budget, kept):
    ann, bob = voter_in(kern), voter_in(kern)
    refused = ballot(ann, budget, project=[str(budget.p[0].pk), str(budget.p[2].pk)], action="save")
    error = rf'id="error-{budget.p[2].pk}" data-error>([^<]*)<'
    assert re.search(error, refused).group(1).startswith("Dit past niet meer.")
    assert 'aria-invalid="true"' in refused
    bob_page = ballot(bob, budget)
    assert re.search(error, bob_page).group(1) == "" and 'aria-invalid' not in bob_page


def test_points_and_their_maximum_are_the_voters_own(kern, kept):
    budget = BudgetFactory(box=BallotBoxFactory(kern=kern), ballot_format=BallotFormat.POINTS, points_total=10)
    first, second = ProjectFactory(budget=budget), ProjectFactory(budget=budget)
    ann, bob = voter_in(kern), voter_in(kern)
    ballot(ann, budget, **{f"points-{first.pk}": "7", "action": "save"})
    ann_page, bob_page = ballot(ann, budget), ballot(bob, budget)
    assert re.search(rf'max="10" step="1" value="7"\s+aria-describedby="desc-{first.pk} ', ann_page)
    assert re.search(rf'max="3" step="1" value="0"\s+aria-describedby="desc-{second.pk} ', ann_page)
    assert re.search(rf'max="10" step="1" value="0"\s+aria-describedby="desc-{first.pk} ', bob_page)
    refused = ballot(ann, budget, **{f"points-{second.pk}": "drie", "action": "save"})
    assert re.search(rf'aria-describedby="desc-{second.pk} [^"]*" aria-invalid="true"', refused)
    assert "Vul een heel getal in." in refused


def test_the_list_is_kept_until_a_new_generation(kern, budget, kept):
    ann = voter_in(kern)
    assert "Speeltuin" in ballot(ann, budget)
    Project.objects.filter(pk=budget.p[0].pk).update(title="Stilletjes veranderd")  # no service, no generation
    assert "Speeltuin" in ballot(ann, budget)
    invalidate_pages()  # what every service that changes a budget or its projects does after its commit
    assert "Stilletjes veranderd" in ballot(ann, budget)


def test_the_list_is_kept_per_language(kern, kept):
    budget = BudgetFactory(box=BallotBoxFactory(kern=kern), ballot_format=BallotFormat.POINTS, points_total=10)
    ProjectFactory(budget=budget)
    ann = voter_in(kern)
    assert '<span aria-hidden="true">punten</span>' in ballot(ann, budget)
    ann.cookies["django_language"] = "en"
    assert '<span aria-hidden="true">points</span>' in ballot(ann, budget)
    ann.cookies["django_language"] = "nl"
    assert '<span aria-hidden="true">punten</span>' in ballot(ann, budget)


def test_nothing_a_resident_typed_acts_as_a_slot(kern, kept):
    budget = BudgetFactory(box=BallotBoxFactory(kern=kern), amount=10_000)
    project = ProjectFactory(budget=budget, title="<script>alert(1)</script>", cost=1_000)
    guessed = f"@@{'0' * 20}:checked:{project.pk}@@"  # a slot's form, without the key derived from SECRET_KEY
    Project.objects.filter(pk=project.pk).update(summary=f"Tekst {guessed} @@csrf@@")
    page = ballot(voter_in(kern), budget)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert re.search(rf'id="desc-{project.pk}">([^<]*)<', page).group(1) == f"Tekst {guessed} @@csrf@@"
    assert checked(page) == set()


def test_each_budget_keeps_its_own_list(kern, budget, kept):
    other = BudgetFactory(box=BallotBoxFactory(kern=kern), amount=10_000)
    ProjectFactory(budget=other, title="Pannaveld")
    ann = voter_in(kern)
    assert "Speeltuin" in ballot(ann, budget)
    page = ballot(ann, other)
    assert "Pannaveld" in page and "Speeltuin" not in page


def test_notes_and_errors_are_written_as_text(budget):
    key = str(budget.p[0].pk)
    html = ballot_items(budget, budget.p, choices={}, notes={key: "<b>let op</b>"}, limits={},
                        errors={key: "<i>fout</i> & meer"})
    assert "&lt;b&gt;let op&lt;/b&gt;" in html and "&lt;i&gt;fout&lt;/i&gt; &amp; meer" in html
    assert "<b>" not in html and "<i>" not in html
