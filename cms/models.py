"""Wagtail page types: the public face. Each declares where it may live, its panels and search fields."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Page
from wagtail.search import index

from cms.blocks import RICH_TEXT_FEATURES, ContentPageStreamBlock, ContentStreamBlock
from cms.routing import public
from cms.translation import localize_pages


class SitePage:
    """Mixed into every page type: its view restrictions come from the page map (``cms.routing``), and it
    names the fields a translation lays over it (``translated_fields``, besides the title and SEO fields;
    ``cms.translation``)."""

    translated_fields: tuple[str, ...] = ()

    def get_view_restrictions(self):
        from cms.routing import view_restrictions_of

        restrictions = view_restrictions_of(self)
        return restrictions if restrictions is not None else super().get_view_restrictions()


def is_site_language(page) -> bool:
    """Whether ``page`` is in the site's own tree (Dutch), not a translation."""
    return page.locale_id is None or page.locale.language_code == settings.LANGUAGE_CODE


class KernPageForm(WagtailAdminPageForm):
    """A translation of a kern page has no kern to choose: the field is left out of its form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_site_language(self.instance):
            self.fields.pop("kern", None)


def in_site_language(pages):
    """``pages`` without translations (the site's own tree; the locale's id is kept in the page map)."""
    from cms.routing import page_map

    return pages.filter(locale_id=page_map().site_locale_id)


class HomePage(SitePage, Page):
    translated_fields = ("intro", "body")
    intro = models.CharField(_("introductie"), max_length=300, blank=True)
    body = StreamField(ContentStreamBlock(), blank=True, verbose_name=_("inhoud"))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.ContentPage", "cms.KernIndexPage", "cms.NewsIndexPage", "cms.StaffDirectoryPage"]
    max_count = 1

    class Meta:
        verbose_name = _("startpagina")

    def get_context(self, request, *args, **kwargs):
        from community.models import Kern

        context = super().get_context(request, *args, **kwargs)
        context["kernen"] = Kern.objects.only("name", "slug")
        context["latest_news"] = localize_pages(
            public(in_site_language(NewsPage.objects.live())).order_by("-date")[:3])
        return context


class ContentPage(SitePage, Page):
    translated_fields = ("intro", "body")
    intro = models.CharField(_("introductie"), max_length=300, blank=True)
    body = StreamField(ContentPageStreamBlock(), blank=True, verbose_name=_("inhoud"))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["cms.HomePage", "cms.ContentPage", "cms.KernPage"]
    subpage_types = ["cms.ContentPage"]

    class Meta:
        verbose_name = _("inhoudspagina")


class KernIndexPage(SitePage, Page):
    translated_fields = ("intro",)
    intro = models.CharField(_("introductie"), max_length=300, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.KernPage"]
    max_count = 1

    class Meta:
        verbose_name = _("overzicht kernen")

    routes_children_by_slug = True  # its own ``route`` finds the same child as Wagtail's (cms.routing)

    def route(self, request, path_components):
        # Every child is a KernPage and every KernPage shows its kern: fetch both in one query
        # instead of Wagtail's child lookup, ``.specific`` and ``.kern`` (three).
        if path_components:
            kern_page = KernPage.objects.child_of(self).select_related("kern").filter(slug=path_components[0]).first()
            if kern_page is not None:
                kern_page._cached_parent_obj = self  # read by the view-restriction check
                return kern_page.route(request, path_components[1:])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["kern_pages"] = localize_pages(
            KernPage.objects.child_of(self).live().select_related("kern").order_by("title"))
        return context


class KernPage(SitePage, Page):
    """One per kern: its story, its village council, and its initiatives, walks and map as they arrive."""

    translated_fields = ("intro", "story", "council_intro", "body")

    # Empty on a translation (required on the Dutch page, ``clean``): the kern belongs to the page at the
    # address, whose translation only supplies the text (cms.translation).
    kern = models.OneToOneField(
        "community.Kern", verbose_name=_("kern"), on_delete=models.PROTECT, related_name="page", null=True, blank=True
    )
    intro = models.CharField(_("introductie"), max_length=300, blank=True)
    story = RichTextField(_("verhaal van de kern"), features=RICH_TEXT_FEATURES, blank=True)
    council_intro = RichTextField(_("over de dorpsraad"), features=RICH_TEXT_FEATURES, blank=True)
    body = StreamField(ContentStreamBlock(), blank=True, verbose_name=_("meer inhoud"))

    content_panels = Page.content_panels + [
        FieldPanel("kern"),
        FieldPanel("intro"),
        FieldPanel("story"),
        FieldPanel("council_intro"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("story"),
        index.SearchField("council_intro"),
    ]
    parent_page_types = ["cms.KernIndexPage"]
    subpage_types = ["cms.ContentPage", "cms.NewsPage"]

    route_related = ("kern",)  # every render shows the kern (cms.routing)
    exclude_fields_in_copy = ["kern"]  # a translation has none (see ``kern``)
    base_form_class = KernPageForm

    def clean(self):
        super().clean()
        if self.kern_id is None and is_site_language(self):
            raise ValidationError({"kern": _("Kies de kern van deze pagina.")})

    class Meta:
        verbose_name = _("kernpagina")

    def get_context(self, request, *args, **kwargs):
        from community.selectors import public_staff

        if self.kern_id is None and not is_site_language(self):  # an editor previews a translation
            self.kern = self.get_translation(Locale.get_default()).kern
        context = super().get_context(request, *args, **kwargs)
        context["council_members"] = (
            self.kern.council_memberships.select_related("user").order_by("role", "user__first_name")
        )
        context["staff"] = public_staff(kern=self.kern)
        # Read only when the cached fragment that shows it is rendered anew.
        context["news"] = SimpleLazyObject(
            lambda: localize_pages(public(NewsPage.objects.live().descendant_of(self)).order_by("-date")[:3]))
        return context


class NewsIndexPage(SitePage, Page):
    translated_fields = ("intro",)
    intro = models.CharField(_("introductie"), max_length=300, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.NewsPage"]
    max_count = 1

    class Meta:
        verbose_name = _("nieuwsoverzicht")

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        context = super().get_context(request, *args, **kwargs)
        news = public(in_site_language(NewsPage.objects.live())).order_by("-date").select_related("kern")
        shown = Paginator(news, 10).get_page(request.GET.get("pagina"))
        shown.object_list = localize_pages(shown.object_list)
        context["news_page"] = shown
        return context


class NewsPage(SitePage, Page):
    translated_fields = ("summary", "body")
    date = models.DateField(_("datum"))
    summary = models.CharField(_("samenvatting"), max_length=300)
    kern = models.ForeignKey(
        "community.Kern", verbose_name=_("kern"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = StreamField(ContentStreamBlock(), blank=True, verbose_name=_("inhoud"))

    content_panels = Page.content_panels + [
        FieldPanel("date"), FieldPanel("summary"), FieldPanel("kern"), FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["cms.NewsIndexPage", "cms.KernPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("nieuwsbericht")


class StaffDirectoryPage(SitePage, Page):
    """"Wie helpt u graag bij…": the public faces of staff, filterable by topic."""

    translated_fields = ("intro",)

    intro = models.CharField(_("introductie"), max_length=300, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("medewerkers")

    def get_context(self, request, *args, **kwargs):
        from community.models import HelpTopic
        from community.selectors import public_staff

        context = super().get_context(request, *args, **kwargs)
        staff = public_staff()
        topic = HelpTopic.objects.filter(slug=request.GET.get("onderwerp", "")).first()
        if topic:
            staff = staff.filter(topics=topic)
        context.update({"staff": staff, "topics": HelpTopic.objects.all(), "current_topic": topic})
        return context
