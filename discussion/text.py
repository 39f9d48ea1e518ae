"""Turning what people type into safe HTML: escaped, links made clickable and harmless, nh3 last."""

import html
import re

import nh3

LINK_REL = "nofollow noopener ugc"
_URL_RE = re.compile(r"(?P<url>(?:https?://|mailto:)[^\s<>\"']+[^\s<>\"'.,;:!?)\]])", re.IGNORECASE)


def render_body(text: str) -> str:
    """Plain text in, sanitised HTML out: paragraphs, line breaks and http/https/mailto links only."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    parts = []
    for paragraph in paragraphs:
        escaped = html.escape(paragraph.strip(), quote=True)
        linked = _URL_RE.sub(lambda m: f'<a href="{m["url"]}">{m["url"]}</a>', escaped)
        parts.append("<p>" + linked.replace("\n", "<br>") + "</p>")
    return nh3.clean(
        "".join(parts),
        tags={"p", "br", "a"},
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=LINK_REL,
    )
