"""Discussion: threads attached to any participation object, comments, reactions, flags, blocks.

A thread belongs to exactly one target object (content type + id). Who may read and write it follows
from who may see that object (see ``discussion.targets``); the kern is copied onto the thread when it
is created so that moderation queues filter on one column.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Thread(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    kern = models.ForeignKey("community.Kern", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    is_closed = models.BooleanField(_("gesloten"), default=False)
    closed_reason = models.CharField(_("reden van sluiten"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("gesprek")
        verbose_name_plural = _("gesprekken")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="one_thread_per_object"),
        ]

    def __str__(self):
        return f"{self.content_type.app_label}.{self.content_type.model}#{self.object_id}"

    @property
    def stream(self) -> str:
        return f"thread.{self.pk}"


class Comment(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    body = models.TextField(_("tekst"))
    body_html = models.TextField(editable=False)
    client_key = models.CharField(max_length=64, blank=True, help_text="Idempotency key sent by the client.")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(_("reden"), max_length=300, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("reactie")
        verbose_name_plural = _("reacties")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["author", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "client_key"], condition=~models.Q(client_key=""), name="one_comment_per_client_key"
            ),
        ]

    def __str__(self):
        return f"{self.author} in {self.thread_id}: {self.body[:40]}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_public(self) -> bool:
        return not self.is_hidden and not self.is_deleted


class Reaction(models.Model):
    class Kind(models.TextChoices):
        AGREE = "eens", _("Eens")
        THANKS = "dank", _("Bedankt")
        IDEA = "idee", _("Goed idee")
        QUESTION = "vraag", _("Ik heb een vraag")

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["comment", "user", "kind"], name="one_reaction_per_kind")]

    def __str__(self):
        return f"{self.user} {self.kind} {self.comment_id}"


class Flag(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="flags")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reden"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["comment", "reporter"], name="one_flag_per_reporter")]

    def __str__(self):
        return f"{self.reporter} → {self.comment_id}: {self.reason[:40]}"


class KernBlock(models.Model):
    """A person who may not post in the discussions of one kern."""

    kern = models.ForeignKey("community.Kern", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reden"), max_length=300)
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("blokkade")
        verbose_name_plural = _("blokkades")
        constraints = [models.UniqueConstraint(fields=["kern", "user"], name="one_block_per_kern")]

    def __str__(self):
        return f"{self.user} in {self.kern}"


class PostingLock(models.Model):
    """One row per author, locked while a comment is written: parallel posts queue behind it."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+")

    def __str__(self):
        return f"posting lock {self.user_id}"
