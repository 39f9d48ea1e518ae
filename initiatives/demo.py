"""Demo initiatives for `make run`: a dozen plans across several kernen, in every state, with pledges and
a match fund. Built through the services (so audit trails, totals and matching are real). Safe to run
twice: an initiative whose title exists is left alone."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from community.models import CouncilMembership, Kern, User
from initiatives import services
from initiatives.models import AgendaOutcome, Initiative, MatchFund, Status

NEIGHBOURS = [
    ("marieke@example.org", "Marieke", "Kok", "groot-ammers"),
    ("henk@example.org", "Henk", "Visser", "bleskensgraaf"),
    ("sanne@example.org", "Sanne", "Jansen", "arkel"),
    ("ahmed@example.org", "Ahmed", "Yilmaz", "giessenburg"),
    ("lotte@example.org", "Lotte", "Bakker", "streefkerk"),
    ("gerrit@example.org", "Gerrit", "Brouwer", "noordeloos"),
]

COUNCILS = {  # a council member for every kern the demo uses (Anna sits on Groot-Ammers' council)
    "bleskensgraaf": ("dorpsraad.bleskensgraaf@example.org", "Wim", "Hoogendoorn"),
    "arkel": ("dorpsraad.arkel@example.org", "Ria", "van Wijk"),
    "giessenburg": ("dorpsraad.giessenburg@example.org", "Johan", "de Groot"),
    "streefkerk": ("dorpsraad.streefkerk@example.org", "Els", "Verbeek"),
    "noordeloos": ("dorpsraad.noordeloos@example.org", "Bert", "Pols"),
}

# title, kern, initiator e-mail, theme, goal, final state, money pledges, summary, story
PLANS = [
    ("Speeltuin De Kastanje opknappen", "groot-ammers", "kees@example.org", "spelen", "4500.00", Status.FUNDING,
     ["250.00", "75.00", "40.00", "125.50"], "Nieuwe toestellen en een zandbak voor de speeltuin aan de Kastanjelaan.",
     "De toestellen zijn twintig jaar oud en twee zijn al weggehaald. Met de ouders van de buurt willen we een "
     "klimrek, een schommel voor kleintjes en een nieuwe zandbak plaatsen."),
    ("AED-kast bij het dorpshuis", "bleskensgraaf", "henk@example.org", "zorg", "1850.00", Status.FUNDED,
     ["500.00", "250.00", "100.00", "150.00", "100.00"],
     "Een AED die dag en nacht bereikbaar is, met cursus voor vrijwilligers.",
     "Bij een hartstilstand telt elke minuut. Een buitenkast bij het dorpshuis maakt de AED altijd bereikbaar."),
    ("Bloemenlint langs de Giessen", "giessenburg", "ahmed@example.org", "groen", "900.00", Status.REALISED,
     ["300.00", "150.00", "50.00"], "Inheemse bloemen en bijenhotels langs het fietspad aan de Giessen.",
     "Met de basisschool zaaien we een bloemenlint van 400 meter, goed voor bijen en vlinders."),
    ("Jeu de boules-baan bij De Wiekslag", "arkel", "sanne@example.org", "ontmoeting", "1200.00", Status.NOT_FUNDED,
     ["60.00", "25.00"], "Een baan waar jong en oud elkaar ontmoeten.",
     "Naast het buurthuis ligt een stuk grind dat niemand gebruikt. Wij maken er een jeu de boules-baan van."),
    ("Kerstmarkt op het Dorpsplein", "streefkerk", "lotte@example.org", "cultuur", None, Status.PUBLISHED, [],
     "Een gezellige kerstmarkt met kramen van verenigingen uit het dorp.",
     "We zoeken vrijwilligers voor op- en afbouw, en kramen van verenigingen en ondernemers."),
    ("Veilig oversteken bij de school", "noordeloos", "gerrit@example.org", "verkeer", None, Status.SUBMITTED, [],
     "Een zebrapad en snelheidsborden bij de Noordeloosche school.",
     "Elke ochtend rijden auto's te hard langs de school. Wij vragen een zebrapad en 'Let op: kinderen'-borden."),
    ("Buurtmoestuin achter de kerk", "groot-ammers", "marieke@example.org", "groen", "650.00",
     Status.CHANGES_REQUESTED, [], "Samen groenten kweken op een braakliggend stuk grond.",
     "Het stuk grond achter de kerk ligt er al jaren ongebruikt bij. Wij willen er samen een moestuin beginnen."),
    ("Zonnepanelen op de gymzaal", "bleskensgraaf", "jan@example.org", "duurzaam", "9500.00", Status.DRAFT, [],
     "Groene stroom voor de gymzaal en lagere kosten voor de sportclubs.", ""),
    ("Hondenlosloopveld aan de dijk", "arkel", "sanne@example.org", "overig", None, Status.DECLINED, [],
     "Een omheind veld waar honden los mogen lopen.",
     "Veel hondenbezitters zoeken een veilige plek om hun hond los te laten lopen."),
    ("Muurschildering over het molenverleden", "giessenburg", "ahmed@example.org", "cultuur", "2200.00",
     Status.FUNDING, ["100.00", "35.00"], "Een kunstenaar schildert met kinderen de geschiedenis van de molens.",
     "De blinde muur van de sporthal wordt een verhaal over de molens van de Alblasserwaard."),
    ("Koffieochtend voor ouderen", "streefkerk", "lotte@example.org", "zorg", None, Status.ARCHIVED, [],
     "Elke dinsdag koffie en een praatje in het dorpshuis.",
     "Voor wie alleen woont is de week lang. Elke dinsdag staat de koffie klaar."),
    # Waiting for Anna (council of Groot-Ammers), so her moderation queue has something in it.
    ("Watertappunt op het sportpark", "groot-ammers", "marieke@example.org", "spelen", "1400.00", Status.SUBMITTED, [],
     "Gratis kraanwater voor sporters en wandelaars.",
     "Sporters nemen nu plastic flesjes mee. Een tappunt bij de kantine is beter voor iedereen."),
]

# How many supporters put an initiative on each demo kern's council agenda (set by that kern's council).
THRESHOLDS = {"groot-ammers": 5, "bleskensgraaf": 3, "giessenburg": 10, "arkel": 8, "streefkerk": 4,
              "noordeloos": 6}
# title, supporters (neighbours, not the initiator), days until the council meeting, outcome, the council's text
AGENDA = [
    ("Kerstmarkt op het Dorpsplein", 4, 14, None, ""),
    ("AED-kast bij het dorpshuis", 3, 0, AgendaOutcome.ADOPTED,
     "De dorpsraad steunt de AED-kast. We vragen de gemeente om de stroom aan te sluiten."),
    ("Speeltuin De Kastanje opknappen", 3, None, None, ""),  # two supports short of the agenda
]

LOCATIONS = {"groot-ammers": ("51.9210", "4.8330"), "bleskensgraaf": ("51.8735", "4.7830"),
             "giessenburg": ("51.8545", "4.8905"), "arkel": ("51.8660", "4.9935"),
             "streefkerk": ("51.9085", "4.7435"), "noordeloos": ("51.9025", "4.9425")}


def _user(email, first, last, kern_slug):
    from allauth.account.models import EmailAddress

    from community.demo import DEMO_PASSWORD

    user, created = User.objects.get_or_create(email=email, defaults={
        "first_name": first, "last_name": last, "kern": Kern.objects.get(slug=kern_slug),
        "residency_verified_at": timezone.now()})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def _moderator(kern_slug):
    membership = CouncilMembership.objects.filter(kern__slug=kern_slug).select_related("user").first()
    if membership:
        return membership.user
    email, first, last = COUNCILS[kern_slug]
    user = _user(email, first, last, kern_slug)
    CouncilMembership.objects.get_or_create(user=user, kern=user.kern)
    return user


def _build(title, kern_slug, initiator, theme, goal, final, amounts, summary, story, pledgers, staff, today):
    lat, lng = LOCATIONS[kern_slug]
    initiative = services.create_draft(
        initiator=initiator, kern=Kern.objects.get(slug=kern_slug), title=title, summary=summary,
        story=f"<p>{story}</p>" if story else "", theme=theme, goal=goal, latitude=lat, longitude=lng,
        location_label=f"Midden in {Kern.objects.get(slug=kern_slug).name}", needs_volunteers=4,
        deadline=today + datetime.timedelta(days=21) if goal else None,
    )
    if final == Status.DRAFT:
        return
    services.submit_initiative(actor=initiator, initiative=initiative)
    council = _moderator(kern_slug)
    if final == Status.SUBMITTED:
        return
    if final == Status.CHANGES_REQUESTED:
        services.request_changes(actor=council, initiative=initiative,
                                 comment="Mooi plan! Wilt u nog laten weten wie de tuin onderhoudt?")
        return
    if final == Status.DECLINED:
        services.decline_initiative(actor=council, initiative=initiative,
                                    reason="Er is al een losloopveld gepland bij de sportvelden; zie het kernplan.")
        return
    services.approve_initiative(actor=council, initiative=initiative, reason="Past goed bij het dorpsplan.")
    for index, amount in enumerate(amounts):
        services.pledge(pledger=pledgers[index % len(pledgers)], initiative=initiative, kind="money",
                        amount=amount, idempotency_key=f"demo-{initiative.pk}-{index}")
    if initiative.status in (Status.PUBLISHED, Status.FUNDING):
        services.pledge(pledger=pledgers[-1], initiative=initiative, kind="time", hours=6,
                        idempotency_key=f"demo-{initiative.pk}-time")
    if final in (Status.FUNDED, Status.NOT_FUNDED, Status.REALISED):
        # The deadline passes: close it the way the nightly job does.
        Initiative.objects.filter(pk=initiative.pk).update(deadline=today - datetime.timedelta(days=1))
        services.settle_initiative(initiative_id=initiative.pk, today=today)
    if final in (Status.REALISED, Status.ARCHIVED):
        services.mark_realised(actor=initiator, initiative=Initiative.objects.get(pk=initiative.pk),
                               result_text="<p>Het is gelukt, dank aan iedereen die meehielp!</p>")
    if final == Status.ARCHIVED:
        services.archive_initiative(actor=staff, initiative=Initiative.objects.get(pk=initiative.pk),
                                    reason="Afgerond en geëvalueerd.")


@transaction.atomic
def seed(stdout=None):
    today = timezone.localdate()
    staff = User.objects.filter(is_staff=True, is_superuser=False).order_by("pk").first()
    neighbours = {email: _user(email, first, last, kern) for email, first, last, kern in NEIGHBOURS}
    for slug in COUNCILS:
        _moderator(slug)
    if not MatchFund.objects.filter(name="Dorpsfonds Molenlanden").exists():
        MatchFund.objects.create(name="Dorpsfonds Molenlanden", budget=Decimal("25000.00"),
                                 balance=Decimal("25000.00"), ratio=Decimal("1.00"),
                                 cap_per_initiative=Decimal("1000.00"))
    created = 0
    for title, kern_slug, email, theme, goal, final, amounts, summary, story in PLANS:
        if Initiative.objects.filter(title=title).exists():
            continue
        initiator = neighbours.get(email) or User.objects.get(email=email)
        pledgers = [u for u in neighbours.values() if u.pk != initiator.pk]
        _build(title, kern_slug, initiator, theme, goal, final, amounts, summary, story, pledgers, staff, today)
        created += 1
    _council_agenda(neighbours, today)
    if stdout is not None:
        stdout.write(f"Initiatives: {created} created, {Initiative.objects.count()} in total.")
    return {}


def _council_agenda(neighbours: dict, today) -> None:
    """Thresholds for the demo kernen; one initiative on the agenda with a date, one decided, one nearly there."""
    for slug, supporters in THRESHOLDS.items():
        services.set_support_threshold(actor=_moderator(slug), kern=Kern.objects.get(slug=slug),
                                       supporters=supporters)
    for title, supporters, meeting_in, outcome, text in AGENDA:
        initiative = Initiative.objects.filter(title=title).first()
        if initiative is None:
            continue
        others = [user for user in neighbours.values() if user.pk not in initiative.initiator_ids()]
        for user in others[:supporters]:
            services.support(user=user, initiative=initiative)
        item = Initiative.objects.select_related("council_agenda").get(pk=initiative.pk).agenda_item
        if item is None or item.is_decided:
            continue
        council = _moderator(initiative.kern.slug)
        if meeting_in is not None and item.meeting_date is None:
            services.schedule_agenda_item(actor=council, initiative=initiative,
                                          meeting_date=today + datetime.timedelta(days=meeting_in))
        if outcome is not None:
            services.record_agenda_outcome(actor=council, initiative=initiative, outcome=outcome, text=text)
