from django.apps import AppConfig


class LabConfig(AppConfig):
    name = "lab"

    def ready(self):
        from community.privacy import register
        from lab import rules  # noqa: F401  (registers lab's rules)
        from lab.notification_kinds import register_kinds

        register("lab.privacy")
        register_kinds()
