from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "initiatives"

    def ready(self):
        from community.privacy import register

        register("initiatives.privacy")

        from initiatives import files

        files.register()

        from discussion.targets import register as allow_discussion
        from initiatives.notification_kinds import register_kinds
        from initiatives.services._common import initiators_of

        allow_discussion("initiatives.Initiative", owners_of=initiators_of)
        register_kinds()

        from initiatives.sections import register_sections

        register_sections()
