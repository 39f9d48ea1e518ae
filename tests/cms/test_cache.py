"""The anonymous page cache: anonymous visitors get a stored page, signed-in ones never, publishing empties it."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from cms.models import ContentPage
from core import pagecache as page_cache
from tests import factories
from tests.pages import build_home, build_kern_page

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def home(db):
    return build_home()


@pytest.fixture
def about(home):
    page = ContentPage(title="Over Samenlab", slug="over", intro="Het digitale dorpsplein.")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_an_anonymous_visitor_gets_the_stored_page_without_a_query(about, django_assert_max_num_queries):
    first = Client().get("/over/")
    assert first.status_code == 200 and first["X-Page-Cache"] == "miss"
    with django_assert_max_num_queries(0):
        second = Client().get("/over/")
    assert second.status_code == 200 and second["X-Page-Cache"] == "hit"
    assert "Het digitale dorpsplein." in second.content.decode()


def test_each_visitor_gets_their_own_csrf_token_from_a_stored_page(about):
    assert Client().get("/over/")["X-Page-Cache"] == "miss"
    tokens = []
    for _visitor in range(2):
        client = Client(enforce_csrf_checks=True)
        response = client.get("/over/")
        assert response["X-Page-Cache"] == "hit"
        token = TOKEN.search(response.content.decode()).group(1)
        tokens.append(token)
        # The language switch on the cached page works with this visitor's own cookie.
        switched = client.post("/i18n/setlang/", {"language": "en", "next": "/over/", "csrfmiddlewaretoken": token})
        assert switched.status_code == 302
    assert tokens[0] != tokens[1]


def test_signed_in_visitors_are_never_served_from_or_stored_in_the_cache(home):
    anonymous = Client().get("/")
    assert anonymous["X-Page-Cache"] == "miss"
    client = Client()
    client.force_login(factories.UserFactory(first_name="Jan"))
    for _request in range(2):
        response = client.get("/")
        assert "X-Page-Cache" not in response
        assert "Naar Mijn Samenlab" in response.content.decode()
    assert Client().get("/")["X-Page-Cache"] == "hit"
    assert "Naar Mijn Samenlab" not in Client().get("/").content.decode()


def test_publishing_a_page_empties_the_cache(home, about):
    assert Client().get("/")["X-Page-Cache"] == "miss"
    assert Client().get("/over/")["X-Page-Cache"] == "miss"
    assert Client().get("/over/")["X-Page-Cache"] == "hit"
    about.title = "Over ons dorpsplein"
    about.save_revision().publish()
    response = Client().get("/over/")
    assert response["X-Page-Cache"] == "miss" and "Over ons dorpsplein" in response.content.decode()
    assert Client().get("/")["X-Page-Cache"] == "miss"  # other pages may show the changed one


def test_unpublishing_a_page_removes_it_for_anonymous_visitors(about):
    assert Client().get("/over/").status_code == 200
    about.unpublish()
    assert Client().get("/over/").status_code == 404


def test_each_language_has_its_own_copy(about):
    dutch = Client().get("/over/")
    english = Client(headers={"Accept-Language": "en"}).get("/over/")
    assert english["X-Page-Cache"] == "miss"
    assert 'lang="nl"' in dutch.content.decode() and 'lang="en"' in english.content.decode()
    assert 'lang="en"' in Client(headers={"Accept-Language": "en"}).get("/over/").content.decode()


def test_other_views_and_visitors_with_a_session_or_message_are_not_cached(about, home):
    assert "X-Page-Cache" not in Client().get("/contact/")
    assert "X-Page-Cache" not in Client().get("/zoeken/?q=over")
    assert "X-Page-Cache" not in Client().get("/over/?utm_source=nieuwsbrief")
    assert Client().get("/over/?pagina=2")["X-Page-Cache"] == "miss"  # a parameter pages do read
    assert Client().get("/over/?pagina=2")["X-Page-Cache"] == "hit"
    Client().get("/over/")
    with_messages = Client()
    with_messages.cookies["messages"] = "something"
    assert "X-Page-Cache" not in with_messages.get("/over/")
    with_session = Client()
    with_session.cookies["sessionid"] = "not-a-real-session"
    assert "X-Page-Cache" not in with_session.get("/over/")


def test_the_cache_is_off_at_zero_seconds(about, settings):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 0
    Client().get("/over/")
    assert "X-Page-Cache" not in Client().get("/over/")


def test_invalidate_pages_can_be_called_by_services(about):
    Client().get("/over/")
    page_cache.invalidate_pages()
    assert Client().get("/over/")["X-Page-Cache"] == "miss"


@pytest.fixture
def kern_page(home):
    return build_kern_page(factories.KernFactory(name="Arkel", slug="arkel"), home)


def test_a_published_initiative_and_a_pledge_show_on_the_cached_kern_page_at_once(
        kern_page, django_capture_on_commit_callbacks):
    from initiatives.models import Status
    from initiatives.services import approve_initiative, pledge
    from tests.factories_initiatives import InitiativeFactory

    initiative = InitiativeFactory(kern=kern_page.kern, status=Status.SUBMITTED, title="Bankje bij de kerk")
    assert Client().get("/kernen/arkel/")["X-Page-Cache"] == "miss"
    assert "Bankje bij de kerk" not in Client().get("/kernen/arkel/").content.decode()

    council = factories.CouncilMembershipFactory(kern=kern_page.kern).user
    with django_capture_on_commit_callbacks(execute=True):
        approve_initiative(actor=council, initiative=initiative)
    after_approval = Client().get("/kernen/arkel/")
    assert after_approval["X-Page-Cache"] == "miss"
    assert "Bankje bij de kerk" in after_approval.content.decode()

    assert Client().get("/kernen/arkel/")["X-Page-Cache"] == "hit"
    initiative.refresh_from_db()
    assert initiative.status == Status.FUNDING
    with django_capture_on_commit_callbacks(execute=True):
        pledge(pledger=factories.UserFactory(kern=kern_page.kern), initiative=initiative, kind="money",
               amount="25.00", idempotency_key="cache-test")
    assert Client().get("/kernen/arkel/")["X-Page-Cache"] == "miss"


def test_the_initiative_list_and_detail_are_cached_for_anonymous_visitors_and_emptied_by_a_comment(
        kern_page, django_capture_on_commit_callbacks):
    from discussion.services import get_or_create_thread, post_comment
    from initiatives.models import Status
    from tests.factories_initiatives import InitiativeFactory

    initiative = InitiativeFactory(kern=kern_page.kern, status=Status.PUBLISHED, title="Bankje bij de kerk")
    detail = initiative.get_absolute_url()
    assert Client().get("/initiatieven/?kern=arkel")["X-Page-Cache"] == "miss"
    assert Client().get("/initiatieven/?kern=arkel")["X-Page-Cache"] == "hit"
    assert Client().get(detail)["X-Page-Cache"] == "miss"
    assert Client().get(detail)["X-Page-Cache"] == "hit"
    # Free text and made-up parameters are never stored.
    assert "X-Page-Cache" not in Client().get("/initiatieven/?q=bankje")
    assert "X-Page-Cache" not in Client().get("/initiatieven/?verzonnen=1")

    neighbour = factories.UserFactory(kern=kern_page.kern)
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(author=neighbour, thread=get_or_create_thread(target=initiative), body="Goed plan, ik help mee!")
    fresh = Client().get(detail)
    assert fresh["X-Page-Cache"] == "miss" and "Goed plan, ik help mee!" in fresh.content.decode()


def test_signed_in_visitors_never_get_the_cached_initiative(kern_page):
    from initiatives.models import Status
    from tests.factories_initiatives import InitiativeFactory

    initiative = InitiativeFactory(kern=kern_page.kern, status=Status.PUBLISHED)
    assert Client().get(initiative.get_absolute_url())["X-Page-Cache"] == "miss"
    client = Client()
    client.force_login(factories.UserFactory(kern=kern_page.kern))
    assert "X-Page-Cache" not in client.get(initiative.get_absolute_url())
