"""A poll on a content page: the block names a poll by its number, the page shows each visitor their own card,
and the search index holds the poll's text (never a count)."""

import pytest
from wagtail.blocks import StreamValue
from wagtail.blocks.struct_block import StructBlockValidationError

from cms.blocks import PollBlock
from cms.models import ContentPage
from core.pagecache import invalidate_pages
from tests.factories import UserFactory
from tests.factories_voting import BallotBoxFactory, PollFactory
from tests.pages import build_home
from voting.models import Ballot

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_with_poll(kern):
    poll = PollFactory(box=BallotBoxFactory(kern=kern), question="Hoe vindt u het nieuwe plein?")
    home = build_home()
    page = ContentPage(title="Het nieuwe plein", slug="plein", body=[("paragraph", "<p>Lees mee.</p>"),
                                                                     ("poll", {"poll": poll.pk})])
    home.add_child(instance=page)
    page.save_revision().publish()
    invalidate_pages()
    return page, poll


def test_the_block_refuses_a_poll_that_does_not_exist():
    block = PollBlock()
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python({"poll": 999999}))


def test_the_block_holds_a_poll_by_its_number(page_with_poll):
    page, poll = page_with_poll
    value = PollBlock().clean(PollBlock().to_python({"poll": poll.pk}))
    assert value["poll"] == poll.pk
    assert isinstance(page.body, StreamValue) and [block.block_type for block in page.body] == ["paragraph", "poll"]


def test_the_content_page_shows_the_poll_and_a_resident_votes_there(client, page_with_poll, kern):
    page, poll = page_with_poll
    html = client.get(page.url).content.decode()
    assert "Hoe vindt u het nieuwe plein?" in html and f'id="peiling-{poll.pk}"' in html and "polls.css" in html
    resident = UserFactory(kern=kern)
    client.force_login(resident)
    html = client.get(page.url).content.decode()
    key = html.split('name="sleutel" value="')[1].split('"')[0]
    response = client.post(f"/peilingen/{poll.pk}/stemmen/", {"keuze": [poll.options.first().pk], "sleutel": key,
                                                              "terug": page.url})
    assert response["Location"] == f"{page.url}#peiling-{poll.pk}"
    assert "Uw stem is geteld" in client.get(page.url).content.decode() and Ballot.objects.count() == 1


def test_a_removed_poll_leaves_the_page_whole(client, page_with_poll):
    page, poll = page_with_poll
    poll.box.delete()
    invalidate_pages()
    response = client.get(page.url)
    assert response.status_code == 200 and "Lees mee." in response.content.decode()


def test_the_search_index_holds_the_question_and_the_answers(page_with_poll):
    _page, poll = page_with_poll
    content = PollBlock().get_searchable_content({"poll": poll.pk})
    assert content[0] == "Hoe vindt u het nieuwe plein?" and "Bankjes" in content
    assert PollBlock().get_searchable_content({"poll": 999999}) == []
