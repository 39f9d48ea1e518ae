"""What initiators write becomes HTML only through nh3, with a small allow-list and harmless links."""

import nh3

from core.text import clean_plain_text  # noqa: F401  (this app's services take it from here)

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
