from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Website")

    def ready(self):
        # The page cache's signal receivers must be connected in every process that publishes pages
        # (management commands, workers), not only where the middleware is loaded.
        import cms.signals  # noqa: F401
        from community.models import register_kern_url_resolver

        register_kern_url_resolver(kern_page_url)

        from community import links

        links.register("staff_directory", staff_directory_url)
        register_cms_images()


def kern_page_url(kern) -> str | None:
    """The live KernPage of ``kern``: the CMS supplies the kern's URL to the domain, not the reverse.

    All kern pages' URLs are looked up at once and kept in the cache for the current page generation
    (``core.pagecache``): publishing, moving or unpublishing a page starts a new generation, so the map
    is never stale, and pages that link to kernen cost no query for it.
    """
    from django.core.cache import cache

    from cms.models import KernPage
    from core.pagecache import generation

    key = f"samenlab:kern-urls:{generation()}"
    urls = cache.get(key)
    if urls is None:
        urls = {}
        for page in KernPage.objects.live().filter(kern__isnull=False).order_by("path"):  # not translations
            urls.setdefault(page.kern_id, page.url)
        cache.set(key, urls, timeout=3600)
    return urls.get(kern.pk)


def staff_directory_url() -> str | None:
    """The live staff directory page ("Wie helpt u graag?"), cached for the current page generation."""
    from django.core.cache import cache

    from cms.models import StaffDirectoryPage, in_site_language
    from core.pagecache import generation

    key = f"samenlab:staff-directory-url:{generation()}"
    url = cache.get(key)
    if url is None:
        page = in_site_language(StaffDirectoryPage.objects.live()).first()
        url = page.url if page else ""
        cache.set(key, url, timeout=3600)
    return url or None


def _find_original(name):
    from wagtail.images import get_image_model

    return get_image_model().objects.filter(file=name).only("pk").first()


def _find_rendition(name):
    from wagtail.images import get_image_model

    return get_image_model().get_rendition_model().objects.filter(file=name).only("pk").first()


def register_cms_images():
    """Wagtail's images (CMS pages, staff photos) are public content: served to everyone, cacheable.

    Only names Wagtail knows are served (one query), not whatever else lies in those folders.
    """
    from core import files

    files.register("original_images", find=_find_original, perm=None)
    files.register("images", find=_find_rendition, perm=None)
