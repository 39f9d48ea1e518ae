from django.apps import AppConfig


class MapsConfig(AppConfig):
    name = "maps"

    def ready(self):
        from maps import rules  # noqa: F401  (registers the rules)
