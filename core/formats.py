"""Amounts of money written one way, in the language of the page: "€ 4.500,00" in Dutch, "€4,500.00" in English.

Cards, detail pages, e-mails and service messages all call ``money`` (templates: ``{{ value|money }}`` after
``{% load formats %}``), so the same figure reads the same everywhere. Babel formats it by the CLDR rules,
the same rules browsers use for ``Intl.NumberFormat``; in Dutch the sign and the amount are joined by a
no-break space, so that they never end up on two lines.
"""

from decimal import Decimal
from functools import lru_cache

from babel.numbers import format_currency
from django.utils import translation

# The page languages (settings.LANGUAGES) and the conventions they stand for here.
LOCALES = {"nl": "nl_NL", "en": "en_GB"}


def page_language() -> str:
    """The active page language's code without a region ("nl", "en")."""
    return (translation.get_language() or "nl").split("-")[0]


def money(value, language: str | None = None) -> str:
    """``value`` euros as written in ``language`` (default: the active language), always with cents.

    Precondition: ``value`` is a number (``Decimal``, ``int`` or a numeric string); ``None`` gives "".
    """
    if value is None or value == "":
        return ""
    language = (language or page_language()).split("-")[0]
    return format_currency(Decimal(value), "EUR", locale=LOCALES.get(language, LOCALES["nl"]))


def whole_money(value, language: str | None = None) -> str:
    """Whole euros, without cents: "€ 7.500" (Dutch), "€7,500" (English). For budgets and costs set in euros."""
    if value is None or value == "":
        return ""
    return _whole_money(Decimal(value), LOCALES.get((language or page_language()).split("-")[0], LOCALES["nl"]))


@lru_cache(maxsize=4096)
def _whole_money(value: Decimal, locale: str) -> str:
    # A ballot writes every project's cost: Babel parses its pattern and locale data on every call.
    return format_currency(value, "EUR", format="¤\xa0#,##0" if locale == "nl_NL" else "¤#,##0", locale=locale,
                           currency_digits=False)
