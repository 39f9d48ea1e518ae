"""A page kept for visitors shows a new comment at once: every thread event empties the kept pages."""

import pytest
from django.test import Client

from discussion import services
from tests import factories
from tests.factories_discussion import kern_thread
from tests.pages import build_home, build_kern_page

pytestmark = pytest.mark.django_db


def test_a_visitor_sees_a_new_comment_on_a_kept_kern_page(kern, settings, django_capture_on_commit_callbacks):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300
    page = build_kern_page(kern, build_home())
    thread = kern_thread(kern)
    visitor = Client()
    assert "Wie helpt er zaterdag mee?" not in visitor.get(page.url).content.decode()  # now kept
    with django_capture_on_commit_callbacks(execute=True):
        services.post_comment(thread=thread, author=factories.UserFactory(kern=kern),
                              body="Wie helpt er zaterdag mee?")
    assert "Wie helpt er zaterdag mee?" in visitor.get(page.url).content.decode()
