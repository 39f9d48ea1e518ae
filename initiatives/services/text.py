"""What initiators write becomes HTML only through nh3, with a small allow-list and harmless links."""

import html

import nh3

STORY_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "h2", "h3", "blockquote"}
LINK_REL = "nofollow noopener ugc"


def clean_rich_text(html: str) -> str:
    """Sanitised HTML: no scripts, no event handlers, no styles, only http/https/mailto links."""
    return nh3.clean(
        (html or "").strip(),
        tags=STORY_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=LINK_REL,
        strip_comments=True,
    ).strip()


def clean_plain_text(text: str) -> str:
    """Plain text stays plain: every tag dropped, entities decoded (so "&" shows as "&" once templates escape).

    Repeated until stable, so a tag smuggled in as entities (``&lt;script&gt;``) is dropped too.
    """
    value = (text or "").strip()
    for _attempt in range(5):
        cleaned = html.unescape(nh3.clean(value, tags=set())).strip()
        if cleaned == value:
            break
        value = cleaned
    return value
