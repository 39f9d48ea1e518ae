"""Thin views: check the rule, call one service, render or redirect. Without JavaScript all of it works
(the JSON of ``MentionSuggestions`` only adds an autocomplete to the comment form)."""

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from rest_framework import exceptions, permissions, serializers
from rest_framework.response import Response
from rest_framework.throttling import UserRateThrottle
from rest_framework.views import APIView

from core.errors import error_text
from core.permissions import may, require
from discussion import services
from discussion.forms import BlockForm, CloseForm, CommentForm, EditForm, FlagForm, ModerateForm
from discussion.models import Comment, Thread
from discussion.selectors import find_thread, mention_suggestions, moderation_queue, visible_to
from discussion.targets import target_for
from discussion.templatetags.discussion import thread_context, unsaved_thread


def _thread(request, pk) -> Thread:
    thread = get_object_or_404(Thread.objects.select_related("content_type", "kern"), pk=pk)
    if not may(request.user, "discussion.view_thread", thread):
        raise Http404  # a private object's thread does not exist for those who may not see the object
    return thread


def _comment(request, pk) -> Comment:
    comment = get_object_or_404(Comment.objects.select_related("thread__content_type", "author"), pk=pk)
    _thread(request, comment.thread_id)
    return comment


def _target(label: str, pk: int):
    """The object ``label`` ("app.model") ``pk`` if discussions may attach to it; else 404."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        raise Http404 from None
    if target_for(model) is None:
        raise Http404
    return get_object_or_404(model, pk=pk)


def _target_thread(request, label: str, pk: int) -> Thread:
    """The thread of an object, or the one it would have (unsaved); 404 for those who may not see it."""
    target = _target(label, pk)
    thread = find_thread(target=target) or unsaved_thread(target)
    if not may(request.user, "discussion.view_thread", thread):
        raise Http404
    return thread


def _back(request, thread: Thread, anchor: str = ""):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = f"/gesprek/{thread.pk}/"
    return redirect(f"{target.split('#')[0]}{anchor}")


def thread_page(request, pk):
    thread = _thread(request, pk)
    return render(request, "discussion/thread_page.html", {"thread": thread, **thread_context(request, thread)})


@require_POST
@login_required
def post_comment(request, pk):
    thread = _thread(request, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Schrijf eerst uw reactie."))
        return _back(request, thread, "#reageren")
    parent = None
    if form.cleaned_data["parent"]:
        # Any comment: the service refuses one of another thread with a clear message (not a silent top-level post).
        parent = Comment.objects.filter(pk=form.cleaned_data["parent"]).first()
        if parent is None:
            messages.error(request, _("U kunt niet op deze reactie antwoorden."))
            return _back(request, thread, "#reageren")
    try:
        comment = services.post_comment(
            thread=thread, author=request.user, body=form.cleaned_data["body"], parent=parent,
            client_key=form.cleaned_data["client_key"] or "",
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
        return _back(request, thread, "#reageren")
    except PermissionDenied:
        messages.error(request, _("U kunt in dit gesprek niet (meer) reageren."))
        return _back(request, thread, "#reageren")
    return _back(request, thread, f"#reactie-{comment.pk}")


@require_POST
@login_required
def post_first_comment(request, label, pk):
    """The first comment on an object without a thread yet: the service creates both in one transaction."""
    target = _target(label, pk)
    existing = find_thread(target=target)
    if existing is not None:  # someone else started it meanwhile: post in that thread
        return post_comment(request, existing.pk)
    if not may(request.user, "discussion.view_thread", unsaved_thread(target)):
        raise Http404
    form = CommentForm(request.POST)
    back = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = getattr(target, "get_absolute_url", lambda: "/")()
    back = back.split("#")[0]
    if not form.is_valid():
        messages.error(request, _("Schrijf eerst uw reactie."))
        return redirect(f"{back}#reageren")
    try:
        comment = services.post_first_comment(target=target, author=request.user, body=form.cleaned_data["body"],
                                              client_key=form.cleaned_data["client_key"] or "")
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect(f"{back}#reageren")
    except PermissionDenied:
        messages.error(request, _("U kunt in dit gesprek niet (meer) reageren."))
        return redirect(f"{back}#reageren")
    return redirect(f"{back}#reactie-{comment.pk}")


@login_required
def edit_comment(request, pk):
    comment = _comment(request, pk)
    require(request.user, "discussion.edit_comment", comment)
    form = EditForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_comment(comment=comment, editor=request.user, body=form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error("body", error)
        else:
            return _back(request, comment.thread, f"#reactie-{comment.pk}")
    return render(request, "discussion/edit.html", {"form": form, "comment": comment})


@require_POST
@login_required
def delete_comment(request, pk):
    comment = _comment(request, pk)
    require(request.user, "discussion.delete_comment", comment)
    services.delete_comment(comment=comment, user=request.user)
    messages.success(request, _("De reactie is verwijderd."))
    return _back(request, comment.thread, "#reacties")


@require_POST
@login_required
def react(request, pk, kind):
    comment = _comment(request, pk)
    require(request.user, "discussion.react_comment", comment)
    try:
        services.toggle_reaction(comment=comment, user=request.user, kind=kind)
    except ValidationError as error:
        messages.error(request, error_text(error))
    return _back(request, comment.thread, f"#reactie-{comment.pk}")


@login_required
def flag(request, pk):
    comment = _comment(request, pk)
    require(request.user, "discussion.flag_comment", comment)
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.flag_comment(comment=comment, reporter=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Dank u. De dorpsraad bekijkt uw melding."))
        return _back(request, comment.thread, f"#reactie-{comment.pk}")
    return render(request, "discussion/flag.html", {"form": form, "comment": comment})


@login_required
def moderate(request, pk):
    comment = _comment(request, pk)
    require(request.user, "discussion.moderate_thread", comment.thread)
    form = ModerateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
        try:
            if action == "hide":
                services.hide_comment(comment=comment, moderator=request.user, reason=reason)
            elif action == "restore":
                services.restore_comment(comment=comment, moderator=request.user, reason=reason)
            else:
                services.dismiss_flags(comment=comment, moderator=request.user)
        except ValidationError as error:
            form.add_error("reason", error)
        else:
            messages.success(request, _("Opgeslagen."))
            return _back(request, comment.thread, f"#reactie-{comment.pk}")
    return render(request, "discussion/moderate.html", {"form": form, "comment": comment})


@require_POST
@login_required
def close_thread(request, pk):
    thread = _thread(request, pk)
    require(request.user, "discussion.moderate_thread", thread)
    form = CloseForm(request.POST)
    form.is_valid()
    closing = request.POST.get("closed", "1") == "1"
    try:
        services.close_thread(thread=thread, moderator=request.user, reason=form.cleaned_data.get("reason", ""),
                              closed=closing)
    except ValidationError as error:
        messages.error(request, error_text(error))
    return _back(request, thread, "#reacties")


@require_POST
@login_required
def block_author(request, pk):
    comment = _comment(request, pk)
    if comment.thread.kern is None:
        raise Http404
    form = BlockForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Geef een reden om te blokkeren."))
        return redirect("discussion:moderation_queue")
    try:
        services.block_user(kern=comment.thread.kern, user=comment.author, moderator=request.user,
                            reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("%(name)s kan in %(kern)s niet meer reageren.")
                         % {"name": comment.author.display_name, "kern": comment.thread.kern})
    return redirect("discussion:moderation_queue")


def fragment(request, pk):
    """One comment as this visitor sees it (used by the live client after an event); 404 if not visible."""
    comment = _comment(request, pk)
    moderator = may(request.user, "discussion.moderate_thread", comment.thread)
    if not visible_to(request.user, comment, moderator=moderator):
        raise Http404
    context = thread_context(request, comment.thread, only=comment)
    response = render(request, "discussion/comment.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def queue(request):
    require(request.user, "discussion.view_moderation_queue")
    return render(request, "discussion/queue.html", {"comments": moderation_queue(request.user),
                                                      "block_form": BlockForm()})


class MentionQuery(serializers.Serializer):
    # Lazy: the messages are read when an answer is written, in the visitor's language.
    q = serializers.CharField(min_length=2, max_length=40, error_messages={
        "required": gettext_lazy("Typ na @ minstens 2 letters van de naam."),
        "blank": gettext_lazy("Typ na @ minstens 2 letters van de naam."),
        "min_length": gettext_lazy("Typ na @ minstens 2 letters van de naam."),
        "max_length": gettext_lazy("Typ na @ hoogstens 40 tekens."),
    })


class MentionSuggestionThrottle(UserRateThrottle):
    """Per account (counted in the shared cache, so over all workers): typing a name asks a few times, but
    nobody lists a kern's residents two letters at a time (``MENTION_SUGGESTIONS_RATE``)."""

    scope = "mention_suggestions"


class MentionSuggestions(APIView):
    """``?q=ma``: the people the writer can name with "@" in a thread, for the comment form's autocomplete.

    Only for who may comment there (the comment form's own rule); JSON errors as in the API (core.api).
    """

    permission_classes = [permissions.IsAuthenticated]
    throttle_classes = [MentionSuggestionThrottle]

    def get(self, request, pk, label=None):
        thread = _thread(request, pk) if label is None else _target_thread(request, label, pk)
        require(request.user, "discussion.post_comment", thread, _("U kunt in dit gesprek niet reageren."))
        query = MentionQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        people = mention_suggestions(thread=thread, prefix=query.validated_data["q"].casefold(),
                                     requester=request.user)
        return Response({"results": people})

    def permission_denied(self, request, message=None, code=None):
        if not request.user.is_authenticated:  # 403 (session log-in), in the words of the comment form
            raise exceptions.NotAuthenticated(_("Log in om mee te praten"))
        super().permission_denied(request, message, code)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"  # names of residents: never kept by a cache
        return response
