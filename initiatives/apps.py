from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "initiatives"

    def ready(self):
        from community.privacy import register

        register("initiatives.privacy")

        from initiatives import files

        files.register()
