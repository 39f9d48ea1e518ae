"""factory_boy factories for every model; later apps add theirs beside these (tests/factories_<app>.py)."""

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from community.models import CallbackRequest, CouncilMembership, HelpTopic, Kern, Notification, StaffProfile, User
from live.models import LiveEvent


class KernFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kern
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Testdorp {n}")
    slug = factory.Sequence(lambda n: f"testdorp-{n}")
    latitude = "51.880000"
    longitude = "4.850000"
    postcode_prefix = "2970"
    council_name = factory.LazyAttribute(lambda o: f"Dorpsraad {o.name}")


class UserFactory(factory.django.DjangoModelFactory):
    """A signed-up resident with a verified e-mail address."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"inwoner{n}@example.org")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    kern = factory.SubFactory(KernFactory)
    password = factory.django.Password("wachtwoord-voor-tests")

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class VerifiedResidentFactory(UserFactory):
    residency_verified_at = factory.LazyFunction(timezone.now)


class StaffFactory(UserFactory):
    is_staff = True
    kern = None


class AdminFactory(UserFactory):
    is_staff = True
    is_superuser = True
    kern = None


class CouncilMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilMembership

    user = factory.SubFactory(VerifiedResidentFactory, kern=factory.SelfAttribute("..kern"))
    kern = factory.SubFactory(KernFactory)
    role = CouncilMembership.Role.MEMBER


class HelpTopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HelpTopic
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Onderwerp {n}")
    slug = factory.Sequence(lambda n: f"onderwerp-{n}")


class StaffProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffProfile

    user = factory.SubFactory(StaffFactory)
    job_title = "Kernconsulent"
    introduction = "Ik help u graag."


class CallbackRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallbackRequest

    requester = factory.SubFactory(UserFactory)
    name = factory.LazyAttribute(lambda o: o.requester.display_name if o.requester else "Onbekend")
    phone = "0184 123456"
    message = "Graag terugbellen over de stoep."


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification
        skip_postgeneration_save = True  # the hook below changes nothing on the notification

    recipient = factory.SubFactory(UserFactory)
    title = "Er is nieuws"

    @factory.post_generation
    def _unread_count(obj, create, extracted, **kwargs):
        # Written past the services that keep each person's unread count in the cache.
        if create:
            from community.notifications.services import forget_unread_count

            forget_unread_count(obj.recipient_id)


class LiveEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LiveEvent

    stream = "health"
    seq = factory.Sequence(lambda n: n + 1)
    type = "health.ping"
    payload = factory.LazyFunction(dict)
