"""Text people type, made safe: plain text stays plain, and a field that is too long or missing is refused.

Every app's services clean what residents write here (nh3 drops every tag; entities are decoded until stable).
Rich text (an initiative's story) has its own allow-list in ``initiatives.services.text``.
"""

from __future__ import annotations

import html

import nh3
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


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


def plain(value, *, field: str, max_length: int, required: bool = False,
          error: type[ValidationError] = ValidationError) -> str:
    """``value`` as plain text (``clean_plain_text``); ``error`` (a ``ValidationError``) when it is not text,
    too long or missing. ``field`` names the field in the message, as the person sees it."""
    if value is not None and not isinstance(value, str):
        raise error(_("Vul bij “%(field)s” tekst in.") % {"field": field}, code="invalid")
    text = clean_plain_text(value or "")
    if required and not text:
        raise error(_("Vul “%(field)s” in.") % {"field": field}, code="required")
    if len(text) > max_length:
        raise error(_("“%(field)s” is te lang: hoogstens %(n)s tekens.") % {"field": field, "n": max_length},
                    code="too_long")
    return text
