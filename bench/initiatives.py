"""Volume for the initiatives list benchmark: 1,000 public initiatives and 10,000 pledges.

Rows are written with ``bulk_create`` rather than through the services: the bench measures reading a
big list, and the services (one locked transaction per pledge) would take minutes to build it. The
rows are valid (the database's CHECK constraints hold them to the same rules). Safe to run again: it
tops up to the target numbers and never adds twice.
"""

import datetime
import random
from decimal import Decimal

INITIATIVES = 1_000
PLEDGES = 10_000
PLEDGERS = 200
TITLE_PREFIX = "Benchinitiatief"


def prepare() -> None:
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from community.models import Kern
    from initiatives.models import Initiative, Pledge, Status, Theme

    rng = random.Random(1000)
    users = get_user_model()
    kernen = list(Kern.objects.order_by("pk"))
    with transaction.atomic():
        existing = set(users.objects.filter(email__startswith="bench-pledger-").values_list("email", flat=True))
        users.objects.bulk_create([
            users(email=f"bench-pledger-{n}@example.org", first_name=f"Steuner {n}", kern=kernen[n % len(kernen)])
            for n in range(PLEDGERS) if f"bench-pledger-{n}@example.org" not in existing
        ])
        pledgers = list(users.objects.filter(email__startswith="bench-pledger-").order_by("pk"))

        have = Initiative.objects.filter(title__startswith=TITLE_PREFIX).count()
        now = timezone.now()
        themes = [value for value, _label in Theme.choices]
        Initiative.objects.bulk_create([
            Initiative(
                title=f"{TITLE_PREFIX} {n}", summary="Samen iets moois maken voor het dorp.",
                story="<p>Een plan om het dorp mooier te maken.</p>", kern=kernen[n % len(kernen)],
                theme=themes[n % len(themes)], initiator=pledgers[n % len(pledgers)],
                status=Status.FUNDING if n % 3 else Status.PUBLISHED, goal=Decimal("2500.00"),
                deadline=timezone.localdate() + datetime.timedelta(days=1 + n % 60),
                published_at=now - datetime.timedelta(minutes=n),
            )
            for n in range(have, INITIATIVES)
        ])
        funding = list(Initiative.objects.filter(title__startswith=TITLE_PREFIX, status=Status.FUNDING)
                       .values_list("pk", flat=True))

        have = Pledge.objects.filter(idempotency_key__startswith="bench-").count()
        Pledge.objects.bulk_create([
            Pledge(initiative_id=rng.choice(funding), pledger=pledgers[n % len(pledgers)], kind=Pledge.Kind.MONEY,
                   amount=Decimal(rng.choice([5, 10, 25, 50, 100])), idempotency_key=f"bench-{n}")
            for n in range(have, PLEDGES)
        ], batch_size=1000)
