"""Demo people for `make run`: one of each role, staff with faces, topics. Safe to run twice."""

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from community.models import CallbackRequest, CouncilMembership, HelpTopic, Kern, StaffProfile, User
from community.rules import FACILITATORS_GROUP
from community.services import seed_kernen

DEMO_PASSWORD = "samenlab-demo"  # noqa: S105 - printed for the local demo, never used in production

TOPICS = ["Afval en grondstoffen", "Subsidies voor initiatieven", "Zorg en welzijn", "Wonen en bouwen",
          "Groen en spelen", "Verkeer en parkeren", "Meedoen in het Samenlab"]

DEMO_PEOPLE = [
    # email, first, last, kern slug, role
    ("jan@example.org", "Jan", "de Vries", "bleskensgraaf", "resident"),
    ("anna@example.org", "Anna", "Bos", "groot-ammers", "council"),
    ("fatima@example.org", "Fatima", "El Amrani", "giessenburg", "staff"),
    ("pieter@example.org", "Pieter", "Verhoef", "arkel", "staff"),
    ("admin@example.org", "Beheer", "Samenlab", None, "admin"),
    ("kees@example.org", "Kees", "van Dam", "groot-ammers", "resident"),
]

STAFF_PROFILES = {
    "fatima@example.org": ("Kernconsulent participatie", "Ik help inwoners om hun idee voor het dorp van de grond "
                           "te krijgen. Bel gerust, ook als u niet weet waar u moet beginnen.",
                           ["Meedoen in het Samenlab", "Subsidies voor initiatieven", "Groen en spelen"],
                           ["giessenburg", "groot-ammers", "bleskensgraaf"]),
    "pieter@example.org": ("Wijkregisseur openbare ruimte", "Van losse stoeptegels tot een nieuwe speeltuin: "
                           "samen lopen we door uw buurt en kijken wat beter kan.",
                           ["Verkeer en parkeren", "Afval en grondstoffen", "Groen en spelen"],
                           ["arkel", "hoornaar", "noordeloos"]),
}


@transaction.atomic
def seed(stdout=None) -> dict[str, str]:
    seed_kernen()
    topics = {}
    for name in TOPICS:
        from django.utils.text import slugify

        topics[name], _created = HelpTopic.objects.get_or_create(slug=slugify(name), defaults={"name": name})
    facilitators, _created = Group.objects.get_or_create(name=FACILITATORS_GROUP)
    logins = {}
    for email, first, last, kern_slug, role in DEMO_PEOPLE:
        kern = Kern.objects.get(slug=kern_slug) if kern_slug else None
        user, created = User.objects.get_or_create(
            email=email, defaults={"first_name": first, "last_name": last, "kern": kern}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_staff = role in ("staff", "admin")
            user.is_superuser = role == "admin"
            if role in ("council", "resident", "staff") and kern:
                user.residency_verified_at = timezone.now()
            user.save()
        from allauth.account.models import EmailAddress

        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        if role == "council":
            CouncilMembership.objects.get_or_create(
                user=user, kern=kern, defaults={"role": CouncilMembership.Role.CHAIR}
            )
        if role == "staff":
            user.groups.add(facilitators)
        logins.setdefault(role, email)
    for email, (title, intro, topic_names, kern_slugs) in STAFF_PROFILES.items():
        user = User.objects.get(email=email)
        profile, created = StaffProfile.objects.get_or_create(
            user=user, defaults={"job_title": title, "introduction": intro, "public_phone": "14 0184",
                                 "public_email": email}
        )
        if created:
            profile.topics.set([topics[name] for name in topic_names])
            profile.kernen.set(Kern.objects.filter(slug__in=kern_slugs))
    if not CallbackRequest.objects.exists():
        CallbackRequest.objects.create(
            requester=User.objects.get(email="kees@example.org"), name="Kees van Dam", phone="0184 123456",
            kern=Kern.objects.get(slug="groot-ammers"), topic=topics["Verkeer en parkeren"],
            message="Er wordt hard gereden in de Dorpsstraat. Kan iemand met me meedenken?",
        )
    return logins
