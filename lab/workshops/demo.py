"""Demo workshops for `make run`: a planned one (Giessenburg) and a finished one on "verhuizen naar Molenlanden"
with a full journey map, two personas (one with a drawing), curves, dots and the result shown. Built through the
services, so the live events are real. Safe to run twice: a workshop whose title exists is left alone."""

from __future__ import annotations

import datetime
import io
import uuid

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from community.models import Kern, User
from initiatives.images import process_image
from lab.models import LaneKind, Participant, Phase, Workshop
from lab.workshops import services

PLANNED = "Mantelzorg aanvragen: hoe gaat dat?"
FINISHED = "Verhuizen naar Molenlanden"

# Per stage (in order): cards per lane kind, and the feelings of the participants (now).
MOVING = [
    {LaneKind.DOES: ["Zoekt op internet wat je moet regelen"], LaneKind.TOUCHPOINTS: ["Website gemeente"],
     LaneKind.THINKS: ["Waar begin ik?"], LaneKind.PAIN: ["Informatie staat verspreid over veel pagina's"],
     LaneKind.IDEAS: ["Eén checklist voor nieuwe inwoners"], "feelings": [0, -1, 1]},
    {LaneKind.DOES: ["Geeft de verhuizing door"], LaneKind.TOUCHPOINTS: ["Online formulier met DigiD"],
     LaneKind.PAIN: ["Zonder DigiD moet je naar het gemeentehuis"],
     LaneKind.IDEAS: ["Hulp bij het formulier in de bibliotheek"], "feelings": [1, -1, 0]},
    {LaneKind.DOES: ["Wacht op bevestiging"], LaneKind.THINKS: ["Is het goed gegaan?"],
     LaneKind.PAIN: ["Geen bericht dat de aanvraag binnen is"], LaneKind.IDEAS: ["Een bevestiging per sms"],
     "feelings": [-2, -1, -1]},
    {LaneKind.DOES: ["Krijgt de brief met de inschrijving"], LaneKind.TOUCHPOINTS: ["Brief"],
     LaneKind.IDEAS: ["Een welkomstpakket van de kern"], "feelings": [1, 1, 2]},
    {LaneKind.DOES: ["Zoekt de weg in het dorp"], LaneKind.THINKS: ["Wie zijn mijn buren?"],
     LaneKind.PAIN: ["Je weet niet wat er in het dorp gebeurt"],
     LaneKind.IDEAS: ["Kennismakingsavond met de dorpsraad"], "feelings": [0, 1, 1]},
]


# Who the journey is about: (name, situation, needs, the description of a drawing or "" for none).
PERSONAS = [
    ("Samira, 34", "Verhuist met haar twee kinderen van Rotterdam naar Bleskensgraaf. Ze werkt vier dagen per week.",
     "Eén lijst met alles wat ze moet regelen, en snel bericht als iets binnen is.", ""),
    ("Henk, 71", "Verhuist na de dood van zijn vrouw naar een appartement in Nieuw-Lekkerland. Hij heeft geen DigiD.",
     "Iemand die het formulier samen met hem invult.",
     "Een tekening van een oudere man met een hoed en een bril. Hij lacht."),
]


def _drawing() -> bytes:
    """A simple drawing of Henk on paper (the demo has no artist): a face with glasses and a hat."""
    image = Image.new("RGB", (800, 800), (250, 246, 235))
    draw = ImageDraw.Draw(image)
    line = (60, 50, 40)
    draw.pieslice([120, 620, 680, 1100], 180, 360, fill=(120, 140, 110), outline=line, width=8)  # shoulders
    draw.ellipse([230, 200, 570, 620], fill=(240, 205, 170), outline=line, width=8)  # head
    draw.chord([220, 130, 580, 430], 180, 360, fill=(70, 90, 140), outline=line, width=8)  # hat
    draw.rectangle([200, 270, 640, 300], fill=(70, 90, 140), outline=line, width=6)  # its brim
    for x in (320, 480):
        draw.ellipse([x - 50, 360, x + 50, 440], outline=line, width=8)  # glasses
        draw.ellipse([x - 10, 390, x + 10, 410], fill=line)  # eyes
    draw.line([370, 400, 430, 400], fill=line, width=8)
    draw.arc([320, 460, 480, 560], 20, 160, fill=line, width=8)  # a smile
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _letter() -> bytes:
    """A photo of a letter on a doormat, as a participant took it (drawn: the demo has no camera)."""
    image = Image.new("RGB", (1200, 900), (150, 110, 80))
    draw = ImageDraw.Draw(image)
    for y in range(0, 900, 30):  # the mat's weave
        draw.line([0, y, 1200, y + 40], fill=(135, 98, 70), width=6)
    draw.polygon([(300, 260), (930, 210), (980, 640), (340, 700)], fill=(246, 244, 236), outline=(90, 90, 90))
    draw.line([(300, 260), (640, 470), (930, 210)], fill=(120, 120, 120), width=5)  # the envelope's flap
    draw.rectangle([760, 280, 860, 360], fill=(40, 90, 160))  # the stamp
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


LETTER_ALT = "Een brief van de gemeente op de deurmat, drie weken na de verhuizing"


def _add_personas(staff, workshop: Workshop) -> None:
    for name, situation, needs, drawing in PERSONAS:
        services.add_persona(actor=staff, workshop=workshop, name=name, situation=situation, needs=needs,
                             image=process_image(_drawing()) if drawing else None, photo_alt=drawing)


def _client_id(*parts) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, "demo-workshop:" + ":".join(str(p) for p in parts))


@transaction.atomic
def seed(stdout=None) -> None:
    staff = User.objects.get(email="fatima@example.org")
    kern = Kern.objects.get(slug="giessenburg")
    now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    if not Workshop.objects.filter(title=PLANNED).exists():
        start = now + datetime.timedelta(days=9, hours=2)
        services.plan_workshop(
            actor=staff, title=PLANNED, service="Ondersteuning aanvragen als mantelzorger", kern=kern,
            customer_group="Mantelzorgers", place="Dorpshuis Giessenburg", starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
            description="Samen brengen we in kaart hoe het aanvragen van ondersteuning voelt, van begin tot eind.")
    if not Workshop.objects.filter(title=FINISHED).exists():
        _finished(staff)


def _finished(staff) -> None:
    start = timezone.localtime().replace(minute=0, second=0, microsecond=0) - datetime.timedelta(days=12)
    workshop = services.plan_workshop(
        actor=staff, title=FINISHED, service="Verhuizen naar Molenlanden en je inschrijven",
        customer_group="Nieuwe inwoners", place="Gemeentehuis Bleskensgraaf", starts_at=start,
        ends_at=start + datetime.timedelta(hours=2), dots_per_participant=3)
    _add_personas(staff, workshop)
    workshop = services.open_workshop(actor=staff, workshop=workshop)
    people = [services.join(user=User.objects.get(email=email), workshop=workshop)[0]
              for email in ("jan@example.org", "kees@example.org")]
    guest, _token = services.join(user=AnonymousUser(), workshop=workshop, display_name="Sanne")
    people.append(guest)
    stages, lanes = list(workshop.stages.all()), {lane.kind: lane for lane in workshop.lanes.all()}
    ideas = []
    for index, (stage, plan) in enumerate(zip(stages, MOVING, strict=True)):
        for kind, texts in plan.items():
            if kind == "feelings":
                continue
            for number, text in enumerate(texts):
                author = people[(index + number) % len(people)]
                with_photo = kind == LaneKind.PAIN and index == 2 and number == 0  # the letter that came late
                card, _created = services.add_card(actor=author.user or AnonymousUser(), participant=author,
                                                   stage=stage, lane=lanes[kind], text=text,
                                                   client_id=_client_id(workshop.pk, stage.pk, kind, number),
                                                   image=process_image(_letter()) if with_photo else None,
                                                   photo_alt=LETTER_ALT if with_photo else "")
                if kind in (LaneKind.PAIN, LaneKind.IDEAS):
                    ideas.append(card)
        for person, score in zip(people, plan["feelings"], strict=True):
            services.set_feeling(actor=person.user or AnonymousUser(), participant=person, stage=stage, score=score)
            services.set_feeling(actor=person.user or AnonymousUser(), participant=person, stage=stage,
                                 score=min(score + 2, 2), kind="desired")
    workshop = services.reveal(actor=staff, workshop=Workshop.objects.get(pk=workshop.pk))
    workshop = services.set_phase(actor=staff, workshop=workshop, phase=Phase.VOTE)
    for number, person in enumerate(people):
        for dot in range(3):
            card = ideas[(number + dot * 2) % len(ideas)]
            services.place_dot(actor=person.user or AnonymousUser(), participant=person, card=card,
                               client_id=_client_id("dot", person.pk, dot))
    workshop = services.show_votes(actor=staff, workshop=Workshop.objects.get(pk=workshop.pk))
    workshop = services.set_phase(actor=staff, workshop=workshop, phase=Phase.DISCUSS)
    Workshop.objects.filter(pk=workshop.pk).update(summary=(
        "Nieuwe inwoners missen één plek met alles wat ze moeten regelen, en horen niets na hun aanvraag. "
        "We maken een checklist en sturen een bevestiging per sms."))
    ended = services.end_workshop(actor=staff, workshop=Workshop.objects.get(pk=workshop.pk))
    # "Hoe was deze bijeenkomst?": two signed-in participants answered, and Sanne on her own phone.
    from lab.feedback.services import answer
    from lab.workshops.services.feedback import feedback_link

    for person, (experience, heard, again) in zip(people[:2], [("good", "yes", "yes"), ("okay", "somewhat", "maybe")],
                                                  strict=True):
        answer(user=person.user, kind="workshop", object_id=ended.pk, experience=experience, heard=heard,
               again=again, text="")
    token = feedback_link(Participant.objects.get(pk=guest.pk)).rstrip("/").rsplit("/", 1)[-1]
    answer(token=token, kind="workshop", object_id=ended.pk, experience="good", heard="yes", again="yes",
           text="Fijn dat er naar ons werd geluisterd.")
