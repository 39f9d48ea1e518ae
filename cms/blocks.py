"""A small set of StreamField blocks that cover what municipal pages need, each with its template."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageBlock

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("titel"))
    text = blocks.TextBlock(label=_("tekst"), required=False)
    link_page = blocks.PageChooserBlock(label=_("pagina"), required=False)
    link_url = blocks.URLBlock(label=_("of adres"), required=False)
    link_text = blocks.CharBlock(label=_("knoptekst"))

    class Meta:
        template = "cms/blocks/call_to_action.html"
        icon = "pick"
        label = _("oproep")


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("citaat"))
    name = blocks.CharBlock(label=_("naam"), required=False)

    class Meta:
        template = "cms/blocks/quote.html"
        icon = "openquote"
        label = _("citaat")


class FaqBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("vraag"))
    answer = blocks.RichTextBlock(label=_("antwoord"), features=RICH_TEXT_FEATURES)

    class Meta:
        template = "cms/blocks/faq.html"
        icon = "help"
        label = _("vraag en antwoord")


class ContentStreamBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("tussenkop"), form_classname="title", template="cms/blocks/heading.html")
    paragraph = blocks.RichTextBlock(label=_("tekst"), features=RICH_TEXT_FEATURES)
    image = ImageBlock(label=_("afbeelding"), template="cms/blocks/image.html")
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
    faq = FaqBlock()


class PollBlock(blocks.StructBlock):
    """A poll (``voting``) on the page, by its number: each visitor sees their own card (``{% poll_card %}``),
    with the result only where the poll's rules allow it. The search index gets its question and answers,
    never a count."""

    poll = blocks.IntegerBlock(label=_("nummer van de peiling"), min_value=1,
                               help_text=_("Het nummer staat in het adres van de peiling: /peilingen/nummer/."))

    class Meta:
        template = "cms/blocks/poll.html"
        icon = "list-ul"
        label = _("peiling")

    def clean(self, value):
        from voting.models import Poll

        value = super().clean(value)
        if not Poll.objects.filter(pk=value["poll"]).exists():
            raise StructBlockValidationError(block_errors={"poll": ValidationError(_("Deze peiling bestaat niet."))})
        return value

    def get_searchable_content(self, value):
        from voting.models import Poll

        poll = Poll.objects.filter(pk=value.get("poll")).prefetch_related("options").first()
        if poll is None:
            return []
        return [poll.question, poll.intro, *(option.label for option in poll.options.all())]


class ContentPageStreamBlock(ContentStreamBlock):
    """A content page's blocks: the common ones, and a poll."""

    poll = PollBlock()
