"""Which objects a thread may attach to, and how discussion learns who may see them and their kern.

Each app registers its participation objects once (in its ``AppConfig.ready`` or here for apps that
cannot yet): the permission that grants reading the object, and how to find its kern. Reading a
thread is exactly reading its object; the kern decides which council moderates.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.db.models.signals import post_delete

from community.rules import kern_id_of


@dataclass(frozen=True)
class Target:
    read_perm: str
    kern_id_of: Callable[[models.Model], int | None] = kern_id_of
    # The people an object belongs to (an initiative's initiators): they hear of new comments on it.
    owners_of: Callable[[models.Model], list] | None = None


_registry: dict[str, Target] = {}


def register(model_label: str, *, read_perm: str | None = None, kern_of=kern_id_of, owners_of=None) -> None:
    """Allow threads on ``model_label`` ("app.Model"); reading follows ``read_perm`` (default app.view_model).

    ``owners_of(obj)`` (optional) names the people who hear of every new comment on ``obj``.
    """
    app_label, model_name = model_label.lower().split(".")
    _registry[f"{app_label}.{model_name}"] = Target(read_perm or f"{app_label}.view_{model_name}", kern_of,
                                                    owners_of)
    # A thread lives and dies with its object (a deleted draft takes its conversation along).
    post_delete.connect(_drop_threads, sender=apps.get_model(app_label, model_name),
                        dispatch_uid=f"discussion.drop_threads.{app_label}.{model_name}")


def _drop_threads(sender, instance, **kwargs) -> None:
    from django.contrib.contenttypes.models import ContentType

    from discussion.models import Thread
    from live.services import forget_streams

    threads = Thread.objects.filter(content_type=ContentType.objects.get_for_model(sender), object_id=instance.pk)
    streams = [thread.stream for thread in threads]
    if streams:
        threads.delete()
        forget_streams(streams)


def target_for(obj_or_model) -> Target | None:
    meta = obj_or_model._meta
    return _registry.get(f"{meta.app_label}.{meta.model_name}")


def register_defaults() -> None:
    """The targets discussion itself knows of; other apps register theirs from their ``AppConfig.ready``."""
    # A "dorpsgesprek" per kern: open for everyone to read.
    register("community.Kern", read_perm="discussion.view_kern_conversation")
