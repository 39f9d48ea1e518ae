"""The whole co-design workshop, from joining to the evaluation, with a facilitator and three phones.

A facilitator (wide screen) runs the workshop; Anna and Bert take part on a phone with the mouse and touch, Carla
on a phone with the keyboard only (Tab, Shift+Tab, Enter, Space and the arrow keys; she never clicks). None of the
three has an account: they join with the code and a name. Step by step:

1. joining by code (``/meedoen/``): the facilitator sees who is in, live;
2. the silent brainstorm: each adds a card; the others see neither its text on their page nor in the frames of
   their WebSocket;
3. "Deel alle kaartjes": every phone shows every card, live (no reload);
4. feelings per stage: the curve (SVG path and points, and its table) changes on the other screens;
5. the dot vote: the counts are in no page and no frame until "Laat de stippen zien", then on every screen;
6. the end; the idea with the most dots becomes a draft initiative through the follow-up page;
7. the poster PDF is a PDF with the journey map: the stage and lane titles and the cards;
8. "Hoe was deze bijeenkomst?", answered by a participant without an account, is stored.

axe runs on every page and state visited: the join page, the workshop page, the board in every phase (for the
facilitator and the phones), the results page, the follow-up page, the draft initiative and the evaluation.
"""

import datetime
import io
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from community.demo import DEMO_PASSWORD
from community.models import User
from initiatives.models import Initiative
from lab.models import Card, FeedbackAnswer, IdeaFollowUp, Lane, LaneKind, Participant, Stage, Workshop
from lab.workshops import services

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
FACILITATOR = "fatima@example.org"
LIVE_MS = 10_000  # a live change reaches another screen well within this, even on a busy machine
TITLE = "Verhuizen naar Molenlanden"
STAGE_TITLES = ["Oriëntatie", "Aanvraag", "Wachten", "Besluit", "Daarna"]
ANNA_IDEA = "Een checklist voor nieuwe inwoners"
BERT_PAIN = "Het formulier vraagt alles twee keer"
CARLA_IDEA = "Een filmpje dat de aanvraag uitlegt"
MARKER = "window.__journeyNoReload"
SAVED = "Uw gevoel is bewaard."


# --- the keyboard -------------------------------------------------------------------------------------------------

def tab_to(page, predicate: str, *, backwards: bool = False, limit: int = 120) -> None:
    """Press Tab (Shift+Tab with ``backwards``) until ``predicate`` holds: a JS expression about ``el``, the
    focused element. If the page ends first, the other direction is tried, so a start anywhere on the page works."""
    check = ("() => { const el = document.activeElement; "
             f"return Boolean(el && el !== document.body && ({predicate})); }}")
    if page.evaluate(check):
        return
    for key in (("Shift+Tab", "Tab") if backwards else ("Tab", "Shift+Tab")):
        for _ in range(limit):
            page.keyboard.press(key)
            if page.evaluate(check):
                return
    raise AssertionError(f"{page.url}: the keyboard did not reach an element where {predicate}")


def focused(page, predicate: str) -> bool:
    return page.evaluate(f"() => {{ const el = document.activeElement; return Boolean(el && ({predicate})); }}")


# --- live, without a reload ---------------------------------------------------------------------------------------

def mark(*pages) -> None:
    """Put a marker in each page's window: it survives live updates and is gone after a reload."""
    for page in pages:
        page.evaluate(f"{MARKER} = true")


def assert_not_reloaded(*pages) -> None:
    for page in pages:
        assert page.evaluate(f"{MARKER} === true"), f"{page.url} was reloaded; the change should have come live"


# --- the curve ----------------------------------------------------------------------------------------------------

def _number(value: float) -> str:
    if value == int(value):
        return rf"{int(value)}(?:\.0+)?"
    return re.escape(str(value))


def curve_path(*points: tuple[float, float]) -> re.Pattern:
    """The SVG path through ``points`` as the server (``120.0``) or the script (``120``) writes it."""
    parts = [f"{'M' if index == 0 else 'L'}{_number(x)} {_number(y)}" for index, (x, y) in enumerate(points)]
    return re.compile("^" + " ".join(parts) + "$")


def expect_curve(page, *, current: list, desired: list) -> None:
    curve = page.locator("[data-curve]")
    expect(curve.locator("[data-curve-line=current]")).to_have_attribute("d", curve_path(*current), timeout=LIVE_MS)
    expect(curve.locator("[data-curve-line=desired]")).to_have_attribute("d", curve_path(*desired), timeout=LIVE_MS)
    expect(curve.locator("[data-curve-points=current] circle")).to_have_count(len(current))
    expect(curve.locator("[data-curve-points=desired] rect")).to_have_count(len(desired))


# --- the PDF ------------------------------------------------------------------------------------------------------

def pdf_text(data: bytes) -> str:
    """The text a PDF shows, page after page, whitespace collapsed."""
    document = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in document.pages))


# --- the journey --------------------------------------------------------------------------------------------------

def test_the_whole_workshop_from_joining_to_the_evaluation(new_context, login, assert_accessible):
    fatima = User.objects.get(email=FACILITATOR)
    starts = timezone.now() + datetime.timedelta(minutes=5)
    workshop = services.plan_workshop(actor=fatima, title=TITLE, service="Verhuizen naar een van de kernen",
                                      starts_at=starts, ends_at=starts + datetime.timedelta(hours=2),
                                      place="Dorpshuis Giessenburg")
    code, pk = workshop.join_code, workshop.pk
    board_path, results_path = f"/werksessies/{pk}/bord/", f"/werksessies/{pk}/resultaten/"
    stages = list(Stage.objects.filter(workshop=workshop).values_list("pk", flat=True))
    assert [s.title for s in Stage.objects.filter(workshop=workshop)] == STAGE_TITLES
    s1, s2 = stages[0], stages[1]
    ideas = Lane.objects.get(workshop=workshop, kind=LaneKind.IDEAS).pk
    pain = Lane.objects.get(workshop=workshop, kind=LaneKind.PAIN).pk
    idea_cell, pain_cell = f"[data-cell='{s1}-{ideas}']", f"[data-cell='{s1}-{pain}']"

    errors = []
    host = new_context(viewport=DESKTOP).new_page()
    host.on("pageerror", lambda error: errors.append(f"facilitator: {error}"))
    login(host, FACILITATOR, DEMO_PASSWORD)
    host.goto(board_path)
    expect(host.locator("[data-board-status]")).to_contain_text("De werksessie is nog niet begonnen.")
    assert_accessible(host)  # the board, planned
    host.get_by_role("button", name="Start de werksessie").click()
    expect(host.locator("[data-phase-label]")).to_have_text("Stil bedenken")
    assert_accessible(host)  # the board, open, silent brainstorm, no cards yet

    # --- 1. Joining by code, without an account; the facilitator sees who is in -----------------------------------
    host.goto(f"/werksessies/{pk}/")
    expect(host.locator("[data-participant-count]")).to_have_text("0 deelnemers")
    assert_accessible(host)
    mark(host)

    phones, frames = {}, {}
    for name in ("Anna", "Bert", "Carla"):
        phone = new_context().new_page()  # 360 px wide
        frames[name] = []
        # Listening before the phone opens any page, so every socket it ever opens is heard from its first frame.
        phone.on("websocket", lambda socket, into=frames[name]: socket.on(
            "framereceived", lambda frame: into.append(frame if isinstance(frame, str) else frame.decode())))
        phone.on("pageerror", lambda error, who=name: errors.append(f"{who}: {error}"))
        phones[name] = phone
    anna, bert, carla = phones["Anna"], phones["Bert"], phones["Carla"]

    # Anna types the code from the screen.
    anna.goto("/meedoen/")
    assert_accessible(anna)
    anna.fill("#id_code", code)
    anna.fill("#id_display_name", "Anna")
    anna.get_by_role("button", name="Doe mee").click()
    expect(anna).to_have_url(re.compile(re.escape(board_path)))
    # Bert scans the QR code: the code is filled in for him.
    bert.goto(f"/meedoen/?code={code}")
    expect(bert.locator("#id_code")).to_have_value(code)
    bert.fill("#id_display_name", "Bert")
    bert.get_by_role("button", name="Doe mee").click()
    expect(bert).to_have_url(re.compile(re.escape(board_path)))
    # Carla, with the keyboard only.
    carla.goto("/meedoen/")
    tab_to(carla, "el.id === 'id_code'")
    carla.keyboard.type(code)
    tab_to(carla, "el.id === 'id_display_name'")
    carla.keyboard.type("Carla")
    carla.keyboard.press("Enter")
    expect(carla).to_have_url(re.compile(re.escape(board_path)))

    people = host.locator("[data-participant-list]")
    for name in ("Anna", "Bert", "Carla"):
        expect(people).to_contain_text(name, timeout=LIVE_MS)
    expect(host.locator("[data-participant-count]")).to_have_text("3 deelnemers")
    assert_not_reloaded(host)
    assert_accessible(host)
    seats = {p.display_name: p for p in Participant.objects.filter(workshop=workshop)}
    assert sorted(seats) == ["Anna", "Bert", "Carla"]
    assert all(seat.user_id is None and not seat.anonymous for seat in seats.values())

    # --- 2. The silent brainstorm: a card is its author's (and the facilitator's) only ----------------------------
    host.goto(board_path)
    mark(host, anna, bert, carla)
    anna.locator(f"{idea_cell} textarea").fill(ANNA_IDEA)
    anna.locator(f"{idea_cell} [data-card-form] button[type=submit]").click()
    expect(anna.locator(f"{idea_cell} .board-card")).to_contain_text(ANNA_IDEA)
    bert.locator(f"{pain_cell} textarea").fill(BERT_PAIN)
    bert.locator(f"{pain_cell} [data-card-form] button[type=submit]").click()
    expect(bert.locator(f"{pain_cell} .board-card")).to_contain_text(BERT_PAIN)
    tab_to(carla, f"el.id === 'nieuw-cel-{s1}-{ideas}'")
    carla.keyboard.type(CARLA_IDEA)
    tab_to(carla, f"el.type === 'submit' && el.closest(\"{idea_cell}\") !== null")
    carla.keyboard.press("Enter")
    expect(carla.locator(f"{idea_cell} .board-card--own")).to_contain_text(CARLA_IDEA)

    cards = {card.text: card.pk for card in Card.objects.filter(workshop=workshop)}
    assert sorted(cards) == sorted([ANNA_IDEA, BERT_PAIN, CARLA_IDEA])
    assert all(Card.objects.filter(workshop=workshop).values_list("private", flat=True))
    own = {"Anna": ANNA_IDEA, "Bert": BERT_PAIN, "Carla": CARLA_IDEA}
    for text in own.values():
        expect(host.locator(f"#kaartje-{cards[text]}")).to_contain_text(text, timeout=LIVE_MS)
    for name, phone in phones.items():
        # The two other cards are there, live, as placeholders only.
        expect(phone.locator(".board-card__text--hidden")).to_have_count(2, timeout=LIVE_MS)
        expect(phone.locator(f"#kaartje-{cards[own[name]]}")).to_contain_text(own[name])
        others = [text for who, text in own.items() if who != name]
        for text in others:
            expect(phone.locator(f"#kaartje-{cards[text]}")).to_contain_text("Een kaartje (nog verborgen)")
        page_html = phone.content()
        heard = "\n".join(frames[name])
        assert any('"card.added"' in frame for frame in frames[name]), f"{name} heard no new card on the socket"
        for text in others:
            assert text not in page_html, f"{name}'s page shows a private card of someone else: {text}"
            assert text not in heard, f"{name}'s WebSocket carried a private card of someone else: {text}"
        assert_accessible(phone)  # the board, brainstorm, with their own card and two hidden ones
    assert_not_reloaded(host, anna, bert, carla)
    assert_accessible(host)  # the board, brainstorm, every card for the facilitator

    # --- 3. The reveal reaches every phone live -------------------------------------------------------------------
    host.get_by_role("button", name="Deel alle kaartjes").click()
    expect(host.locator("[data-phase-label]")).to_have_text("Delen")
    for phone in phones.values():
        for text, card_id in cards.items():
            expect(phone.locator(f"#kaartje-{card_id} .board-card__text")).to_have_text(text, timeout=LIVE_MS)
        expect(phone.locator(".board-card__text--hidden")).to_have_count(0)
        expect(phone.locator("[data-phase-label]")).to_have_text("Delen", timeout=LIVE_MS)
    assert_not_reloaded(anna, bert, carla)
    assert not Card.objects.filter(workshop=workshop, private=True).exists()
    for phone in phones.values():
        assert_accessible(phone)  # the board, sharing
    mark(host)
    assert_accessible(host)

    # --- 4. Feelings per stage, drawn as one curve on every screen ------------------------------------------------
    # Stage 1 is x = 60, stage 2 x = 180; a score s is drawn at y = 20 + (2 - s) * 40.
    anna.locator(f"#gevoel-{s1} input[name=current][value='-2']").check()
    anna.locator(f"#gevoel-{s1} input[name=desired][value='2']").check()
    anna.locator(f"#gevoel-{s1}").get_by_role("button", name="Bewaar mijn gevoel").click()
    expect(anna.get_by_text(SAVED)).to_be_visible()  # the form posts; the board comes back
    expect(anna.locator(f"#gevoel-{s1} input[name=current][value='-2']")).to_be_checked()
    for page in (host, bert, carla):
        expect_curve(page, current=[(60, 180)], desired=[(60, 20)])
    mark(anna)

    bert.locator(f"#gevoel-{s1} input[name=current][value='1']").check()
    bert.locator(f"#gevoel-{s1}").get_by_role("button", name="Bewaar mijn gevoel").click()
    expect(bert.get_by_text(SAVED)).to_be_visible()
    expect(bert.locator(f"#gevoel-{s1} input[name=current][value='1']")).to_be_checked()
    for page in (host, anna, carla):  # (−2 + 1) / 2 = −0.5
        expect_curve(page, current=[(60, 120)], desired=[(60, 20)])
    mark(bert)

    # Carla goes to stage 2 by its tab and says how it feels there: +2.
    tab_to(carla, f"el.dataset.stageLink === '{s2}'", backwards=True)
    carla.keyboard.press("Enter")
    expect(carla.locator(f"#fase-{s2}")).to_have_class(re.compile(r"\bboard-stage--current\b"))
    tab_to(carla, f"el.name === 'current' && el.closest('#gevoel-{s2}') !== null")
    assert focused(carla, "el.value === '-2'")  # the first choice, not chosen yet
    for _ in range(4):
        carla.keyboard.press("ArrowDown")  # −1, 0, +1, +2: the arrow keys choose as they move
    expect(carla.locator(f"#gevoel-{s2} input[name=current][value='2']")).to_be_checked()
    tab_to(carla, f"el.type === 'submit' && el.closest('#gevoel-{s2}') !== null")
    carla.keyboard.press("Enter")
    expect(carla.get_by_text(SAVED)).to_be_visible()
    expect(carla.locator(f"#gevoel-{s2} input[name=current][value='2']")).to_be_checked()
    for page in (host, anna, bert, carla):
        expect_curve(page, current=[(60, 120), (180, 20)], desired=[(60, 20)])
        row = page.locator(f"[data-curve-row='{s1}'] [data-curve-cell=current]")
        expect(row).to_have_text(re.compile(r"^\s*[-−]0,5 \(2 deelnemers\)\s*$"))
        expect(page.locator(f"[data-curve-row='{s2}'] [data-curve-cell=current]")).to_have_text(
            re.compile(r"^\s*\+?2,0 \(1 deelnemer\)\s*$"))
    assert_not_reloaded(host, anna, bert)
    mark(carla)
    for page in (host, anna, bert, carla):
        assert_accessible(page)  # the board with the curve drawn

    # --- 5. The dot vote: hidden until the facilitator shows it ---------------------------------------------------
    host.locator("button[name=phase][value=vote]").click()
    expect(host.locator("[data-phase-label]")).to_have_text("Stippen zetten")
    mark(host)
    for phone in phones.values():
        expect(phone.locator("[data-phase-label]")).to_have_text("Stippen zetten", timeout=LIVE_MS)
        expect(phone.locator("[data-dots-left]")).to_have_text("U heeft nog 3 stippen.", timeout=LIVE_MS)
    idea_a, pain_b, idea_c = cards[ANNA_IDEA], cards[BERT_PAIN], cards[CARLA_IDEA]

    def dot(phone, card_id: int, mine: str) -> None:
        """Tap "Stip zetten": the card says at once how many dots this person gave it (and its form is fresh, so
        the next tap is another dot)."""
        phone.locator(f"#kaartje-{card_id}").get_by_role("button", name="Stip zetten").click()
        expect(phone.locator(f"#kaartje-{card_id} .board-card__dots")).to_have_text(mine, timeout=LIVE_MS)

    dot(anna, idea_c, "U gaf dit kaartje 1 stip.")
    dot(anna, idea_c, "U gaf dit kaartje 2 stippen.")
    dot(bert, idea_c, "U gaf dit kaartje 1 stip.")
    dot(bert, idea_a, "U gaf dit kaartje 1 stip.")
    # Carla is still at stage 2; the cards are at stage 1.
    expect(carla.locator(f"#kaartje-{idea_a} button", has_text="Stip zetten")).to_have_count(1, timeout=LIVE_MS)
    tab_to(carla, f"el.dataset.stageLink === '{s1}'", backwards=True)
    carla.keyboard.press("Enter")
    expect(carla.locator(f"#fase-{s1}")).to_have_class(re.compile(r"\bboard-stage--current\b"))
    tab_to(carla, f"el.closest('#kaartje-{idea_a}') !== null && el.textContent.includes('Stip zetten')")
    carla.keyboard.press("Enter")
    expect(carla.locator(f"#kaartje-{idea_a} .board-card__dots")).to_have_text("U gaf dit kaartje 1 stip.",
                                                                              timeout=LIVE_MS)
    expect(anna.locator("[data-dots-left]")).to_have_text("U heeft nog 1 stip.", timeout=LIVE_MS)
    expect(carla.locator("[data-dots-left]")).to_have_text("U heeft nog 2 stippen.", timeout=LIVE_MS)

    host.reload()  # the facilitator's page as it is now, dots and all
    mark(host)
    for name, page in (("facilitator", host), *phones.items()):
        expect(page.locator(".board-card__meta strong")).to_have_count(0)
        counts = re.findall(r"\d+ stip(?:pen)?</strong>", page.content())
        assert not counts, f"{name} sees the dot counts before they are shown: {counts}"
        if name in frames:
            heard = "\n".join(frames[name])
            assert "votes.shown" not in heard and '"counts"' not in heard, f"{name}'s socket carried the counts"
        assert_accessible(page)  # the board, voting

    host.get_by_role("button", name="Laat de stippen zien").click()
    expect(host.locator("[data-phase-label]")).to_have_text("Stippen zetten")
    totals = {idea_c: "3 stippen", idea_a: "2 stippen", pain_b: "0 stippen"}
    for name, page in (("facilitator", host), *phones.items()):
        for card_id, count in totals.items():
            expect(page.locator(f"#kaartje-{card_id} .board-card__meta strong")).to_have_text(count, timeout=LIVE_MS)
        if name in frames:
            assert any("votes.shown" in frame for frame in frames[name]), f"{name}'s socket did not bring the result"
    assert_not_reloaded(anna, bert, carla)
    for page in (host, anna, bert, carla):
        assert_accessible(page)  # the board, the result of the vote shown

    # --- 6. The end; the idea with the most dots becomes a draft initiative ---------------------------------------
    host.get_by_role("button", name="Beëindig de werksessie").click()
    expect(host.locator("[data-board-status]")).to_contain_text("De werksessie is afgelopen.")
    for phone in phones.values():
        expect(phone.locator("[data-board-status]")).to_contain_text("De werksessie is afgelopen.", timeout=LIVE_MS)
        expect(phone.locator("[data-board-status]").get_by_role("link", name="Bekijk de resultaten")).to_be_visible()
        expect(phone.locator("[data-card-form]")).to_have_count(0)
        expect(phone.get_by_role("button", name="Stip zetten")).to_have_count(0)
    assert_not_reloaded(anna, bert, carla)
    assert Workshop.objects.get(pk=pk).state == "ended"
    assert_accessible(host)  # the board, ended
    assert_accessible(bert)

    host.locator("[data-board-status]").get_by_role("link", name="Bekijk de resultaten").click()
    expect(host).to_have_url(re.compile(re.escape(results_path) + "$"))
    expect(host.locator("h1")).to_have_text(f"Resultaten: {TITLE}")
    top = host.locator("section[aria-labelledby=top-heading]")
    expect(top.locator("li").filter(has_text=CARLA_IDEA)).to_contain_text("3 stippen")
    expect(top.locator("li").filter(has_text=ANNA_IDEA)).to_contain_text("2 stippen")
    assert_accessible(host)  # the results, nothing decided yet
    host.get_by_role("link", name=re.compile(r"Beslis wat er gebeurt met “Een filmpje")).click()
    expect(host.locator("h1")).to_have_text("Wat gebeurt er met dit idee?")
    expect(host.locator("blockquote.idea")).to_have_text(CARLA_IDEA)
    expect(host.get_by_label("Het wordt een initiatief van een inwoner")).to_be_checked()
    assert_accessible(host)  # the follow-up page
    host.get_by_role("button", name="Vastleggen en deelnemers vertellen").click()
    expect(host).to_have_url(re.compile(re.escape(results_path) + "$"))
    expect(host.get_by_text("Het concept-initiatief staat klaar.")).to_be_visible()
    follow_up = IdeaFollowUp.objects.select_related("initiative").get(card_id=idea_c)
    draft = follow_up.initiative
    assert follow_up.kind == "initiative" and draft is not None
    assert Initiative.objects.filter(pk=draft.pk, status="draft", title=CARLA_IDEA, initiator=fatima).exists()
    followed = host.locator("section[aria-labelledby=follow-heading] .follow-ups")
    expect(followed).to_contain_text(CARLA_IDEA)
    assert_accessible(host)  # the results, one idea decided

    # --- 7. The poster PDF: the journey map -----------------------------------------------------------------------
    poster = host.get_by_role("link", name="De klantreis als poster (PDF, A2)").get_attribute("href")
    response = host.context.request.get(poster)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF-") and len(body) > 2_000
    text = pdf_text(body)
    for title in [TITLE, *STAGE_TITLES, "Ideeën en kansen", "Knelpunten", ANNA_IDEA, BERT_PAIN, CARLA_IDEA]:
        assert title in text, f"the poster does not show {title!r}: {text[:500]}"

    # The draft initiative, from the results.
    followed.get_by_role("link", name=CARLA_IDEA).click()
    expect(host).to_have_url(re.compile(re.escape(draft.get_absolute_url()) + "$"))
    expect(host.locator("h1")).to_contain_text(CARLA_IDEA)
    assert_accessible(host)  # the draft initiative

    # --- 8. "Hoe was deze bijeenkomst?", answered by Carla, with the keyboard -------------------------------------
    tab_to(carla, f"el.getAttribute('href') === '{results_path}' && el.closest('[data-board-status]') !== null",
           backwards=True)
    carla.keyboard.press("Enter")
    expect(carla).to_have_url(re.compile(re.escape(results_path) + "$"))
    expect(carla.locator("#feedback-heading")).to_have_text("Hoe was deze bijeenkomst?")
    expect(carla.locator("section[aria-labelledby=top-heading]")).to_contain_text("3 stippen")
    assert_accessible(carla)  # the results, for a participant
    tab_to(carla, "el.type === 'submit' && el.textContent.includes('Vertel hoe het was')")
    carla.keyboard.press("Enter")
    expect(carla).to_have_url(re.compile(r"/lab/hoe-was-het/[^/]+/$"))
    expect(carla.locator("h1")).to_have_text("Hoe was deze bijeenkomst?")
    assert_accessible(carla)  # the evaluation form
    tab_to(carla, "el.name === 'experience'")
    carla.keyboard.press("ArrowDown")  # from "Goed" to "Gaat wel"
    expect(carla.locator("input[name=experience][value=okay]")).to_be_checked()
    carla.keyboard.press("Tab")
    assert focused(carla, "el.name === 'heard' && el.value === 'yes'")
    carla.keyboard.press("Space")
    expect(carla.locator("input[name=heard][value=yes]")).to_be_checked()
    carla.keyboard.press("Tab")
    assert focused(carla, "el.name === 'again' && el.value === 'yes'")
    carla.keyboard.press("Space")
    tab_to(carla, "el.name === 'text'")
    carla.keyboard.type("Fijn dat ik zonder account kon meedoen.")
    tab_to(carla, "el.type === 'submit' && el.textContent.includes('Versturen')")
    carla.keyboard.press("Enter")
    expect(carla.locator("h1")).to_have_text("Dank u wel!")
    expect(carla.get_by_text("Uw antwoord is opgeslagen.")).to_be_visible()
    assert_accessible(carla)  # the thanks
    answer = FeedbackAnswer.objects.get(subject_kind="workshop", subject_id=pk)
    assert (answer.experience, answer.heard, answer.again) == ("okay", "yes", "yes")
    assert answer.text == "Fijn dat ik zonder account kon meedoen."
    seat = Participant.objects.select_related("feedback_invitation").get(pk=seats["Carla"].pk)
    assert seat.feedback_invitation is not None and seat.feedback_invitation.answered

    assert not errors, errors
