"""Neighbours around an initiative: support, follow, and the updates initiators post."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Support(models.Model):
    """"Ik steun dit": one per resident per initiative."""

    initiative = models.ForeignKey("initiatives.Initiative", on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="initiative_supports")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("steunbetuiging")
        verbose_name_plural = _("steunbetuigingen")
        constraints = [models.UniqueConstraint(fields=["initiative", "user"], name="unique_initiative_support")]

    def __str__(self):
        return f"{self.user_id} steunt {self.initiative_id}"


class Follow(models.Model):
    """A resident who wants to hear about updates of an initiative."""

    initiative = models.ForeignKey("initiatives.Initiative", on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="initiative_follows")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("volger")
        verbose_name_plural = _("volgers")
        constraints = [models.UniqueConstraint(fields=["initiative", "user"], name="unique_initiative_follow")]

    def __str__(self):
        return f"{self.user_id} volgt {self.initiative_id}"


class InitiativeUpdate(models.Model):
    """News from the initiators; followers are told. ``body`` is sanitised HTML."""

    initiative = models.ForeignKey("initiatives.Initiative", on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(_("titel"), max_length=120)
    body = models.TextField(_("bericht"))
    is_result = models.BooleanField(_("resultaat"), default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("nieuwsbericht")
        verbose_name_plural = _("nieuwsberichten")

    def __str__(self):
        return self.title
