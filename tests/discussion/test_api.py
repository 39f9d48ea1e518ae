"""/api/v1/ threads and comments: same services, same rules, in the OpenAPI schema."""

import pytest
from rest_framework.test import APIClient

from discussion import services
from discussion.models import Comment, Flag
from tests import factories
from tests.factories_discussion import CommentFactory, kern_thread, private_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def thread(kern):
    return kern_thread(kern)


def test_read_thread_and_comments_anonymously(api, thread, resident):
    services.post_comment(thread=thread, author=resident, body="Publiek")
    assert api.get(f"/api/v1/threads/{thread.pk}/").json()["stream"] == f"thread.{thread.pk}"
    data = api.get(f"/api/v1/threads/{thread.pk}/comments/").json()
    assert data["count"] == 1 and "Publiek" in data["results"][0]["body_html"]
    assert api.post(f"/api/v1/threads/{thread.pk}/comments/", {"body": "x"}).status_code == 403


def test_post_with_client_key_is_idempotent(api, thread, resident):
    api.force_authenticate(resident)
    first = api.post(f"/api/v1/threads/{thread.pk}/comments/", {"body": "Eén", "client_key": "k1"}, format="json")
    again = api.post(f"/api/v1/threads/{thread.pk}/comments/", {"body": "Eén", "client_key": "k1"}, format="json")
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"] and Comment.objects.count() == 1


def test_bad_input_is_a_clear_error(api, thread, resident):
    api.force_authenticate(resident)
    response = api.post(f"/api/v1/threads/{thread.pk}/comments/", {"body": "   "}, format="json")
    assert response.status_code == 400 and not Comment.objects.exists()


def test_rate_limit_answers_429(api, thread, resident, settings):
    settings.DISCUSSION_RATE_LIMIT = (1, 60)
    api.force_authenticate(resident)
    assert api.post(f"/api/v1/threads/{thread.pk}/comments/", {"body": "a"}, format="json").status_code == 201
    assert api.post(f"/api/v1/threads/{thread.pk}/comments/", {"body": "b"}, format="json").status_code == 429


def test_private_thread_is_404(api, kern):
    thread = private_thread(kern=kern)
    api.force_authenticate(factories.UserFactory())
    assert api.get(f"/api/v1/threads/{thread.pk}/comments/").status_code == 404


def test_react_flag_moderate_edit_delete(api, thread, resident, verified_resident, council_member):
    comment = services.post_comment(thread=thread, author=resident, body="Tekst")
    api.force_authenticate(verified_resident)
    reacted = api.post(f"/api/v1/comments/{comment.pk}/reactions/", {"kind": "eens"}, format="json").json()
    assert reacted["active"] is True and reacted["counts"]["eens"] == 1
    assert api.post(f"/api/v1/comments/{comment.pk}/reactions/", {"kind": "boos"}, format="json").status_code == 400
    assert api.post(f"/api/v1/comments/{comment.pk}/flags/", {"reason": "Spam"}, format="json").status_code == 201
    assert Flag.objects.count() == 1
    assert api.post(f"/api/v1/comments/{comment.pk}/moderation/", {"action": "hide", "reason": "x"},
                    format="json").status_code == 403
    assert api.patch(f"/api/v1/comments/{comment.pk}/", {"body": "anders"}, format="json").status_code == 403
    api.force_authenticate(council_member)
    hidden = api.post(f"/api/v1/comments/{comment.pk}/moderation/", {"action": "hide", "reason": "Spam"},
                      format="json")
    assert hidden.status_code == 200 and hidden.json()["is_hidden"] is True
    api.force_authenticate(verified_resident)
    assert api.get(f"/api/v1/comments/{comment.pk}/").status_code == 404
    assert api.get(f"/api/v1/threads/{thread.pk}/comments/").json()["count"] == 0
    api.force_authenticate(resident)
    assert api.get(f"/api/v1/comments/{comment.pk}/").json()["hidden_reason"] == "Spam"
    mine = services.post_comment(thread=thread, author=resident, body="Nieuw")
    assert api.patch(f"/api/v1/comments/{mine.pk}/", {"body": "Nieuw!"}, format="json").json()["edited_at"]
    assert api.delete(f"/api/v1/comments/{mine.pk}/").status_code == 204


def test_comment_list_queries_stay_flat(api, thread, django_assert_max_num_queries):
    for n in range(30):
        services.post_comment(thread=thread, author=factories.UserFactory(), body=f"r{n}")
    with django_assert_max_num_queries(8):
        assert api.get(f"/api/v1/threads/{thread.pk}/comments/").status_code == 200


def test_endpoints_are_in_the_schema(client):
    schema = client.get("/api/schema/").content.decode()
    for path in ["/api/v1/threads/{id}/comments/", "/api/v1/comments/{id}/reactions/",
                 "/api/v1/comments/{id}/flags/", "/api/v1/comments/{id}/moderation/"]:
        assert path in schema


def test_a_reply_to_a_comment_of_another_thread_is_a_clear_error(api, thread, resident):
    elsewhere = CommentFactory(thread=services.get_or_create_thread(target=factories.KernFactory()))
    api.force_authenticate(resident)
    response = api.post(f"/api/v1/threads/{thread.pk}/comments/", {"body": "Verdwaald", "parent": elsewhere.pk},
                        format="json")
    assert response.status_code == 400 and "antwoorden" in str(response.json())
    assert not Comment.objects.filter(body="Verdwaald").exists()
