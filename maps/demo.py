"""Demo walks for `make run`: a planned walk (Bleskensgraaf), one in progress (Groot-Ammers) and a finished one
with observations in every triage state (Arkel). Built through the services, so live events, audit lines,
notifications and the hand-off to the local stand-in are real. Safe to run twice: a walk whose title exists
is left alone."""

import datetime
import io
import uuid

from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from community.models import Kern, User
from initiatives.images import process_image
from maps import services
from maps.models import Walk

PLANNED = "Wijkschouw rond het dorpshuis"
IN_PROGRESS = "Wijkschouw Kastanjelaan en speeltuin"
FINISHED = "Wijkschouw centrum Arkel"


def _offset(lat: float, lng: float, north_m: float, east_m: float) -> tuple[str, str]:
    return f"{lat + north_m / 111_320:.6f}", f"{lng + east_m / 68_700:.6f}"


def _route(kern: Kern, legs: list[tuple[int, int]]) -> list[list[float]]:
    lat, lng = float(kern.latitude), float(kern.longitude)
    return [[round(lng + east / 68_700, 6), round(lat + north / 111_320, 6)] for north, east in legs]


def _photo(colour: tuple[int, int, int]) -> bytes:
    """A simple picture of paving stones in ``colour`` (the demo has no camera)."""
    image = Image.new("RGB", (960, 640), colour)
    draw = ImageDraw.Draw(image)
    for x in range(0, 960, 120):
        for y in range(0, 640, 80):
            draw.rectangle([x + 4, y + 4, x + 116, y + 76], outline=(90, 90, 90), width=4)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def _move_into_the_past(walk: Walk, *, hours_ago: float, length_hours: float = 2) -> Walk:
    """Demo only: the services plan walks in the future; these happened (or started) already."""
    start = timezone.now() - datetime.timedelta(hours=hours_ago)
    Walk.objects.filter(pk=walk.pk).update(starts_at=start, ends_at=start + datetime.timedelta(hours=length_hours))
    return Walk.objects.get(pk=walk.pk)


def _observe(walk, person, kern, north, east, theme, text, *, kind="problem", score="", photo=None, address=""):
    lat, lng = _offset(float(kern.latitude), float(kern.longitude), north, east)
    observation, _created = services.record_observation(
        actor=person, walk=walk, client_id=uuid.uuid5(uuid.NAMESPACE_URL, f"demo:{walk.pk}:{text}"), theme=theme,
        kind=kind, description=text, crow_score=score, latitude=lat, longitude=lng, address=address)
    if photo is not None:
        services.add_observation_photo(actor=person, observation=observation, client_id=uuid.uuid5(
            uuid.NAMESPACE_URL, f"demo-photo:{observation.pk}"), image=process_image(_photo(photo)),
            alt_text=text[:100])
    return observation


def seed(stdout=None):
    people = {u.email: u for u in User.objects.filter(email__in=[
        "anna@example.org", "pieter@example.org", "kees@example.org", "marieke@example.org", "henk@example.org",
        "sanne@example.org", "jan@example.org", "dorpsraad.bleskensgraaf@example.org", "dorpsraad.arkel@example.org"])}
    kernen = {k.slug: k for k in Kern.objects.filter(slug__in=["bleskensgraaf", "groot-ammers", "arkel"])}
    made = 0
    now = timezone.localtime()
    saturday = (now + datetime.timedelta(days=(5 - now.weekday()) % 7 or 7)).replace(hour=10, minute=0, second=0,
                                                                                       microsecond=0)
    with transaction.atomic():
        if not Walk.objects.filter(title=PLANNED).exists():
            kern = kernen["bleskensgraaf"]
            walk = services.plan_walk(
                actor=people["dorpsraad.bleskensgraaf@example.org"], kern=kern, title=PLANNED,
                description="Hoe veilig en netjes is de buurt rond het dorpshuis? Loop mee en kijk samen met de "
                            "dorpsraad en de gemeente.",
                starts_at=saturday, ends_at=saturday + datetime.timedelta(hours=2), meeting_point="Ingang dorpshuis",
                meeting_latitude=kern.latitude, meeting_longitude=kern.longitude,
                route=_route(kern, [(0, 0), (120, 60), (220, 10), (200, -150), (40, -120), (0, 0)]),
                route_description="Vanaf het dorpshuis over de Dorpsstraat naar de kerk, langs het speelveld en "
                                  "over het Molenpad terug.",
                themes=["paving", "lighting", "traffic", "accessibility"], max_participants=25,
                organisers=[people["dorpsraad.bleskensgraaf@example.org"], people["pieter@example.org"]])
            services.sign_up(user=people["henk@example.org"], walk=walk)
            made += 1
        if not Walk.objects.filter(title=IN_PROGRESS).exists():
            kern = kernen["groot-ammers"]
            walk = services.plan_walk(
                actor=people["anna@example.org"], kern=kern, title=IN_PROGRESS, starts_at=saturday,
                ends_at=saturday + datetime.timedelta(hours=2), meeting_point="Speeltuin De Kastanje",
                description="We kijken naar de stoepen, het groen en de speeltuin aan de Kastanjelaan.",
                route=_route(kern, [(0, 0), (80, 120), (160, 200), (100, 320)]),
                route_description="Kastanjelaan, dan de Eikenlaan tot het water.",
                themes=["paving", "green", "play"], organisers=[people["anna@example.org"]])
            for email in ("kees@example.org", "marieke@example.org"):
                services.sign_up(user=people[email], walk=walk)
            walk = _move_into_the_past(walk, hours_ago=0.5)
            services.start_walk(actor=people["anna@example.org"], walk=walk)
            _observe(walk, people["kees@example.org"], kern, 30, 50, "paving", "Drie stoeptegels liggen los voor "
                     "nummer 14.", score="C", photo=(170, 160, 150), address="Kastanjelaan 14")
            _observe(walk, people["marieke@example.org"], kern, 90, 130, "play", "Het hek van de speeltuin sluit "
                     "niet meer.", score="C")
            _observe(walk, people["anna@example.org"], kern, 150, 190, "green", "Nieuwe bomen staan er mooi bij.",
                     kind="good", score="A")
            made += 1
        if not Walk.objects.filter(title=FINISHED).exists():
            made += _finished(people, kernen["arkel"], saturday)
    if stdout is not None:
        stdout.write(f"Walks: {made} created, {Walk.objects.count()} in total.")
    return {}


def _finished(people, kern, saturday) -> int:
    council, staff = people["dorpsraad.arkel@example.org"], people["pieter@example.org"]
    walk = services.plan_walk(
        actor=council, kern=kern, title=FINISHED, starts_at=saturday, ends_at=saturday + datetime.timedelta(hours=2),
        meeting_point="Kerkplein", description="De jaarlijkse schouw van het centrum.",
        route=_route(kern, [(0, 0), (100, 100), (200, 150), (250, 300)]),
        route_description="Kerkplein, Dorpsstraat, Molenweg.", themes=["paving", "lighting", "litter", "green"],
        organisers=[council, staff])
    sanne = people["sanne@example.org"]
    services.sign_up(user=sanne, walk=walk)
    walk = _move_into_the_past(walk, hours_ago=50)
    services.start_walk(actor=council, walk=walk)
    reported = _observe(walk, sanne, kern, 20, 30, "lighting", "Lantaarnpaal bij de bushalte brandt niet.",
                        score="D", address="Dorpsstraat 3")
    duplicate = _observe(walk, council, kern, 22, 32, "lighting", "Straatlicht kapot bij de bushalte.", score="D")
    idea = _observe(walk, sanne, kern, 110, 110, "green", "Het grasveld bij de Molenweg ligt er kaal bij: "
                    "bloemen zaaien met de buurt?", score="C", photo=(120, 150, 90))
    nothing = _observe(walk, staff, kern, 180, 140, "litter", "Wat papier bij het bankje.", score="B")
    good = _observe(walk, sanne, kern, 240, 290, "paving", "Het nieuwe fietspad is prachtig vlak.", kind="good",
                    score="A+")
    _observe(walk, staff, kern, 200, 200, "paving", "Boomwortels duwen de stoep omhoog.", score="C")  # untriaged
    services.finish_walk(actor=council, walk=walk)
    Walk.objects.filter(pk=walk.pk).update(finished_at=timezone.now() - datetime.timedelta(hours=47))
    services.merge(actor=council, survivor=reported, duplicates=[duplicate], reason="Dezelfde lantaarnpaal.")
    services.decide(actor=council, observations=[reported], decision="reported",
                    reason="De gemeente repareert straatverlichting; we melden het.")
    services.decide(actor=council, observations=[idea], decision="initiative", offer_to=sanne,
                    reason="Mooi idee: Sanne kan er een buurtinitiatief van maken.")
    services.decide(actor=council, observations=[nothing], decision="no_action",
                    reason="Het zwerfafval is dezelfde dag opgeruimd.")
    services.decide(actor=council, observations=[good], decision="praise", reason="Dank aan de wegbeheerder!")
    from lab.feedback import answer

    answer(user=sanne, kind="walk", object_id=walk.pk, experience="good", heard="yes", again="yes",
           text="Fijn om met de dorpsraad en de gemeente samen te kijken.")
    answer(user=staff, kind="walk", object_id=walk.pk, experience="good", heard="somewhat", again="yes")
    return 1
