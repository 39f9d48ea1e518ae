"""The API's JSON parser (its own module: DRF reads the parser setting while it defines its views)."""

from __future__ import annotations

import codecs

from django.conf import settings
from rest_framework import exceptions, parsers
from rest_framework.utils import json as drf_json


class JSONNumberText(str):
    """A JSON number with a fraction or an exponent, kept as the text the client sent (``"25.50"``, ``"1e2"``).

    Read as a float, ``1e2`` and ``100.0`` are the same number, so an exponent would slip past the one amount
    parser that refuses it on the web (``initiatives.money.parse_euro``). Fields read the text as they read a
    string: DRF's decimal, float and char fields accept it, the euro fields apply the web's rules to it.
    """


class ExactJSONParser(parsers.JSONParser):
    """DRF's JSON parser, with numbers that have a fraction or an exponent kept as text (``JSONNumberText``)
    and a body nested too deeply to read answered as the parse error it is (400), not a crash."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding") or settings.DEFAULT_CHARSET
        try:
            decoded = codecs.getreader(encoding)(stream)
            constant = drf_json.strict_constant if self.strict else None
            return drf_json.load(decoded, parse_constant=constant, parse_float=JSONNumberText)
        except (ValueError, RecursionError) as error:
            raise exceptions.ParseError(f"JSON parse error - {type(error).__name__}") from None
