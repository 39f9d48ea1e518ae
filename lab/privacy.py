"""A person's feedback invitations for "my data": which encounters they were asked about and whether they
answered. Their answers are not theirs to export: they hold no trace of who gave them, so they stay."""

from community.privacy import iso
from lab.feedback.subjects import UnknownSubject, get_subject
from lab.models import FeedbackInvitation


def _title(kind: str, object_id: int) -> str:
    try:
        subject = get_subject(kind)
    except UnknownSubject:
        return ""
    obj = subject.object(object_id)
    return str(subject.title(obj)) if obj is not None else ""


def export_personal_data(user) -> dict:
    return {
        "feedback_invitations": [
            {"kind": i.subject_kind, "object_id": i.subject_id, "title": _title(i.subject_kind, i.subject_id),
             "asked_at": iso(i.created_at), "answered": i.answered, "answered_at": iso(i.answered_at)}
            for i in FeedbackInvitation.objects.filter(user=user).order_by("created_at", "pk")
        ],
    }


def erase_personal_data(user) -> None:
    """Precondition: inside the erasure's transaction (``community.privacy.erase_account``)."""
    FeedbackInvitation.objects.filter(user=user).delete()
