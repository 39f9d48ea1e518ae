from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = _("Mensen en plaatsen")

    def ready(self):
        from community.notification_kinds import register_kinds

        register_kinds()

        from community.sections import register_sections

        register_sections()

        from community.auth import load_kern_ids_with_person
        from community.models import CouncilMembership

        load_kern_ids_with_person("_council_kern_ids", CouncilMembership)  # read by community.rules
