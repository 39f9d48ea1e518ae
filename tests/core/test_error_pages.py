"""400, 403, 404 and 500 in the site's design, in Dutch and English, with a person to talk to and a way on."""

import pytest
from django.db import OperationalError, connection
from django.test import Client, RequestFactory

from core.views import errors as views

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.error_urls")]

HELP = "Hulp nodig? Praat met een medewerker"


@pytest.fixture(autouse=True)
def _production_like(settings):
    settings.DEBUG = False


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


def assert_in_design(response, status: int):
    html = response.content.decode()
    assert response.status_code == status
    assert 'class="site-header' in html and 'class="site-footer' in html, "header and footer of the site"
    assert f"Foutcode {status}" in html
    assert f'href="/contact/">{HELP}</a>' in html.replace("\n", "").replace("  ", "")  # the help link…
    assert html.count('href="/contact/"') >= 2  # …in the header and on the page itself
    assert '<a href="/">Naar de startpagina</a>' in html
    return html


def test_404_explains_and_offers_search_and_home(client):
    html = assert_in_design(client.get("/bestaat-niet/"), 404)
    assert "Deze pagina bestaat niet (meer)" in html
    assert 'action="/zoeken/"' in html and 'name="q"' in html


def test_400_for_a_suspicious_request(client):
    html = assert_in_design(client.get("/test-fout/400/"), 400)
    assert "Dit verzoek begrijpen we niet" in html


def test_400_for_an_unknown_host_still_answers_a_page(client):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert HELP in response.content.decode()


def test_500_in_design_without_the_exception_text(client):
    html = assert_in_design(client.get("/test-fout/500/"), 500)
    assert "Er ging bij ons iets mis" in html and "Dit ligt niet aan u" in html
    assert "kapot" not in html and "Traceback" not in html


def test_500_page_needs_no_database(django_assert_num_queries):
    request = RequestFactory().get("/ergens/")
    with django_assert_num_queries(0):
        response = views.server_error(request)
    assert response.status_code == 500 and HELP in response.content.decode()


def test_500_page_when_the_database_is_down(client, resident):
    client.force_login(resident)

    def database_down(execute, sql, params, many, context):
        raise OperationalError("connection refused")

    with connection.execute_wrapper(database_down):
        response = client.get("/mijn/")  # the session and the user cannot be loaded
    assert_in_design(response, 500)


def test_500_falls_back_to_a_static_page_in_the_same_design(client, monkeypatch):
    def broken(name, *args, **kwargs):
        raise RuntimeError("template engine down")

    monkeypatch.setattr(views.loader, "get_template", broken)
    response = client.get("/test-fout/500/")
    html = response.content.decode()
    assert response.status_code == 500
    assert 'class="site-header' in html and "css/samenlab.css" in html
    assert f'<a class="help-link" href="/contact/">{HELP}</a>' in html
    assert "Er ging bij ons iets mis" in html and "template engine down" not in html


def broken_context_processor(request):
    raise RuntimeError("context processor down")


def test_other_error_pages_fall_back_when_a_context_processor_fails(client, settings):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "OPTIONS": {
        **settings.TEMPLATES[0]["OPTIONS"],
        "context_processors": [*settings.TEMPLATES[0]["OPTIONS"]["context_processors"],
                               "tests.core.test_error_pages.broken_context_processor"],
    }}]
    for url, status in (("/bestaat-niet/", 404), ("/test-fout/403/", 403), ("/test-fout/400/", 400)):
        response = client.get(url)
        assert response.status_code == status
        html = response.content.decode()
        assert HELP in html and f"Foutcode {status}" in html and "css/samenlab.css" in html
    assert_in_design(client.get("/test-fout/500/"), 500)  # the 500 page runs no context processors at all


def test_403_shows_the_reason_of_a_refusal_and_the_way_back(client, resident):
    client.force_login(resident)
    html = assert_in_design(client.get("/test-fout/geweigerd/"), 403)
    assert "Dit initiatief wordt nu beoordeeld. U kunt het weer bewerken als het terugkomt." in html
    assert '<a class="button" href="/initiatieven/1/">Terug naar uw initiatief</a>' in html
    assert "Inloggen</a></li>" not in html  # signed in already


def test_403_keeps_an_internal_reason_to_itself_and_offers_log_in_to_visitors(client):
    html = assert_in_design(client.get("/test-fout/403/"), 403)
    assert "interne reden" not in html
    assert 'href="/accounts/login/?next=/test-fout/403/"' in html


def test_403_never_links_back_to_another_site(client):
    html = assert_in_design(client.get("/test-fout/geweigerd-elders/"), 403)
    assert "Nee." in html and "evil.example" not in html


@pytest.mark.parametrize(("url", "status"), [("/bestaat-niet/", 404), ("/test-fout/500/", 500),
                                             ("/test-fout/403/", 403), ("/test-fout/400/", 400)])
def test_error_pages_speak_english(client, url, status):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == status
    assert '<html lang="en">' in html
    assert "Need help? Talk to a member of staff" in html


def test_error_pages_follow_the_language_switch(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert '<html lang="en">' in client.get("/bestaat-niet/").content.decode()


def test_editing_a_submitted_initiative_answers_the_403_page(client):
    from initiatives.models import Status
    from tests.factories_initiatives import InitiativeFactory

    initiative = InitiativeFactory(status=Status.SUBMITTED)
    client.force_login(initiative.initiator)
    response = client.get(f"/initiatieven/{initiative.pk}/bewerken/idee/")
    assert_in_design(response, 403)
