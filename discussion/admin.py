"""Discussions in the Django admin: read-only. Every change (hide, close, block, delete) goes through
``discussion.services`` from the moderation pages, which ask the rules; reading asks the rules too."""

from django.contrib import admin

from core.permissions import may
from discussion.models import Comment, Flag, KernBlock, Thread


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return may(request.user, "discussion.view_moderation_queue")

    def has_module_permission(self, request):
        return may(request.user, "discussion.view_moderation_queue")


@admin.register(Thread)
class ThreadAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "kern", "is_closed", "created_at"]
    list_filter = ["is_closed", "kern"]


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "thread", "created_at", "hidden_at", "deleted_at"]
    list_select_related = ["author", "thread__content_type"]
    raw_id_fields = ["thread", "author", "parent", "hidden_by"]


@admin.register(Flag)
class FlagAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "created_at", "resolved_at"]
    raw_id_fields = ["comment", "reporter", "resolved_by"]


@admin.register(KernBlock)
class KernBlockAdmin(ReadOnlyAdmin):
    list_display = ["user", "kern", "reason", "created_at"]
    raw_id_fields = ["user", "blocked_by"]
