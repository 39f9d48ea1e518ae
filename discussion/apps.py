from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionConfig(AppConfig):
    name = "discussion"
    verbose_name = _("Gesprekken")

    def ready(self):
        from community.privacy import register
        from discussion.notification_kinds import register_kinds
        from discussion.targets import register_defaults

        register_defaults()
        register_kinds()
        register("discussion.privacy")

        from discussion.sections import register_sections

        register_sections()

        from community.auth import load_kern_ids_with_person
        from discussion.models import KernBlock

        load_kern_ids_with_person("_blocked_kern_ids", KernBlock)  # read by discussion.rules
