"""Texts a resident reads are plain Dutch (level B1, the government's "Direct duidelijk" standard).

Every Dutch text of the site goes through gettext, so the catalogues hold them all: the Dutch source texts
(the msgids of the English catalogue) and the Dutch wording of other packages' texts
(``locale_overrides/nl``). Each is held to what a B1 text can be checked for mechanically:

- none of the officialese words that "Direct duidelijk" replaces ("indien" → "als", "middels" → "met");
- sentences of at most 20 words;
- a longer text (15 words or more) scores at least 50 on the Flesch-Douma scale (``textstat``, Dutch).

A text that fails is rewritten, not exempted.
"""

import gettext
import re
from pathlib import Path

import pytest
import textstat

ROOT = Path(__file__).resolve().parent.parent
OFFICIALESE = {
    "indien": "als", "teneinde": "om", "ten einde": "om", "middels": "met", "alsmede": "en", "derhalve": "daarom",
    "conform": "volgens", "inzake": "over", "ten behoeve van": "voor", "aangaande": "over", "reeds": "al",
    "omtrent": "over", "voorts": "ook", "tevens": "ook", "wederom": "weer", "ingevolge": "volgens",
    "c.q.": "of", "m.b.t.": "over", "i.v.m.": "door", "dan wel": "of", "hetgeen": "wat",
    "verstrekken": "geven", "retourneren": "terugsturen", "effectueren": "uitvoeren", "faciliteren": "helpen",
    "initiëren": "beginnen", "implementeren": "invoeren", "ten aanzien van": "over",
    "met betrekking tot": "over", "in het kader van": "voor", "onverwijld": "meteen", "terstond": "meteen",
    "dient te": "moet", "dienen te": "moeten", "woonachtig": "wonend", "alvorens": "voordat",
}
MAX_SENTENCE_WORDS = 20
MIN_FLESCH_DOUMA = 50
WORD = re.compile(r"[\wÀ-ÿ'’-]+")


def dutch_texts() -> list[str]:
    texts = []
    with open(ROOT / "locale/en/LC_MESSAGES/django.mo", "rb") as catalogue:
        for key in gettext.GNUTranslations(catalogue)._catalog:
            msgid = key[0] if isinstance(key, tuple) else key
            if msgid:
                texts.append(msgid.split("\x04")[-1])  # without a context
    with open(ROOT / "locale_overrides/nl/LC_MESSAGES/django.mo", "rb") as catalogue:
        texts += [text for key, text in gettext.GNUTranslations(catalogue)._catalog.items() if key and text]
    return sorted(set(texts))


def readable(text: str) -> str:
    """The text as read: placeholders and markup become a short word."""
    return re.sub(r"%\(\w+\)[sd]|%[sd]|\{\{.*?\}\}|\{\w*\}|<[^>]+>", "X", text)


TEXTS = dutch_texts()


def test_the_catalogues_hold_the_sites_texts():
    assert len(TEXTS) > 500 and "Lees voor" in TEXTS


@pytest.mark.parametrize("text", TEXTS, ids=lambda text: text[:40])
def test_a_text_is_plain_dutch(text):
    shown = readable(text)
    lowered = f" {shown.lower()} "
    for word, plain in OFFICIALESE.items():
        assert not re.search(rf"(?<!\w){re.escape(word)}(?!\w)", lowered), f'"{word}": write "{plain}"'
    for sentence in re.split(r"(?<=[.!?:;])\s+", shown):
        assert len(WORD.findall(sentence)) <= MAX_SENTENCE_WORDS, f"a shorter sentence, please: {sentence!r}"
    if len(WORD.findall(shown)) >= 15:
        textstat.set_lang("nl")
        assert textstat.flesch_reading_ease(shown) >= MIN_FLESCH_DOUMA, "shorter sentences and words, please"


@pytest.mark.parametrize(("text", "problem"), [
    ("Indien u vragen heeft, belt u ons.", "indien"),
    ("U kunt middels dit formulier uw initiatief indienen bij de dorpsraad van uw eigen kern in Molenlanden "
     "en wij nemen daarna zo snel als het kan contact met u op.", "sentence"),
    ("Gemeentelijke subsidiëringsmogelijkheden worden geïnventariseerd ten behoeve van maatschappelijke "
     "initiatiefnemers.", "words"),
])
def test_the_check_catches_what_it_is_for(text, problem):
    with pytest.raises(AssertionError):
        test_a_text_is_plain_dutch(text)
