"""A resident names a neighbour in a comment by typing "@ma" and choosing from the list: with the keyboard,
with a click, on a phone and a wide screen; the list is accessible while open, and the person named hears of it."""

import re

import pytest
from playwright.sync_api import expect

from community.demo import DEMO_PASSWORD
from community.models import Kern, Notification
from tests.browser.conftest import DESKTOP
from tests.factories import UserFactory
from tests.factories_discussion import CommentFactory, kern_thread

pytestmark = pytest.mark.browser

FOUND_THREE = "3 namen gevonden. Gebruik de pijltjes omhoog en omlaag en kies met Enter."


@pytest.fixture
def thread():
    """The village conversation of Groot-Ammers (where Kees lives), with three people whose name starts with "Ma":
    Marieke took part (she lives elsewhere); a name with HTML in it must show as text."""
    thread = kern_thread(Kern.objects.get(slug="groot-ammers"))
    marieke = UserFactory(kern=Kern.objects.get(slug="bleskensgraaf"), first_name="Marieke", last_name="Jansen",
                          email="marieke@example.org")
    CommentFactory(thread=thread, author=marieke, body="Ik help graag mee met de bloembakken.")
    UserFactory(kern=thread.kern, first_name="Ma<b>x</b>", last_name="Bakker")
    UserFactory(kern=thread.kern, first_name="Mark", last_name="Visser")
    thread.marieke = marieke
    return thread


def open_thread(new_context, login, thread, **context):
    page = new_context(**context).new_page()
    login(page, "kees@example.org", DEMO_PASSWORD)
    page.goto(f"/gesprek/{thread.pk}/")
    expect(page.locator("section[data-thread]")).to_have_attribute("data-connection", "open")
    return page


def type_mention(page, text):
    box = page.get_by_role("combobox", name="Uw reactie")
    box.click()
    box.press_sequentially(text)
    listbox = page.get_by_role("listbox", name="Namen die u kunt noemen")
    expect(listbox).to_be_visible()
    expect(listbox.get_by_role("option")).to_have_count(3)
    return box, listbox


def test_choose_a_name_with_the_keyboard_and_the_person_hears_of_it(new_context, login, assert_accessible, thread):
    page = open_thread(new_context, login, thread)  # 360 px wide
    box, listbox = type_mention(page, "Wie helpt zaterdag? @ma")
    options = listbox.get_by_role("option")
    expect(options.nth(0)).to_have_text(re.compile(r"^Marieke Jansen.*Bleskensgraaf$"))  # took part: first
    expect(options.nth(1)).to_have_text(re.compile(r"^Ma<b>x</b> Bakker"))  # shown as text, never as HTML
    assert listbox.locator("b").count() == 0
    expect(options.nth(2)).to_have_text(re.compile(r"^Mark Visser.*Groot-Ammers$"))
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(box).to_have_attribute("aria-autocomplete", "list")
    expect(box).to_have_attribute("aria-controls", listbox.get_attribute("id"))
    expect(page.locator("[data-role=mention-status]")).to_have_text(FOUND_THREE)
    assert_accessible(page)

    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", options.nth(0).get_attribute("id"))
    box.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", options.nth(1).get_attribute("id"))
    box.press("ArrowUp")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    expect(options.nth(1)).to_have_attribute("aria-selected", "false")
    box.press("Enter")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value("Wie helpt zaterdag? @Marieke Jansen ")
    expect(box).to_be_focused()

    box.press_sequentially("bedankt! En @ma")  # a second name: Escape closes the list and leaves the text
    expect(listbox).to_be_visible()
    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).not_to_have_attribute("aria-activedescendant", re.compile(".*"))
    expect(box).to_have_value("Wie helpt zaterdag? @Marieke Jansen bedankt! En @ma")

    page.get_by_role("button", name="Plaats reactie").click()
    expect(page.locator(".comment", has_text="@Marieke Jansen bedankt!")).to_be_visible()
    mention = Notification.objects.filter(recipient=thread.marieke, kind="discussion.mention")
    for _attempt in range(50):  # told after the comment's transaction commits, on the server
        if mention.exists():
            break
        page.wait_for_timeout(100)
    assert mention.count() == 1
    assert "Kees van Dam" in mention.get().title


def test_choose_a_name_with_a_click_on_a_wide_screen(new_context, login, assert_accessible, thread):
    page = open_thread(new_context, login, thread, viewport=DESKTOP)
    box, listbox = type_mention(page, "@MA")
    assert_accessible(page)
    listbox.get_by_role("option", name=re.compile("^Mark Visser")).click()
    expect(box).to_have_value("@Mark Visser ")
    expect(box).to_be_focused()
    expect(listbox).to_be_hidden()


def test_the_list_fits_a_narrow_phone_with_large_touch_targets(new_context, login, thread):
    page = open_thread(new_context, login, thread, viewport={"width": 320, "height": 640})
    box, listbox = type_mention(page, "@ma")
    list_box = listbox.bounding_box()
    text_box = box.bounding_box()
    assert list_box["x"] >= 0 and list_box["x"] + list_box["width"] <= 320
    assert list_box["y"] >= text_box["y"] + text_box["height"] - 1  # under the comment box, not over it
    for option in listbox.get_by_role("option").all():
        assert option.bounding_box()["height"] >= 44
    box.press_sequentially("zzz")
    expect(listbox).to_be_hidden()
    expect(page.locator("[data-role=mention-status]")).to_have_text("Geen namen gevonden.")
