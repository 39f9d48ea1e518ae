"""A corpus of XSS payloads through every text field of initiatives: nothing executable survives.

Rich fields (story, result, update body) must parse to allowed elements only, with no event handlers,
styles or script URLs. Plain fields (title, summary, place, materials, reasons, messages) must contain
no tag at all, and stay tag-free once a template escapes them.
"""

import datetime
from html.parser import HTMLParser

import pytest
from django.utils import timezone
from django.utils.html import escape

from initiatives import services
from initiatives.models import InitiativeEvent, Status
from initiatives.services.text import STORY_TAGS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<a href="javascript:alert(1)">klik</a>',
    '<a href="JaVaScRiPt:alert(1)">klik</a>',
    '<a href="&#106;avascript:alert(1)">klik</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">klik</a>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<body onload=alert(1)>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    '"><script>alert(1)</script>',
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<input autofocus onfocus=alert(1)>',
    '<details open ontoggle=alert(1)>',
    "<!--<img src=x onerror=alert(1)>-->",
    '<base href="javascript:alert(1)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<a href=" javascript:alert(1)">spatie</a>',
    "<p>Gewoon <strong>veilige</strong> tekst</p>",
]


class Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def elements(html):
    parser = Elements()
    parser.feed(html)
    return parser.found


def assert_safe_rich(html):
    for tag, attrs in elements(html):
        assert tag in STORY_TAGS, html
        for name, value in attrs.items():
            assert not name.startswith("on") and name != "style", html
            if name == "href":
                assert value.split(":")[0].lower() in ("http", "https", "mailto") or ":" not in value, html
    assert "<script" not in html.lower()


def assert_plain(text):
    assert elements(text) == [], text
    assert elements(escape(text)) == [], text


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_through_every_text_field(payload, kern, council_member):
    initiator = UserFactory(kern=kern)
    initiative = services.create_draft(
        initiator=initiator, title=f"Plan voor het dorp {payload}"[:120], summary=payload, story=payload,
        location_label=payload, needs_materials=payload,
        deadline=timezone.localdate() + datetime.timedelta(days=20), goal="100.00",
    )
    initiative.summary = initiative.summary or "samenvatting"
    initiative.story = initiative.story or "<p>verhaal</p>"
    initiative.save()
    services.submit_initiative(actor=initiator, initiative=initiative)
    services.request_changes(actor=council_member, initiative=initiative, comment=f"Aanpassen {payload}")
    services.submit_initiative(actor=initiator, initiative=initiative)
    services.approve_initiative(actor=council_member, initiative=initiative, reason=payload)
    neighbour = UserFactory(kern=kern)
    services.pledge(pledger=neighbour, initiative=initiative, kind="materials", materials=f"Verf {payload}",
                    message=payload, idempotency_key="m")
    services.post_update(actor=initiator, initiative=initiative, title=f"Nieuws {payload}", body=f"Hoi {payload}")
    initiative.refresh_from_db()
    initiative.status = Status.FUNDED
    initiative.save()
    services.mark_realised(actor=initiator, initiative=initiative, result_text=f"Klaar {payload}")
    initiative.refresh_from_db()

    for rich in (initiative.story, initiative.result_text, *initiative.updates.values_list("body", flat=True)):
        assert_safe_rich(rich)
    plain = [initiative.title, initiative.summary, initiative.location_label, initiative.needs_materials,
             initiative.last_decision_reason, *initiative.updates.values_list("title", flat=True),
             *initiative.pledges.values_list("materials", flat=True),
             *initiative.pledges.values_list("message", flat=True),
             *InitiativeEvent.objects.filter(initiative=initiative).values_list("reason", flat=True)]
    for text in plain:
        assert_plain(text)


def test_safe_markup_is_kept(kern):
    initiator = UserFactory(kern=kern)
    initiative = services.create_draft(initiator=initiator, title="Een mooi plan",
                                       story='<p>Zie <a href="https://molenlanden.nl">de site</a></p>')
    assert initiative.story == ('<p>Zie <a href="https://molenlanden.nl" rel="nofollow noopener ugc">de site</a>'
                                "</p>")
