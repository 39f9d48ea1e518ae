"""/api/v1/ for threads and comments: the same services and rules as the pages."""

from django.db.models import Q
from django.http import Http404
from django.urls import path
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.permissions import may, visible_or_404
from discussion import services
from discussion.models import Comment, Reaction, Thread
from discussion.selectors import visible_to
from live.services import last_seq


class ThreadSerializer(serializers.ModelSerializer):
    target_type = serializers.SerializerMethodField()
    last_seq = serializers.SerializerMethodField()
    stream = serializers.CharField(read_only=True)

    class Meta:
        model = Thread
        fields = ["id", "target_type", "object_id", "kern", "is_closed", "closed_reason", "stream", "last_seq"]

    def get_target_type(self, thread) -> str:
        return f"{thread.content_type.app_label}.{thread.content_type.model}"

    def get_last_seq(self, thread) -> int:
        return last_seq(thread.stream)


class CommentSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.display_name", read_only=True)
    body = serializers.CharField(write_only=True, max_length=services.MAX_BODY)
    client_key = serializers.CharField(write_only=True, required=False, max_length=64, allow_blank=True)
    is_hidden = serializers.BooleanField(read_only=True)
    is_deleted = serializers.BooleanField(read_only=True)

    class Meta:
        model = Comment
        fields = ["id", "parent", "author", "author_id", "body", "body_html", "client_key", "created_at",
                  "edited_at", "is_hidden", "is_deleted", "hidden_reason"]
        read_only_fields = ["author_id", "body_html", "created_at", "edited_at", "hidden_reason"]

    def to_representation(self, comment):
        data = super().to_representation(comment)
        if comment.is_deleted:
            data["body_html"] = ""
        if not comment.is_hidden:
            data["hidden_reason"] = ""
        return data


def _readable_thread(request, pk) -> Thread:
    return visible_or_404(request.user, "discussion.view_thread", Thread.objects.select_related("content_type"), pk=pk)


def _readable_comment(request, pk) -> Comment:
    comment = Comment.objects.select_related("author", "thread__content_type").filter(pk=pk).first()
    if comment is None:
        raise Http404
    thread = _readable_thread(request, comment.thread_id)
    moderator = may(request.user, "discussion.moderate_thread", thread)
    if comment.is_hidden and not visible_to(request.user, comment, moderator=moderator):
        raise Http404
    return comment


class ThreadDetail(generics.RetrieveAPIView):
    serializer_class = ThreadSerializer

    def get_object(self):
        return _readable_thread(self.request, self.kwargs["pk"])


class ThreadComments(generics.ListCreateAPIView):
    """Comments of a thread, oldest first; hidden ones only for their author and moderators."""

    serializer_class = CommentSerializer
    api_errors = {"429"}

    def get_queryset(self):
        thread = _readable_thread(self.request, self.kwargs["pk"])
        comments = Comment.objects.filter(thread=thread).select_related("author").order_by("created_at", "pk")
        user = self.request.user
        if not may(user, "discussion.moderate_thread", thread):
            mine = Q(author_id=user.pk) if user.is_authenticated else Q(pk__in=[])
            comments = comments.filter(Q(hidden_at__isnull=True) | mine)
        return comments

    def create(self, request, *args, **kwargs):
        thread = _readable_thread(request, kwargs["pk"])
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = services.post_comment(thread=thread, author=request.user,  # the service checks the parent
                                        body=serializer.validated_data["body"],
                                        parent=serializer.validated_data.get("parent"),
                                        client_key=serializer.validated_data.get("client_key", ""))
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


class CommentEdit(serializers.Serializer):
    body = serializers.CharField(max_length=services.MAX_BODY)
    # A retry with the same key is a replay: the comment comes back unchanged, nothing is published twice.
    client_key = serializers.CharField(required=False, max_length=64, allow_blank=True, default="")


class CommentDetail(APIView):
    serializer_class = CommentSerializer
    api_errors = {"429"}

    @extend_schema(responses=CommentSerializer)
    def get(self, request, pk):
        return Response(CommentSerializer(_readable_comment(request, pk)).data)

    @extend_schema(request=CommentEdit, responses=CommentSerializer)
    def patch(self, request, pk):
        comment = _readable_comment(request, pk)
        data = CommentEdit(data=request.data)
        data.is_valid(raise_exception=True)
        comment = services.edit_comment(comment=comment, editor=request.user, body=data.validated_data["body"],
                                        client_key=data.validated_data.get("client_key", ""))
        return Response(CommentSerializer(comment).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk):
        services.delete_comment(comment=_readable_comment(request, pk), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReactionInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Reaction.Kind.choices)


REACTION_RESULT = inline_serializer(
    "ReactionResult",
    {"active": serializers.BooleanField(), "counts": serializers.DictField(child=serializers.IntegerField())},
)


@extend_schema(request=ReactionInput, responses=REACTION_RESULT)
class CommentReactions(APIView):
    def post(self, request, pk):
        data = ReactionInput(data=request.data)
        data.is_valid(raise_exception=True)
        comment = _readable_comment(request, pk)
        active = services.toggle_reaction(comment=comment, user=request.user, kind=data.validated_data["kind"])
        return Response({"active": active, "counts": services.reaction_counts(comment.pk)})


class FlagInput(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


@extend_schema(request=FlagInput, responses={201: None})
class CommentFlags(APIView):
    def post(self, request, pk):
        data = FlagInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.flag_comment(comment=_readable_comment(request, pk), reporter=request.user,
                              reason=data.validated_data["reason"])
        return Response(status=status.HTTP_201_CREATED)


class ModerationInput(serializers.Serializer):
    action = serializers.ChoiceField(choices=["hide", "restore", "dismiss"])
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True)


@extend_schema(request=ModerationInput, responses=CommentSerializer)
class CommentModeration(APIView):
    def post(self, request, pk):
        data = ModerationInput(data=request.data)
        data.is_valid(raise_exception=True)
        comment = _readable_comment(request, pk)
        action, reason = data.validated_data["action"], data.validated_data.get("reason", "")
        if action == "hide":
            comment = services.hide_comment(comment=comment, moderator=request.user, reason=reason)
        elif action == "restore":
            comment = services.restore_comment(comment=comment, moderator=request.user, reason=reason)
        else:
            services.dismiss_flags(comment=comment, moderator=request.user)
        return Response(CommentSerializer(comment).data)


urlpatterns = [
    path("threads/<int:pk>/", ThreadDetail.as_view(), name="thread-detail"),
    path("threads/<int:pk>/comments/", ThreadComments.as_view(), name="thread-comments"),
    path("comments/<int:pk>/", CommentDetail.as_view(), name="comment-detail"),
    path("comments/<int:pk>/reactions/", CommentReactions.as_view(), name="comment-reactions"),
    path("comments/<int:pk>/flags/", CommentFlags.as_view(), name="comment-flags"),
    path("comments/<int:pk>/moderation/", CommentModeration.as_view(), name="comment-moderation"),
]
