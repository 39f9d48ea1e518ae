"""The Dutch page tree for the demo: home, kernen (one page per kern), news, staff, a few content pages."""

import datetime

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page, Site

from cms.models import (
    ContentPage,
    HomePage,
    KernIndexPage,
    KernPage,
    NewsIndexPage,
    NewsPage,
    StaffDirectoryPage,
)
from community.models import Kern, User

EDITORS_GROUP = "Redactie"
EDITOR_MODEL_PERMISSIONS = [
    "community.add_kern", "community.change_kern", "community.add_councilmembership",
    "community.change_councilmembership", "community.delete_councilmembership", "community.add_staffprofile",
    "community.change_staffprofile", "community.add_helptopic", "community.change_helptopic",
    "community.view_callbackrequest", "community.change_callbackrequest",
    "simple_translation.submit_translation",
]

KERN_STORIES = {
    "kinderdijk": "Wereldberoemd om de negentien molens, maar vooral een dorp waar mensen elkaar kennen.",
    "groot-ammers": "Aan de Lek, met de molen De Achtkante en een sterk verenigingsleven.",
    "arkel": "Tussen de Linge en het spoor, met een levendige dorpskern en veel jonge gezinnen.",
    "bleskensgraaf": "Het hart van de Alblasserwaard, waar in 1944 het dorp opnieuw werd opgebouwd.",
}


def _rich(text: str) -> str:
    return f"<p>{text}</p>"


def _add(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@transaction.atomic
def seed(stdout=None):
    root = Page.get_first_root_node()
    home = HomePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).first()
    if home is None:
        home = _add(root, HomePage(
            title="Samen maken we Molenlanden", slug="samenlab",
            intro="Heeft u een idee voor uw dorp? Wilt u meedenken of meehelpen? Hier doen inwoners, "
                  "ondernemers en de gemeente het samen.",
            body=[("call_to_action", {"title": "Praat met een medewerker", "text": "Liever iemand spreken? "
                   "Wij bellen u terug.", "link_page": None, "link_url": "/contact/",
                   "link_text": "Bel mij terug"})],
        ))
        site = Site.objects.filter(is_default_site=True).first()
        old_root = site.root_page if site else None
        if site is None:
            Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True,
                                site_name="Samenlab Molenlanden")
        else:
            site.root_page = home
            site.site_name = "Samenlab Molenlanden"
            site.save()
        if old_root is not None and old_root.specific_class is Page and old_root.pk != home.pk:
            old_root.delete()
    kern_index = KernIndexPage.objects.filter(locale=home.locale).first() or _add(home, KernIndexPage(
        title="Kernen", slug="kernen", intro="Molenlanden heeft 21 kernen, elk met een eigen dorpsraad."))
    for kern in Kern.objects.order_by("name"):
        if not KernPage.objects.filter(kern=kern).exists():
            story = KERN_STORIES.get(kern.slug, f"{kern.name} is een van de 21 kernen van Molenlanden.")
            _add(kern_index, KernPage(
                title=kern.name, slug=kern.slug, kern=kern, intro=f"Wat er speelt in {kern.name}.",
                story=_rich(story),
                council_intro=_rich(f"De dorpsraad van {kern.name} bestaat uit inwoners die zich inzetten "
                                    "voor het dorp. Zij beoordelen de initiatieven uit de kern."),
            ))
    news_index = NewsIndexPage.objects.filter(locale=home.locale).first() or _add(home, NewsIndexPage(
        title="Nieuws", slug="nieuws", intro="Wat er gebeurt in het Samenlab."))
    if not NewsPage.objects.filter(locale=home.locale).exists():
        today = datetime.date.today()
        items = [
            ("Samenlab gaat van start", "Vanaf vandaag kunnen inwoners van alle 21 kernen meedoen.", None),
            ("Wijkschouw in Groot-Ammers", "Loop mee met de dorpsraad en de wijkregisseur door het dorp.",
             "groot-ammers"),
            ("Nieuwe speelplek in Arkel", "Dankzij buurtbewoners komt er een speelplek aan de Linge.", "arkel"),
        ]
        for days_ago, (title, summary, kern_slug) in enumerate(items):
            _add(news_index, NewsPage(
                title=title, date=today - datetime.timedelta(days=days_ago * 7), summary=summary,
                kern=Kern.objects.filter(slug=kern_slug).first(),
                body=[("paragraph", _rich(summary + " Lees meer en doe mee via Samenlab."))],
            ))
    if not StaffDirectoryPage.objects.filter(locale=home.locale).exists():
        _add(home, StaffDirectoryPage(title="Wie helpt u graag?", slug="medewerkers",
                                      intro="Onze medewerkers stellen zich voor. Zoek op onderwerp."))
    for slug, title, intro, text in [
        ("over", "Over Samenlab", "Samenlab is het digitale dorpsplein van Molenlanden.",
         "Inwoners, ondernemers, partners en de gemeente werken hier samen aan de kernen."),
        ("toegankelijkheid", "Toegankelijkheid", "Samenlab moet voor iedereen te gebruiken zijn.",
         "Wij volgen WCAG 2.1 niveau AA. Lukt iets niet? Bel ons: wij helpen u graag."),
        ("privacy", "Privacy", "Wij vragen zo weinig mogelijk gegevens.",
         "U kunt uw gegevens altijd inzien en laten verwijderen. Foto's worden ontdaan van locatiegegevens."),
    ]:
        if not ContentPage.objects.filter(locale=home.locale, slug=slug).exists():
            _add(home, ContentPage(title=title, slug=slug, intro=intro, body=[("paragraph", _rich(text))]))
    _english(home)
    _editors_group(home)
    return {}


KERN_STORIES_EN = {
    "kinderdijk": "World famous for its nineteen windmills, but above all a village where people know each other.",
    "groot-ammers": "On the river Lek, with the Achtkante windmill and many active clubs and societies.",
    "arkel": "Between the river Linge and the railway, with a lively village centre and many young families.",
    "bleskensgraaf": "The heart of the Alblasserwaard, where the village was rebuilt after 1944.",
}

NEWS_EN = {
    "Samenlab gaat van start": ("Samenlab starts today", "From today, residents of all 21 villages can take part."),
    "Wijkschouw in Groot-Ammers": ("Neighbourhood walk in Groot-Ammers",
                                   "Walk through the village with the village council and the community officer."),
    "Nieuwe speelplek in Arkel": ("New playground in Arkel",
                                  "Thanks to local residents, a playground is coming to the banks of the Linge."),
}

CONTENT_EN = {
    "over": ("About Samenlab", "Samenlab is the digital village square of Molenlanden.",
             "Residents, businesses, partners and the municipality work together here on the villages."),
    "toegankelijkheid": ("Accessibility", "Everyone must be able to use Samenlab.",
                         "We follow WCAG 2.1 level AA. Is something not working for you? Call us: we are happy "
                         "to help."),
    "privacy": ("Privacy", "We ask for as little information as possible.",
                "You can always see your data and have it deleted. We remove location data from photos."),
}


def _translate(page, locale, **fields):
    """The published translation of ``page`` into ``locale`` with ``fields`` (once: kept when it exists)."""
    if page.get_translation_or_none(locale) is not None:
        return
    translated = page.copy_for_translation(locale, copy_parents=True)
    for name, value in fields.items():
        setattr(translated, name, value)
    translated.save_revision().publish()


def _english(home):
    """English translations of the main pages, four kern pages and the news; the other kern pages stay
    Dutch only, as on a real site where not everything is translated yet."""
    from wagtail.models import Locale

    english, _created = Locale.objects.get_or_create(language_code="en")
    _translate(home, english, title="Together we make Molenlanden",
               intro="Do you have an idea for your village? Would you like to think along or help out? Here, "
                     "residents, businesses and the municipality do it together.",
               body=[("call_to_action", {"title": "Talk to a member of staff", "text": "Would you rather talk "
                      "to someone? We will call you back.", "link_page": None, "link_url": "/contact/",
                      "link_text": "Call me back"})])
    kern_index = KernIndexPage.objects.filter(locale=home.locale).first()
    _translate(kern_index, english, title="Villages",
               intro="Molenlanden has 21 villages, each with its own village council.")
    for slug, story in KERN_STORIES_EN.items():
        page = KernPage.objects.filter(kern__slug=slug).first()
        if page is not None:
            _translate(page, english, intro=f"What is going on in {page.title}.", story=_rich(story),
                       council_intro=_rich(f"The village council of {page.title} is made up of residents who "
                                           "work for their village. They review the initiatives from the "
                                           "village."))
    news_index = NewsIndexPage.objects.filter(locale=home.locale).first()
    _translate(news_index, english, title="News", intro="What is happening in Samenlab.")
    for page in NewsPage.objects.filter(locale=home.locale):
        if page.title in NEWS_EN:
            title, summary = NEWS_EN[page.title]
            _translate(page, english, title=title, summary=summary,
                       body=[("paragraph", _rich(summary + " Read more and take part in Samenlab."))])
    staff = StaffDirectoryPage.objects.filter(locale=home.locale).first()
    if staff is not None:
        _translate(staff, english, title="Who is happy to help you?",
                   intro="Our staff introduce themselves. Search by topic.")
    for slug, (title, intro, text) in CONTENT_EN.items():
        page = ContentPage.objects.filter(locale=home.locale, slug=slug).first()
        if page is not None:
            _translate(page, english, title=title, intro=intro, body=[("paragraph", _rich(text))])


def _editors_group(home):
    """Staff edit and publish pages, images, documents and the people-and-places snippets."""
    editors, _created = Group.objects.get_or_create(name=EDITORS_GROUP)
    for codename in ("add_page", "change_page", "publish_page"):
        for tree in HomePage.objects.all():  # the Dutch tree and each translation's tree
            GroupPagePermission.objects.get_or_create(
                group=editors, page=tree, permission=Permission.objects.get(content_type__app_label="wagtailcore",
                                                                             codename=codename)
            )
    root_collection = Collection.get_first_root_node()
    for app_label, codenames in (("wagtailimages", ("add_image", "change_image", "choose_image")),
                                 ("wagtaildocs", ("add_document", "change_document", "choose_document"))):
        for codename in codenames:
            GroupCollectionPermission.objects.get_or_create(
                group=editors, collection=root_collection,
                permission=Permission.objects.get(content_type__app_label=app_label, codename=codename),
            )
    for dotted in EDITOR_MODEL_PERMISSIONS:
        app_label, codename = dotted.split(".")
        editors.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    for staff in User.objects.filter(is_staff=True, is_superuser=False):
        staff.groups.add(editors)
