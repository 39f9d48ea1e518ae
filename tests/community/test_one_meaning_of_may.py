"""Community doors ask rules only: notifications are read on GET and marked read on POST only; the
"Bureau" link follows the staff-desk rule; the kern's URL comes from the CMS without the domain importing it."""

import ast
from pathlib import Path

import pytest

from community.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db


def test_notifications_page_only_reads(client, resident):
    note = factories.NotificationFactory(recipient=resident)
    client.force_login(resident)
    html = client.get("/mijn/meldingen/").content.decode()
    assert "Alles als gelezen markeren" in html
    assert Notification.objects.get(pk=note.pk).read_at is None


def test_marking_read_stops_at_the_newest_notification_shown(client, resident):
    shown = factories.NotificationFactory(recipient=resident)
    client.force_login(resident)
    client.get("/mijn/meldingen/")
    later = factories.NotificationFactory(recipient=resident)  # arrives after the page was shown
    someone_elses = factories.NotificationFactory(recipient=factories.UserFactory())
    response = client.post("/mijn/meldingen/gelezen/", {"up_to_id": shown.pk})
    assert response.status_code == 302
    assert Notification.objects.get(pk=shown.pk).read_at is not None
    assert Notification.objects.get(pk=later.pk).read_at is None
    assert Notification.objects.get(pk=someone_elses.pk).read_at is None


def test_marking_read_rejects_bad_input_and_get(client, resident):
    note = factories.NotificationFactory(recipient=resident)
    client.force_login(resident)
    assert client.get("/mijn/meldingen/gelezen/").status_code == 405
    for bad in ("veel", "-1", "0", str(2**64)):  # the last one no database integer holds
        response = client.post("/mijn/meldingen/gelezen/", {"up_to_id": bad})
        assert response.status_code == 302, bad
    client.post("/mijn/meldingen/gelezen/", {})
    assert Notification.objects.get(pk=note.pk).read_at is None


@pytest.mark.parametrize("role,shown", [
    ("resident", False), ("council", False), ("staff", True), ("superuser", True), ("superuser_not_staff", False)])
def test_bureau_link_follows_the_staff_desk_rule(client, cast, role, shown):
    client.force_login(cast[role])
    html = client.get("/contact/").content.decode()
    assert ('href="/bureau/"' in html) is shown
    assert client.get("/bureau/").status_code == (200 if shown else 403)


def test_kern_url_comes_from_the_cms(kern):
    from tests.pages import build_kern_page

    assert kern.get_absolute_url() == "/kernen/"
    page = build_kern_page(kern)
    assert kern.get_absolute_url() == page.url


def test_community_models_do_not_import_the_cms():
    models_package = Path(__file__).resolve().parents[2] / "community" / "models"
    tree = ast.parse("\n".join(path.read_text() for path in sorted(models_package.glob("*.py"))))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert not {name for name in imported if name and name.split(".")[0] == "cms"}
