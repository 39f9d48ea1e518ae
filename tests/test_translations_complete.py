"""Every Dutch string on a page has an English translation in the compiled catalogue.

The strings are found the way ``makemessages`` finds them, without GNU gettext and without writing a file:
Python files are read with Babel's Python extractor (Django's keywords), templates are first turned into
Python-like text with Django's own ``templatize`` (what ``makemessages`` feeds to xgettext). Each string is
then looked up in the English catalogue Django has loaded from the ``.mo`` files, so a string translated in
``locale/en/LC_MESSAGES/django.po`` but not compiled yet counts as missing (``scripts/compile_messages.py``).
"""

import io
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract
from django.apps import apps
from django.conf import settings
from django.utils.translation import override, trans_real
from django.utils.translation.template import templatize

BASE_DIR = Path(settings.BASE_DIR)
TEMPLATE_DIRS = [Path(d) for config in settings.TEMPLATES for d in config.get("DIRS", [])]

# The keywords ``makemessages`` gives xgettext for the "django" domain, on top of the usual ones.
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "gettext_noop": None,
    "gettext_lazy": None,
    "ngettext_lazy": (1, 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext_lazy": ((1, "c"), 2, 3),
}
TEMPLATE_SUFFIXES = {".html", ".txt"}
SKIPPED_DIRS = {"node_modules", "__pycache__"}


def _files(root: Path):
    for path in sorted(root.rglob("*")):
        if path.suffix in TEMPLATE_SUFFIXES | {".py"} and not SKIPPED_DIRS & set(path.relative_to(root).parts):
            yield path


def _messages(path: Path):
    """(line, msgid or (singular, plural), context) of every translatable string in one file."""
    text = path.read_text(encoding="utf-8")
    if path.suffix in TEMPLATE_SUFFIXES:
        if "{%" not in text and "_(" not in text:
            return
        # Inside brackets the tokenizer ignores indentation, which templatize keeps from the HTML.
        text = "(" + templatize(text, origin=str(path)) + "\n)"
    source = io.BytesIO(text.encode("utf-8"))
    source.name = str(path.relative_to(BASE_DIR)) if path.is_relative_to(BASE_DIR) else path.name
    for lineno, message, _comments, context in extract("python", source, keywords=KEYWORDS, comment_tags=(),
                                                       options={}):
        yield lineno, message, context


def _first_party_roots():
    """Our apps' folders (not the packages installed in the virtualenv) and the project's template folders."""
    roots = [Path(config.path) for config in apps.get_app_configs()
             if Path(config.path).is_relative_to(BASE_DIR) and "site-packages" not in Path(config.path).parts]
    return sorted({*roots, *TEMPLATE_DIRS})


def _is_translated(catalogue, message, context) -> bool:
    prefix = f"{context}\x04" if context else ""
    if isinstance(message, tuple):
        singular, plural = message
        one, other = catalogue.get((prefix + singular, 0)), catalogue.get((prefix + singular, 1))
        # A plural left empty in the .po is compiled as the Dutch text itself.
        return bool(one and other) and (one, other) != (singular, plural)
    return bool(catalogue.get(prefix + message))


def _missing(roots) -> list[str]:
    with override("en"):
        catalogue = trans_real.catalog()._catalog
    missing = {}
    for root in roots:
        for path in _files(root):
            for lineno, message, context in _messages(path):
                if not _is_translated(catalogue, message, context):
                    where = f"{path.relative_to(BASE_DIR)}:{lineno}"
                    missing.setdefault((context, message), where)
    return [f"{where}  {message!r}" + (f" (context {context!r})" if context else "")
            for (context, message), where in sorted(missing.items(), key=lambda item: item[1])]


def _report(missing: list[str]) -> str:
    return (f"{len(missing)} string(s) without an English translation; add them to "
            "locale/en/LC_MESSAGES/django.po and run scripts/compile_messages.py:\n" + "\n".join(missing))


def test_the_walks_and_the_feedback_are_in_english():
    roots = [BASE_DIR / "maps", BASE_DIR / "lab", *(d / sub for d in TEMPLATE_DIRS for sub in ("maps", "lab"))]
    missing = _missing([root for root in roots if root.exists()])
    assert not missing, _report(missing)


def test_every_page_of_every_app_is_in_english():
    missing = _missing(_first_party_roots())
    assert not missing, _report(missing)


@pytest.mark.parametrize(("source", "expected"), [
    ('{% load i18n %}{% translate "Ja, 100% zeker" %}', ("Ja, 100%% zeker", None)),
    ('{% load i18n %}{% translate "Wijk" context "kaart" %}', ("Wijk", "kaart")),
    ("{% load i18n %}{% blocktranslate count counter=n %}{{ counter }} foto{% plural %}{{ counter }} foto's"
     "{% endblocktranslate %}", (("%(counter)s foto", "%(counter)s foto's"), None)),
    ('{% load i18n %}{% blocktranslate trimmed with name=x %}\n  Gezien door\n  {{ name }}\n{% endblocktranslate %}',
     ("Gezien door %(name)s", None)),
])
def test_template_strings_are_found_as_makemessages_finds_them(tmp_path, source, expected):
    template = tmp_path / "page.html"
    template.write_text(source, encoding="utf-8")
    assert [(message, context) for _line, message, context in _messages(template)] == [expected]


def test_python_strings_are_found_with_djangos_keywords(tmp_path):
    module = tmp_path / "strings.py"
    module.write_text('from django.utils.translation import gettext_lazy as _, ngettext_lazy, pgettext_lazy\n'
                      'A = _("Waarneming")\nB = ngettext_lazy("%(n)s foto", "%(n)s foto\'s", "n")\n'
                      'C = pgettext_lazy("kaart", "Wijk")\n', encoding="utf-8")
    assert [(message, context) for _line, message, context in _messages(module)] == [
        ("Waarneming", None), (("%(n)s foto", "%(n)s foto's"), None), ("Wijk", "kaart")]


def test_a_string_without_english_is_reported():
    with override("en"):
        catalogue = trans_real.catalog()._catalog
    assert _is_translated(catalogue, "Waarnemingen", None)
    assert not _is_translated(catalogue, "Een zin die nergens vertaald is", None)
    assert not _is_translated(catalogue, ("%(n)s zin", "%(n)s zinnen"), None)
