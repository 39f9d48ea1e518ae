"""Admin writes go through services that ask the rule: kernen (admins only, page cache emptied) and
call-back requests (handle_callback assigns and timestamps) in the Wagtail snippet forms."""

import pytest
from django.contrib.auth.models import Permission

from community.models import CallbackRequest, Kern
from tests import factories

pytestmark = pytest.mark.django_db


def _kern_form(kern, **changes):
    data = {"name": kern.name, "slug": kern.slug, "latitude": str(kern.latitude), "longitude": str(kern.longitude),
            "postcode_prefix": kern.postcode_prefix, "council_name": kern.council_name,
            "council_email": kern.council_email}
    return {**data, **changes}


def test_superuser_edits_a_kern_through_the_service(client, cast, kern, monkeypatch):
    emptied = []
    monkeypatch.setattr("core.pagecache.invalidate_pages_after_commit", lambda: emptied.append(True))
    client.force_login(cast["superuser"])
    response = client.post(f"/admin/snippets/community/kern/edit/{kern.pk}/", _kern_form(kern, name="Arkel-Noord"))
    assert response.status_code == 302, response.content[:500]
    assert Kern.objects.get(pk=kern.pk).name == "Arkel-Noord"
    assert emptied


def test_staff_with_wagtail_permission_is_still_refused_by_the_rule(client, cast, kern):
    staff = cast["staff"]
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["change_kern", "add_kern"]))
    client.force_login(staff)
    response = client.post(f"/admin/snippets/community/kern/edit/{kern.pk}/", _kern_form(kern, name="Anders"))
    # the service's refusal comes back on the form (Wagtail shows it as an error); nothing saved
    assert response.status_code == 200
    assert "Alleen beheerders van de site wijzigen kernen." in response.content.decode()
    assert Kern.objects.get(pk=kern.pk).name == "Arkel"


def test_callback_status_in_wagtail_goes_through_handle_callback(client, cast, kern):
    callback = factories.CallbackRequestFactory(kern=kern)
    client.force_login(cast["superuser"])
    response = client.post(f"/admin/snippets/community/callbackrequest/edit/{callback.pk}/",
                           {"status": CallbackRequest.Status.DONE, "staff_note": "Gebeld"})
    assert response.status_code == 302, response.content[:500]
    callback.refresh_from_db()
    assert callback.status == CallbackRequest.Status.DONE
    assert callback.assigned_to == cast["superuser"] and callback.handled_at is not None  # what the service does


def test_discussion_in_the_django_admin_is_read_only(client, cast):
    from tests.factories_discussion import CommentFactory

    comment = CommentFactory()
    client.force_login(cast["superuser"])
    assert client.get("/django-admin/discussion/comment/").status_code == 200
    client.post(f"/django-admin/discussion/comment/{comment.pk}/change/", {"body": "Herschreven"})
    client.post(f"/django-admin/discussion/comment/{comment.pk}/delete/", {"post": "yes"})
    comment.refresh_from_db()
    assert comment.body != "Herschreven" and comment.deleted_at is None
    assert type(comment).objects.filter(pk=comment.pk).exists()
