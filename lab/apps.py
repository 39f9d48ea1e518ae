from django.apps import AppConfig


class LabConfig(AppConfig):
    name = "lab"

    def ready(self):
        from community import activities
        from community.privacy import register
        from lab import rules  # noqa: F401  (registers lab's rules)
        from lab.activities import upcoming_workshops
        from lab.notification_kinds import register_kinds

        register("lab.privacy")

        from lab import files

        files.register()
        register_kinds()
        activities.register("workshops", upcoming_workshops)
        _register_feedback_subject()


def _register_feedback_subject() -> None:
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    from lab.feedback import register_subject

    def resolve(pk: int):
        from lab.models import Workshop

        return Workshop.objects.select_related("kern").filter(pk=pk).first()

    register_subject("workshop", resolve=resolve, title=lambda workshop: workshop.title,
                     question=_("Hoe was deze bijeenkomst?"), may_see_answers="lab.view_workshop_feedback",
                     url=lambda workshop: reverse("lab:workshop", args=[workshop.pk]), label=_("Werksessies"))
