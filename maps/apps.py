from django.apps import AppConfig


class MapsConfig(AppConfig):
    name = "maps"

    def ready(self):
        from community import activities
        from community.privacy import register as register_privacy
        from maps import files, rules  # noqa: F401  (rules registers the permissions)
        from maps.activities import upcoming_walks
        from maps.notification_kinds import register_kinds

        register_privacy("maps.privacy")
        files.register()
        register_kinds()
        activities.register("walks", upcoming_walks)
        _register_feedback()


def _register_feedback() -> None:
    """Walkers are asked "Hoe was deze wijkschouw?" (lab's one short-feedback mechanism)."""
    from django.utils.translation import gettext_lazy as _

    from lab.feedback import register_subject

    def resolve(pk: int):
        from maps.models import Walk

        return Walk.objects.select_related("kern").filter(pk=pk).first()

    register_subject("walk", resolve=resolve, title=lambda walk: walk.title,
                     question=_("Hoe was deze wijkschouw?"), may_see_answers="maps.view_walk_feedback",
                     url=lambda walk: walk.get_absolute_url(), label=_("Wijkschouwen"))
