"""The one way uploaded files are served: registered prefixes only, the owning object's rule, no way out of
MEDIA_ROOT, and Wagtail's CMS images as public content."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.files.storage import default_storage
from wagtail.images import get_image_model

from core import files
from tests.photos import jpeg_bytes


@pytest.fixture
def open_prefix(db, monkeypatch):
    """A test prefix whose ``find`` owns every name: only the path checks stand between a URL and a file."""
    monkeypatch.setattr(files, "_registry", dict(files._registry))
    files.register("proef", find=lambda name: object(), perm=None)


@pytest.mark.parametrize("path", [
    "../secret.txt", "proef/../../secret.txt", "proef/./x.txt", "proef//x.txt", "/etc/passwd", "proef/x\\..\\y",
    "proef/x\x00.txt", "", "proef/", "..", ".", "proef/%2e%2e/x.txt",
])
def test_names_that_leave_or_bend_the_media_folder_are_refused(path):
    assert files.clean_name(path) is None


def test_a_plain_name_is_kept():
    assert files.clean_name("initiatives/abc/480.jpg") == "initiatives/abc/480.jpg"


@pytest.mark.parametrize("url", [
    "/media/../secret.txt",
    "/media/proef/../../secret.txt",
    "/media/%2e%2e/secret.txt",
    "/media/proef/%2e%2e%2f%2e%2e%2fsecret.txt",
    "/media/proef/..%2f..%2fsecret.txt",
    "/media/proef/%252e%252e/secret.txt",
    "/media//etc/passwd",
    "/media/%2fetc%2fpasswd",
    "/media/proef%2f..%2f..%2fsecret.txt",
    "/media/proef/..\\..\\secret.txt",
])
@pytest.mark.parametrize("accel", ["", "/protected-media/"], ids=["django-sends", "nginx-sends"])
def test_path_traversal_answers_404(client, settings, tmp_path, open_prefix, url, accel):
    """Behind nginx the storage's own checks are not there to help: the name itself must be refused."""
    settings.MEDIA_ACCEL_REDIRECT = accel
    (tmp_path / "secret.txt").write_text("geheim")  # next to MEDIA_ROOT (tmp_path / "media")
    default_storage.save("proef/ok.txt", ContentFile(b"gewoon"))
    assert client.get("/media/proef/ok.txt").status_code == 200, "the test prefix serves plain names"

    response = client.get(url)

    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response
    assert b"geheim" not in b"".join(getattr(response, "streaming_content", [response.content]))


def test_a_file_nobody_registered_is_not_served(client, db):
    name = default_storage.save("prive/verslag.txt", ContentFile(b"vertrouwelijk"))
    assert client.get(f"/media/{name}").status_code == 404
    assert "prive" not in files.registered_prefixes()


def test_only_reading_is_allowed(client, open_prefix):
    default_storage.save("proef/ok.txt", ContentFile(b"gewoon"))
    assert client.post("/media/proef/ok.txt").status_code == 405
    assert client.head("/media/proef/ok.txt").status_code == 200


def test_a_prefix_is_one_folder_and_claimed_once(monkeypatch):
    monkeypatch.setattr(files, "_registry", {})
    for bad in ("", "a/b", "..", "."):
        with pytest.raises(ImproperlyConfigured):
            files.register(bad, find=lambda name: None, perm=None)

    def find(name):
        return None

    files.register("eigen", find=find, perm="app.view")
    files.register("eigen", find=find, perm="app.view")  # a second ready() is harmless
    with pytest.raises(ImproperlyConfigured):
        files.register("eigen", find=lambda name: None, perm="app.view")
    with pytest.raises(ImproperlyConfigured):  # the same files asked about in another way: a second claim too
        files.register("eigen", find=find, perm="app.view", subject=lambda request, obj: obj)


def test_a_kind_with_a_subject_asks_the_rule_about_it_for_a_visitor_with_a_request_only(monkeypatch, rf):
    """A guest has no account: their request (its cookie) is what the subject is made from. Without a request
    nobody is asked beyond the anonymous "may anyone?"."""

    monkeypatch.setattr(files, "_registry", {})
    asked = []

    def subject(request, obj):
        asked.append(request)
        return "seated" if request is not None and request.COOKIES.get("seat") else "nobody"

    import rules

    rules.add_perm("proef.view_seated", rules.predicate(lambda user, about: about == "seated"))
    try:
        _ask_as_guest(subject, asked, rf)
    finally:
        rules.remove_perm("proef.view_seated")


def _ask_as_guest(subject, asked, rf):
    from django.contrib.auth.models import AnonymousUser

    files.register("gast", find=lambda name: "card", perm="proef.view_seated", subject=subject)
    guest = rf.get("/media/gast/x/1.jpg")
    guest.COOKIES["seat"] = "1"
    decision = files.decide(AnonymousUser(), "gast/x/1.jpg", request=guest)
    assert decision is not None and not decision.public and asked == [None, guest]
    assert files.decide(AnonymousUser(), "gast/x/1.jpg", request=rf.get("/")) is None
    assert files.decide(AnonymousUser(), "gast/x/1.jpg") is None


def test_file_keys_are_random_and_url_safe():
    keys = {files.new_file_key() for _ in range(100)}
    assert len(keys) == 100
    assert all(len(key) == files.FILE_KEY_LENGTH and key.replace("-", "").replace("_", "").isalnum() for key in keys)


def test_wagtail_images_and_renditions_stay_public(client, db):
    image = get_image_model().objects.create(title="Molen", file=ImageFile(ContentFile(jpeg_bytes((80, 60))),
                                                                            name="molen.jpg"))
    rendition = image.get_rendition("fill-40x40")
    assert image.file.name.startswith("original_images/") and rendition.file.name.startswith("images/")

    for name in (image.file.name, rendition.file.name):
        response = client.get(default_storage.url(name))
        assert response.status_code == 200, name
        assert response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"] == "public, max-age=3600"
    # Only files Wagtail knows: something else dropped into its folders is not served.
    stray = default_storage.save("original_images/los.jpg", ContentFile(jpeg_bytes()))
    assert client.get(default_storage.url(stray)).status_code == 404


def test_an_upload_can_never_act_as_a_page(client, settings, open_prefix):
    """Even with the site-wide setting off, an upload is not sniffed into HTML and may run nothing."""
    settings.SECURE_CONTENT_TYPE_NOSNIFF = False
    default_storage.save("proef/pagina.html", ContentFile(b"<script>alert(1)</script>"))

    response = client.get("/media/proef/pagina.html")

    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]
