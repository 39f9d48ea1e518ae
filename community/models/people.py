"""People and places: residents, kernen, village councils, staff with a face, call-back requests."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Who supplies a kern's address: the CMS registers a resolver in its AppConfig.ready, so the domain
# never imports the CMS (docs/decisions/0013-one-meaning-of-may.md).
_KERN_URL_RESOLVERS: list = []


def register_kern_url_resolver(resolver) -> None:
    """``resolver(kern) -> str | None``: the URL of the page that shows ``kern``, or None."""
    if resolver not in _KERN_URL_RESOLVERS:
        _KERN_URL_RESOLVERS.append(resolver)


class Kern(models.Model):
    """One of the municipality's villages, each with its own village council (dorpsraad)."""

    name = models.CharField(_("naam"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    latitude = models.DecimalField(_("breedtegraad"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("lengtegraad"), max_digits=9, decimal_places=6)
    postcode_prefix = models.CharField(
        _("postcodegebied"), max_length=40, blank=True, help_text=_("Vier cijfers; meerdere gescheiden door komma's.")
    )
    council_name = models.CharField(_("naam dorpsraad"), max_length=120, blank=True)
    council_email = models.EmailField(_("e-mail dorpsraad"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kern")
        verbose_name_plural = _("kernen")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        """The kern's page, as the site that shows kernen says (the CMS registers itself through
        ``register_kern_url_resolver``); the kernen overview when no page shows this kern."""
        for resolver in _KERN_URL_RESOLVERS:
            url = resolver(self)
            if url:
                return url
        return "/kernen/"

    @property
    def postcode_prefixes(self) -> list[str]:
        return [p.strip() for p in self.postcode_prefix.split(",") if p.strip()]


class SamenlabUserManager(UserManager):
    """Users log in with their e-mail address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


# An erased account keeps its row (shared content keeps its shape) with an address that can never exist.
ERASED_EMAIL_SUFFIX = "@erased.invalid"


class AddressAs(models.TextChoices):
    """How a person wants to be addressed: "Goedemorgen Jan", "… Jan de Vries", "… heer De Vries"."""

    FIRST_NAME = "first_name", _("met mijn voornaam (Jan)")
    FULL_NAME = "full_name", _("met mijn voor- en achternaam (Jan de Vries)")
    SIR = "sir", _("als heer, met mijn achternaam (heer De Vries)")
    MADAM = "madam", _("als mevrouw, met mijn achternaam (mevrouw De Vries)")


class User(AbstractUser):
    """A person. What we know about them is asked once and remembered, never asked again.

    ``is_staff`` marks municipal staff (medewerkers); ``is_superuser`` marks admins. Village-council
    rights come from ``CouncilMembership``, facilitator rights from the ``Facilitators`` group.
    """

    username = None
    email = models.EmailField(_("e-mailadres"), unique=True)
    kern = models.ForeignKey(
        Kern, verbose_name=_("kern"), null=True, blank=True, on_delete=models.SET_NULL, related_name="residents"
    )
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    phone = models.CharField(_("telefoonnummer"), max_length=20, blank=True)
    preferred_language = models.CharField(
        _("taal"), max_length=5, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    # db_default too: a worker still running the code from before this field (a rolling deploy) inserts
    # users without it, and the database fills it in.
    address_as = models.CharField(_("aanspreekvorm"), max_length=12, choices=AddressAs.choices,
                                  default=AddressAs.FIRST_NAME, db_default=AddressAs.FIRST_NAME)
    large_text = models.BooleanField(_("grotere letters"), default=False)
    email_notifications = models.BooleanField(_("meldingen per e-mail"), default=True)
    # The start of the latest visit (community.middleware.VisitMiddleware): "sinds uw vorige bezoek".
    last_visit_at = models.DateTimeField(null=True, blank=True, editable=False)
    residency_verified_at = models.DateTimeField(_("woonplaats bevestigd op"), null=True, blank=True)
    residency_verified_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []
    objects = SamenlabUserManager()

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.is_erased:
            return gettext("Voormalig deelnemer")
        full = self.get_full_name().strip()
        return full or self.email.split("@")[0]

    @property
    def is_erased(self) -> bool:
        """Erased through "my data" (see ``community.privacy.erase_account``): only the row is left."""
        return self.email.endswith(ERASED_EMAIL_SUFFIX)

    @property
    def greeting_name(self) -> str:
        """The person as they asked to be addressed, in the active language ("Jan", "heer De Vries").

        A surname without a first name before it starts with a capital, prefix included ("de Vries" →
        "De Vries"). A choice that needs a surname the person has not given falls back to the first name.
        """
        surname = self.last_name.strip()
        if surname and self.address_as in (AddressAs.SIR, AddressAs.MADAM):
            surname = surname[0].upper() + surname[1:]
            if self.address_as == AddressAs.SIR:
                return gettext("heer %(surname)s") % {"surname": surname}
            return gettext("mevrouw %(surname)s") % {"surname": surname}
        if surname and self.address_as == AddressAs.FULL_NAME and self.first_name:
            return f"{self.first_name} {surname}"
        return self.first_name or self.display_name

    @property
    def is_profile_complete(self) -> bool:
        return bool(self.first_name and self.kern_id)


class CouncilMembership(models.Model):
    """Membership of a kern's village council: moderator rights in that kern, and that kern only."""

    class Role(models.TextChoices):
        MEMBER = "member", _("lid")
        CHAIR = "chair", _("voorzitter")
        SECRETARY = "secretary", _("secretaris")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="council_memberships")
    kern = models.ForeignKey(Kern, on_delete=models.CASCADE, related_name="council_memberships")
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    since = models.DateField(_("sinds"), default=timezone.localdate)

    class Meta:
        verbose_name = _("lidmaatschap dorpsraad")
        verbose_name_plural = _("lidmaatschappen dorpsraad")
        constraints = [models.UniqueConstraint(fields=["user", "kern"], name="unique_council_membership")]

    def __str__(self):
        return f"{self.user} – {self.kern} ({self.get_role_display()})"


class HelpTopic(models.Model):
    """Something residents ask about ("afval", "subsidie", "zorg"): staff say which ones they help with."""

    name = models.CharField(_("onderwerp"), max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("onderwerp")
        verbose_name_plural = _("onderwerpen")

    def __str__(self):
        return self.name


class StaffProfileQuerySet(models.QuerySet):
    def public(self):
        """Public profiles with their user, photo and the names of their topics (``topic_names``), in one
        query: every page with a contact person shows them."""
        from django.db.models import OuterRef, Subquery

        from core.aggregates import Joined

        names = (StaffProfile.topics.through.objects.filter(staffprofile=OuterRef("pk")).order_by()
                 .values("staffprofile").annotate(names=Joined("helptopic__name")).values("names"))
        return (
            self.filter(is_public=True, user__is_active=True)
            .select_related("user", "photo")
            .annotate(joined_topic_names=Subquery(names))
            .order_by("sort_order", "user__first_name")
        )


class StaffProfile(models.Model):
    """The public face of a staff member: "wie helpt u graag bij…"."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile")
    job_title = models.CharField(_("functie"), max_length=120)
    introduction = models.TextField(_("voorstellen"), blank=True, help_text=_("Een paar zinnen in gewone taal."))
    photo = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("foto"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    photo_alt = models.CharField(_("beschrijving foto"), max_length=200, blank=True)
    topics = models.ManyToManyField(HelpTopic, verbose_name=_("helpt graag bij"), blank=True, related_name="staff")
    kernen = models.ManyToManyField(Kern, verbose_name=_("kernen"), blank=True, related_name="staff")
    public_phone = models.CharField(_("telefoon"), max_length=20, blank=True)
    public_email = models.EmailField(_("e-mail"), blank=True)
    is_public = models.BooleanField(_("zichtbaar op de site"), default=True)
    sort_order = models.PositiveIntegerField(default=0)

    objects = StaffProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("medewerkersprofiel")
        verbose_name_plural = _("medewerkersprofielen")

    def __str__(self):
        return f"{self.user.display_name} ({self.job_title})"

    @property
    def topic_names(self) -> list[str]:
        """What the person helps with, by name: read with the profile by ``public()``, else one query."""
        from core.aggregates import split_texts

        if hasattr(self, "joined_topic_names"):
            return split_texts(self.joined_topic_names)
        return sorted(self.topics.values_list("name", flat=True))


class CallbackRequestQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=CallbackRequest.Status.DONE)

    def for_staff_list(self):
        return self.select_related("requester", "topic", "kern", "assigned_to").order_by("status", "-created_at")


class CallbackRequest(models.Model):
    """A resident asks to talk to a person. Stored, and visible to staff (and to its requester) only."""

    class Status(models.TextChoices):
        OPEN = "open", _("nieuw")
        IN_PROGRESS = "in_progress", _("in behandeling")
        DONE = "done", _("afgehandeld")

    class Channel(models.TextChoices):
        PHONE = "phone", _("Telefoon: wij bellen u")
        VIDEO = "video", _("Beeldbellen")
        HOME = "home", _("Een bezoek bij u thuis")
        TOWN_HALL = "town_hall", _("Een gesprek op het gemeentehuis")
        VILLAGE_HALL = "village_hall", _("Een gesprek in het dorpshuis")

    class Moment(models.TextChoices):
        ANY = "any", _("maakt niet uit")
        MORNING = "morning", _("ochtend")
        AFTERNOON = "afternoon", _("middag")
        EVENING = "evening", _("begin van de avond")

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="callback_requests"
    )
    name = models.CharField(_("naam"), max_length=120)
    phone = models.CharField(_("telefoonnummer"), max_length=20)
    email = models.EmailField(_("e-mailadres"), blank=True)
    kern = models.ForeignKey(Kern, verbose_name=_("kern"), null=True, blank=True, on_delete=models.SET_NULL)
    topic = models.ForeignKey(HelpTopic, verbose_name=_("onderwerp"), null=True, blank=True, on_delete=models.SET_NULL)
    message = models.TextField(_("waar gaat het over?"), max_length=2000, blank=True)
    channel = models.CharField(_("hoe wilt u contact?"), max_length=20, choices=Channel.choices,
                               default=Channel.PHONE)
    preferred_moment = models.CharField(
        _("welk moment van de dag past u het best?"), max_length=20, choices=Moment.choices, default=Moment.ANY
    )
    # The service promise at the moment of asking: "u hoort uiterlijk … van ons".
    answer_by = models.DateField(_("antwoord uiterlijk"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_callbacks"
    )
    staff_note = models.TextField(_("notitie medewerker"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)

    objects = CallbackRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("terugbelverzoek")
        verbose_name_plural = _("terugbelverzoeken")

    def __str__(self):
        return f"{self.name} ({self.get_status_display()})"


class ServicePromise(models.Model):
    """How soon a resident hears from us after asking for contact, per way of contact; set in the admin."""

    channel = models.CharField(_("manier van contact"), max_length=20, choices=CallbackRequest.Channel.choices,
                               unique=True)
    working_days = models.PositiveSmallIntegerField(
        _("binnen hoeveel werkdagen"), validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_("De inwoner ziet: u hoort uiterlijk op deze datum van ons."))

    class Meta:
        ordering = ["channel"]
        verbose_name = _("servicebelofte")
        verbose_name_plural = _("servicebeloftes")

    def __str__(self):
        return f"{self.get_channel_display()}: {self.working_days}"
