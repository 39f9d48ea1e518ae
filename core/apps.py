from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared infrastructure every domain app stands on: asking "may", the page cache, files, API errors."""

    name = "core"
    verbose_name = "Samenlab"

    def ready(self):
        from core import checks  # noqa: F401 - registers the system checks
