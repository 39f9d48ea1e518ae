"""The thread without JavaScript: plain forms and page reloads; moderation pages; the embed tag."""

import pytest
from django.template import RequestContext, Template
from django.test import RequestFactory

from core.permissions import may
from discussion import services
from discussion.models import Comment, Flag
from tests import factories
from tests.factories_discussion import CommentFactory, kern_thread, private_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(kern):
    return kern_thread(kern)


def test_anonymous_sees_the_thread_and_a_login_link(client, thread):
    CommentFactory(thread=thread, body="Mooi plan")
    page = client.get(f"/gesprek/{thread.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Mooi plan" in html and "Log in om mee te praten" in html and 'id="reageren"' not in html
    assert client.post(f"/gesprek/{thread.pk}/reageren/", {"body": "x"}).status_code == 302
    assert Comment.objects.count() == 1


def test_post_reply_edit_without_javascript(client, thread, resident):
    client.force_login(resident)
    response = client.post(f"/gesprek/{thread.pk}/reageren/", {"body": "Eerste", "next": "/kernen/arkel/"})
    comment = Comment.objects.get()
    assert response.url == f"/kernen/arkel/#reactie-{comment.pk}"
    client.post(f"/gesprek/{thread.pk}/reageren/", {"body": "Antwoord", "parent": comment.pk})
    assert Comment.objects.get(body="Antwoord").parent == comment
    client.post(f"/gesprek/reactie/{comment.pk}/bewerken/", {"body": "Eerste, verbeterd"})
    page = client.get(f"/gesprek/{thread.pk}/").content.decode()
    assert "Eerste, verbeterd" in page and "(bewerkt)" in page and "Antwoord" in page


def test_unsafe_next_is_ignored(client, thread, resident):
    client.force_login(resident)
    response = client.post(f"/gesprek/{thread.pk}/reageren/", {"body": "x", "next": "https://evil.example/"})
    assert response.url.startswith(f"/gesprek/{thread.pk}/")


def test_empty_comment_gives_an_error_and_changes_nothing(client, thread, resident):
    client.force_login(resident)
    response = client.post(f"/gesprek/{thread.pk}/reageren/", {"body": "  "}, follow=True)
    assert "Schrijf eerst uw reactie." in response.content.decode()
    assert not Comment.objects.exists()


def test_private_thread_is_not_found_for_others(client, kern):
    thread = private_thread(kern=kern)
    client.force_login(factories.UserFactory(kern=kern))
    assert client.get(f"/gesprek/{thread.pk}/").status_code == 404
    assert client.post(f"/gesprek/{thread.pk}/reageren/", {"body": "x"}).status_code == 404


def test_flag_and_moderation_queue(client, thread, resident, verified_resident, council_member,
                                   other_council_member):
    comment = services.post_comment(thread=thread, author=resident, body="Lelijk woord")
    client.force_login(verified_resident)
    assert client.get(f"/gesprek/reactie/{comment.pk}/melden/").status_code == 200
    client.post(f"/gesprek/reactie/{comment.pk}/melden/", {"reason": "Scheldt"})
    assert Flag.objects.get().reason == "Scheldt"
    assert client.get("/gesprek/moderatie/").status_code == 403
    client.force_login(other_council_member)
    assert "Lelijk woord" not in client.get("/gesprek/moderatie/").content.decode()
    client.force_login(council_member)
    assert "Lelijk woord" in client.get("/gesprek/moderatie/").content.decode()
    client.post(f"/gesprek/reactie/{comment.pk}/modereren/", {"action": "hide", "reason": "Wees aardig"})
    comment.refresh_from_db()
    assert comment.is_hidden
    assert "Lelijk woord" not in client.get("/gesprek/moderatie/").content.decode()


def test_hidden_comment_is_seen_by_author_and_moderators_only(client, thread, resident, council_member):
    comment = services.post_comment(thread=thread, author=resident, body="Verborgen tekst")
    services.hide_comment(comment=comment, moderator=council_member, reason="Persoonlijke aanval")
    for user, sees in [(None, False), (factories.UserFactory(), False), (resident, True), (council_member, True)]:
        client.logout()
        if user:
            client.force_login(user)
        page = client.get(f"/gesprek/{thread.pk}/").content.decode()
        assert ("Verborgen tekst" in page) is sees
        fragment = client.get(f"/gesprek/reactie/{comment.pk}/")
        assert fragment.status_code == (200 if sees else 404)
    client.force_login(resident)
    assert "Persoonlijke aanval" in client.get(f"/gesprek/{thread.pk}/").content.decode()


def test_block_from_the_queue(client, thread, resident, council_member):
    comment = services.post_comment(thread=thread, author=resident, body="x")
    client.force_login(council_member)
    client.post(f"/gesprek/reactie/{comment.pk}/blokkeren/", {"reason": "Spam"})
    fresh = type(resident).objects.get(pk=resident.pk)  # the blocked kernen are cached per request user
    assert not may(fresh, "discussion.post_comment", thread)


def test_close_thread(client, thread, council_member, resident):
    client.force_login(resident)
    assert client.post(f"/gesprek/{thread.pk}/sluiten/", {"reason": "x"}).status_code == 403
    client.force_login(council_member)
    client.post(f"/gesprek/{thread.pk}/sluiten/", {"reason": "Klaar"})
    thread.refresh_from_db()
    assert thread.is_closed


def test_thread_page_queries_do_not_grow_with_comments(client, thread, resident, django_assert_max_num_queries):
    client.force_login(resident)
    for n in range(3):
        parent = CommentFactory(thread=thread, body=f"c{n}")
        CommentFactory(thread=thread, parent=parent)
    with django_assert_max_num_queries(16) as few:
        client.get(f"/gesprek/{thread.pk}/")
    for n in range(30):
        parent = CommentFactory(thread=thread, body=f"d{n}")
        CommentFactory(thread=thread, parent=parent)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(f"/gesprek/{thread.pk}/")


def test_embed_tag_renders_the_thread_of_any_registered_object(kern, resident):
    request = RequestFactory().get("/kernen/arkel/")
    request.user = resident
    template = Template("{% load discussion %}{% discussion_thread kern %}")
    html = template.render(RequestContext(request, {"kern": kern}))
    # No thread yet: the empty thread, its form posting to the target's address; nothing was written.
    assert "data-thread" not in html and 'id="reageren"' in html
    assert f'action="/gesprek/over/community.kern/{kern.pk}/reageren/"' in html
    thread = kern_thread(kern)
    html = template.render(RequestContext(request, {"kern": kern}))
    assert f'data-thread="{thread.pk}"' in html and 'id="reageren"' in html


def test_the_kern_page_holds_the_village_conversation(client, kern, resident):
    from tests.pages import build_kern_page

    page = build_kern_page(kern)
    services.post_comment(thread=services.get_or_create_thread(target=kern), author=resident,
                          body="Wie helpt zaterdag mee met de zwerfvuilactie?")
    html = client.get(page.url).content.decode()
    assert f"Dorpsgesprek {kern.name}" in html
    assert "Wie helpt zaterdag mee met de zwerfvuilactie?" in html
    client.force_login(resident)
    assert 'id="reageren"' in client.get(page.url).content.decode()  # the form to take part


def test_an_initiative_page_holds_its_discussion_and_a_draft_keeps_it_private(client, kern, resident):
    from initiatives.models import Status
    from tests.factories_initiatives import InitiativeFactory

    public = InitiativeFactory(kern=kern, status=Status.PUBLISHED)
    services.post_comment(thread=services.get_or_create_thread(target=public), author=resident,
                          body="Mooi plan voor het dorp")
    assert "Mooi plan voor het dorp" in client.get(public.get_absolute_url()).content.decode()
    draft = InitiativeFactory(kern=kern, status=Status.DRAFT)
    client.force_login(resident)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(draft.initiator)
    assert 'id="reacties"' in client.get(draft.get_absolute_url()).content.decode()


def test_a_reply_to_a_comment_of_another_thread_is_refused_and_posts_nothing(client, thread, resident, kern):
    elsewhere = CommentFactory(thread=services.get_or_create_thread(target=factories.KernFactory()))
    client.force_login(resident)
    for forged in (elsewhere.pk, 987654):
        response = client.post(f"/gesprek/{thread.pk}/reageren/", {"body": "Verdwaald antwoord", "parent": forged},
                               follow=True)
        assert "U kunt niet op deze reactie antwoorden." in response.content.decode()
    assert not Comment.objects.filter(body="Verdwaald antwoord").exists()
