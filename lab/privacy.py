"""A person's feedback invitations and workshop seats for "my data".

Feedback: which encounters they were asked about and whether they answered. Their answers are not theirs
to export: they hold no trace of who gave them, so they stay. Workshops: where they took part and the cards
they wrote; erasing keeps the cards on the board (the journey map is the group's) but cuts the seat loose
from the person and their name.
"""

from community.privacy import iso
from lab.feedback.subjects import UnknownSubject, get_subject
from lab.models import Card, FeedbackInvitation, Participant


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
        "workshops": [
            {"workshop": p.workshop.title, "joined_at": iso(p.joined_at), "display_name": p.display_name,
             "cards": list(Card.objects.filter(author=p).order_by("pk").values_list("text", flat=True))}
            for p in Participant.objects.filter(user=user).select_related("workshop").order_by("joined_at", "pk")
        ],
    }


def erase_personal_data(user) -> None:
    """Precondition: inside the erasure's transaction (``community.privacy.erase_account``)."""
    FeedbackInvitation.objects.filter(user=user).delete()
    # The seat stays (its cards, feelings and dots belong to the group's map) but no longer says who it was.
    for participant in Participant.objects.filter(user=user):
        participant.user, participant.display_name, participant.anonymous = None, "", True
        participant.device_token_hash = participant.device_token_hash or f"erased:{participant.pk}"
        participant.save(update_fields=["user", "display_name", "anonymous", "device_token_hash"])
        _forget_name_in_events(participant)


def _forget_name_in_events(participant) -> None:
    """The board's stored events named the seat: a replay now says what a fresh fetch says ("Deelnemer")."""
    from lab.workshops.services import stream_of
    from lab.workshops.services.cards import rewrite_card_history
    from lab.workshops.services.payloads import card_payload
    from live.services import rewrite_subject

    rewrite_subject(stream=stream_of(participant.workshop_id), subject=f"participant:{participant.pk}",
                    types=("participant.joined",), data={"id": participant.pk, "name": participant.public_name})
    for card in Card.objects.filter(author=participant):
        card.author = participant
        rewrite_card_history(card, card_payload(card))
