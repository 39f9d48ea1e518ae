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
        register_cms_images()


def kern_page_url(kern) -> str | None:
    """The live KernPage of ``kern``: the CMS supplies the kern's URL to the domain, not the reverse."""
    from cms.models import KernPage

    page = KernPage.objects.live().filter(kern=kern).first()
    return page.url if page else None


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
