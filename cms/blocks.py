"""A small set of StreamField blocks that cover what municipal pages need, each with its template."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
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
