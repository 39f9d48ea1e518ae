"""{% form_fields %}: the empty fields of a form that looks the same to everyone are kept; anything of the
person, a posted form and the hidden fields (which carry per-render keys) never are."""

import pytest

from core.templatetags.form_fields import _hidden_input, form_fields
from discussion.forms import CommentForm
from initiatives.forms import PledgeForm, UpdateForm

pytestmark = pytest.mark.django_db

HOSTILE = '"><script>alert(1)</script>'


@pytest.fixture(autouse=True)
def _kept(settings):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300


@pytest.mark.parametrize("form", [
    PledgeForm(), PledgeForm(money_allowed=False), PledgeForm(initial={"idempotency_key": HOSTILE}),
    CommentForm(), CommentForm(initial={"parent": 5, "client_key": HOSTILE}), CommentForm(prefix="antwoord"),
    CommentForm(auto_id=False),
], ids=["pledge", "pledge-no-money", "pledge-hostile", "comment", "comment-initial", "comment-prefix",
        "comment-no-id"])
def test_hidden_inputs_read_exactly_as_django_writes_them(form):
    for field in form.hidden_fields():
        assert _hidden_input(field) == str(field)
    assert "<script>" not in form_fields(form)


def test_the_kept_fields_are_the_same_for_everyone_but_each_gets_its_own_key():
    first, second = form_fields(PledgeForm()), form_fields(PledgeForm())
    assert first != second  # the idempotency keys differ
    visible = first.split('name="confirm_repeat" id="id_confirm_repeat">')[1]
    assert visible == second.split('name="confirm_repeat" id="id_confirm_repeat">')[1]
    assert 'name="amount"' in visible and 'name="amount"' not in form_fields(PledgeForm(money_allowed=False))


def test_a_posted_form_shows_its_own_values_and_errors():
    form_fields(PledgeForm())  # the empty fields are kept now
    posted = PledgeForm(data={"kind": "money", "amount": "", "message": "Voor de bank", "idempotency_key": "k"})
    assert not posted.is_valid()
    html = form_fields(posted)
    assert "Voor de bank" in html and "Vul dit in voor uw toezegging." in html


def test_a_form_that_does_not_declare_itself_the_same_for_everyone_is_never_kept():
    assert "Eerste titel" in form_fields(UpdateForm(initial={"title": "Eerste titel"}))
    second = form_fields(UpdateForm(initial={"title": "Tweede titel"}))
    assert "Tweede titel" in second and "Eerste titel" not in second
