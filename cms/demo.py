"""The Dutch page tree for the demo: home, kernen (one page per kern), news, staff, a few content pages."""

import datetime

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
    home = HomePage.objects.first()
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
    kern_index = KernIndexPage.objects.first() or _add(home, KernIndexPage(
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
    news_index = NewsIndexPage.objects.first() or _add(home, NewsIndexPage(
        title="Nieuws", slug="nieuws", intro="Wat er gebeurt in het Samenlab."))
    if not NewsPage.objects.exists():
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
    if not StaffDirectoryPage.objects.exists():
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
        if not ContentPage.objects.filter(slug=slug).exists():
            _add(home, ContentPage(title=title, slug=slug, intro=intro, body=[("paragraph", _rich(text))]))
    _editors_group(home)
    return {}


def _editors_group(home):
    """Staff edit and publish pages, images, documents and the people-and-places snippets."""
    editors, _created = Group.objects.get_or_create(name=EDITORS_GROUP)
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.get_or_create(
            group=editors, page=home, permission=Permission.objects.get(content_type__app_label="wagtailcore",
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
