"""The feedback pages: answer (by link, or signed in), thanks, the answers per encounter, the overview."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.permissions import Refused, may, require
from lab.feedback import selectors, services
from lab.feedback.forms import FeedbackForm
from lab.feedback.subjects import UnknownSubject, all_subjects, get_subject
from lab.models import FeedbackInvitation

TEMPLATE = "lab/feedback_answer.html"


def _subject_or_404(kind: str, object_id: int):
    try:
        subject = get_subject(kind)
    except UnknownSubject:
        raise Http404 from None
    obj = subject.object(object_id)
    if obj is None:
        raise Http404
    return subject, obj


def _answer_page(request, *, invitation: FeedbackInvitation, token: str | None):
    subject, obj = _subject_or_404(invitation.subject_kind, invitation.subject_id)
    context = {"subject": subject, "title": subject.title(obj), "question": subject.question,
               "answered": invitation.answered}
    if invitation.answered:
        return render(request, TEMPLATE, context)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer(token=token, user=request.user if token is None else None,
                            kind=invitation.subject_kind, object_id=invitation.subject_id, **form.cleaned_data)
        except services.AlreadyAnswered:
            return render(request, TEMPLATE, {**context, "answered": True})
        except services.FeedbackError as error:
            form.add_error(None, error)
        else:
            return redirect("lab:feedback_thanks")
    return render(request, TEMPLATE, {**context, "form": form}, status=400 if form.errors else 200)


def answer_by_link(request, token: str):
    """The one-time link from the invitation: no account needed."""
    try:
        invitation = services.invitation_for_token(token)
    except services.InvalidLink:
        return render(request, TEMPLATE, {"invalid_link": True}, status=404)
    return _answer_page(request, invitation=invitation, token=token)


@login_required
def answer_signed_in(request, kind: str, object_id: int):
    """The same form for the signed-in person who was invited."""
    _subject_or_404(kind, object_id)
    invitation = FeedbackInvitation.objects.filter(subject_kind=kind, subject_id=object_id,
                                                   user=request.user).first()
    if invitation is None:
        raise Refused(_("U kunt hier niet antwoorden: u bent niet uitgenodigd voor deze bijeenkomst."))
    return _answer_page(request, invitation=invitation, token=None)


def thanks(request):
    return render(request, "lab/feedback_thanks.html")


@login_required
def results(request, kind: str, object_id: int):
    """The answers about one encounter, for those its app lets read them."""
    subject, obj = _subject_or_404(kind, object_id)
    if not may(request.user, subject.may_see_answers, obj):
        raise PermissionDenied
    return render(request, "lab/feedback_results.html", {
        "subject": subject, "title": subject.title(obj), "object_url": subject.url(obj),
        "results": selectors.results_for(kind=kind, object_id=object_id),
    })


@login_required
def overview(request):
    """Staff: every answer over the last twelve months, per question and month, as a chart and a table."""
    require(request.user, "lab.view_feedback_overview")
    subjects = all_subjects()
    kind = request.GET.get("soort", "")
    if kind not in {subject.kind for subject in subjects}:
        kind = ""
    questions, total = selectors.overview(kind=kind or None)
    return render(request, "lab/feedback_overview.html", {
        "subjects": subjects, "kind": kind, "questions": questions, "total": total,
    })
