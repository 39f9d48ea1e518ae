from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Website")

    def ready(self):
        # The page cache's signal receivers must be connected in every process that publishes pages
        # (management commands, workers), not only where the middleware is loaded.
        import cms.signals  # noqa: F401
