from django.contrib import admin

from discussion.models import Comment, Flag, KernBlock, Thread


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kern", "is_closed", "created_at"]
    list_filter = ["is_closed", "kern"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "thread", "created_at", "hidden_at", "deleted_at"]
    list_select_related = ["author", "thread__content_type"]
    raw_id_fields = ["thread", "author", "parent", "hidden_by"]


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = ["__str__", "created_at", "resolved_at"]
    raw_id_fields = ["comment", "reporter", "resolved_by"]


@admin.register(KernBlock)
class KernBlockAdmin(admin.ModelAdmin):
    list_display = ["user", "kern", "reason", "created_at"]
    raw_id_fields = ["user", "blocked_by"]
