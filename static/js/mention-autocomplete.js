// "@" + two letters in a comment box shows the people the writer can name there, as a list to pick from
// (the WAI-ARIA 1.2 combobox pattern on a textarea, with a list box). The server decides who is in the
// list; every name reaches the page as text (textContent), never as HTML. Without this file nothing is
// lost: a name written by hand works the same. The texts come translated from the data attributes of
// the thread's section (discussion/templates/discussion/thread.html).

const DEBOUNCE_MS = 150;
// The name being typed: "@" at the start or after a space or bracket, then up to 40 characters without
// "@", a line break or the punctuation that ends a mention (discussion/notices.py).
const FRAGMENT = /(?:^|[\s(])@([^\s@,.:;!?][^@\n\r,.:;!?]{0,39})$/u;
const MIN_LENGTH = 2;

let lists = 0;

class MentionBox {
  constructor(textarea, root) {
    this.textarea = textarea;
    this.root = root;
    this.url = root.dataset.mentionUrl;
    this.status = root.querySelector("[data-role=mention-status]");
    this.options = [];
    this.active = -1;
    this.start = -1; // where the "@" of the fragment being completed stands
    this.timer = null;
    this.controller = null;
    this.dismissed = null; // the fragment Escape closed the list for: not shown again until it changes
    this.picked = null; // the name just chosen: typing on after it is not a new search
    this.fruitless = null; // a query without results: a longer one that starts with it has none either
    this.said = ""; // what the live region said last

    lists += 1;
    // The list opens just under the text box, over what follows it (the box itself is not moved: it may
    // have the focus already).
    textarea.parentElement.classList.add("mention");
    this.list = document.createElement("ul");
    this.list.id = `mention-lijst-${lists}`;
    this.list.className = "mention__list";
    this.list.setAttribute("role", "listbox");
    this.list.setAttribute("aria-label", root.dataset.mentionListLabel || "");
    this.list.hidden = true;
    textarea.after(this.list);

    textarea.setAttribute("role", "combobox");
    textarea.setAttribute("aria-autocomplete", "list");
    textarea.setAttribute("aria-expanded", "false");
    textarea.setAttribute("aria-controls", this.list.id);
    textarea.dataset.mentions = "on";

    textarea.addEventListener("input", () => this.onInput());
    textarea.addEventListener("keydown", (event) => this.onKeyDown(event));
    textarea.addEventListener("keyup", (event) => this.onKeyUp(event));
    textarea.addEventListener("blur", () => this.close());
    textarea.addEventListener("click", () => this.onInput());
    // Keep the focus in the text box when a name is clicked or tapped; the click itself picks it.
    this.list.addEventListener("pointerdown", (event) => event.preventDefault());
    this.list.addEventListener("mousedown", (event) => event.preventDefault());
    this.list.addEventListener("click", (event) => {
      const option = event.target.closest("[role=option]");
      if (option) this.pick(Number(option.dataset.index));
    });
  }

  get isOpen() {
    return !this.list.hidden;
  }

  fragment() {
    const { value, selectionStart, selectionEnd } = this.textarea;
    if (selectionStart !== selectionEnd) return null;
    const match = value.slice(0, selectionStart).match(FRAGMENT);
    if (!match) return null;
    return { query: match[1], start: selectionStart - match[1].length - 1 };
  }

  onInput() {
    const found = this.fragment();
    clearTimeout(this.timer);
    if (!found || found.query.trim().length < MIN_LENGTH) {
      this.dismissed = null;
      this.abort();
      this.close();
      return;
    }
    if (found.query === this.dismissed) return;
    this.dismissed = null;
    if (this.picked && found.start === this.picked.start && found.query.startsWith(this.picked.label)) return;
    this.picked = null;
    const query = found.query.trim();
    if (this.fruitless && query.toLowerCase().startsWith(this.fruitless)) {
      this.abort();
      this.close();
      return;
    }
    this.timer = setTimeout(() => this.load(query, found.start), DEBOUNCE_MS);
  }

  abort() {
    if (this.controller) this.controller.abort();
    this.controller = null;
  }

  async load(query, start) {
    this.abort();
    const controller = new AbortController();
    this.controller = controller;
    let people;
    try {
      const url = `${this.url}?q=${encodeURIComponent(query)}`;
      const response = await fetch(url, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: controller.signal,
      });
      if (!response.ok) throw new Error(String(response.status));
      people = (await response.json()).results || [];
    } catch {
      // Aborted for a newer fragment, offline, or no longer allowed: the name can still be typed by hand.
      if (this.controller === controller) this.close();
      return;
    }
    if (this.controller !== controller) return;
    this.controller = null;
    const current = this.fragment();
    if (!current || current.start !== start || document.activeElement !== this.textarea) return;
    this.fruitless = people.length ? null : query.toLowerCase();
    this.show(people, start);
  }

  show(people, start) {
    const wasOpen = this.isOpen;
    this.start = start;
    this.options = people;
    this.active = -1;
    this.textarea.removeAttribute("aria-activedescendant");
    const items = people.map((person, index) => {
      const item = document.createElement("li");
      item.id = `${this.list.id}-${index}`;
      item.className = "mention__option";
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.dataset.index = String(index);
      const name = document.createElement("span");
      name.className = "mention__name";
      name.textContent = person.label;
      item.append(name);
      if (person.kern) {
        const separator = document.createElement("span");
        separator.className = "visually-hidden";
        separator.textContent = ", ";
        const kern = document.createElement("span");
        kern.className = "mention__kern";
        kern.textContent = person.kern;
        item.append(separator, kern);
      }
      return item;
    });
    this.list.replaceChildren(...items);
    if (items.length) {
      this.list.style.top = `${this.textarea.offsetTop + this.textarea.offsetHeight}px`;
      this.list.hidden = false;
      this.textarea.setAttribute("aria-expanded", "true");
    } else {
      this.close();
    }
    // Said when the list opens or its number changes; not again at every letter typed.
    const text = this.describe(items.length);
    if (!wasOpen || text !== this.said) this.say(text);
    this.said = text;
  }

  describe(count) {
    const data = this.root.dataset;
    if (count === 0) return data.mentionNone || "";
    if (count === 1) return data.mentionFoundOne || "";
    return (data.mentionFoundMany || "").replace("%(count)s", String(count));
  }

  say(text) {
    if (!this.status) return;
    this.status.textContent = "";
    // A fresh text is read out even when it is the same sentence as the last one.
    window.setTimeout(() => { this.status.textContent = text; }, 50);
  }

  close() {
    clearTimeout(this.timer);
    this.list.hidden = true;
    this.list.replaceChildren();
    this.options = [];
    this.active = -1;
    this.textarea.setAttribute("aria-expanded", "false");
    this.textarea.removeAttribute("aria-activedescendant");
  }

  move(step) {
    const count = this.options.length;
    if (!count) return;
    const next = this.active < 0 ? (step > 0 ? 0 : count - 1) : (this.active + step + count) % count;
    this.activate(next);
  }

  activate(index) {
    const items = this.list.querySelectorAll("[role=option]");
    items.forEach((item, i) => item.setAttribute("aria-selected", i === index ? "true" : "false"));
    this.active = index;
    const item = items[index];
    this.textarea.setAttribute("aria-activedescendant", item.id);
    item.scrollIntoView({ block: "nearest" });
  }

  pick(index) {
    const person = this.options[index];
    if (!person) return;
    const { value, selectionStart } = this.textarea;
    const before = value.slice(0, this.start);
    const inserted = `@${person.label} `;
    this.textarea.value = before + inserted + value.slice(selectionStart).replace(/^ /, "");
    const caret = before.length + inserted.length;
    this.textarea.setSelectionRange(caret, caret);
    this.picked = { start: this.start, label: person.label };
    this.close();
    this.textarea.focus();
  }

  onKeyDown(event) {
    if (event.isComposing || !this.isOpen) return;
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        this.move(1);
        break;
      case "ArrowUp":
        event.preventDefault();
        this.move(-1);
        break;
      case "Enter":
      case "Tab":
        if (this.active < 0) {
          if (event.key === "Tab") this.close();
          return; // no name chosen: a new line, or on to the next field, as usual
        }
        event.preventDefault();
        this.pick(this.active);
        break;
      case "Escape": {
        event.preventDefault();
        const found = this.fragment();
        this.dismissed = found ? found.query : null;
        this.close();
        break;
      }
      default:
        break;
    }
  }

  onKeyUp(event) {
    // The cursor moved away from the name being typed (arrows left and right, Home, End): the list goes.
    if (!this.isOpen || !["ArrowLeft", "ArrowRight", "Home", "End", "PageUp", "PageDown"].includes(event.key)) return;
    const found = this.fragment();
    if (!found || found.start !== this.start) this.close();
  }
}

function enhance(textarea, root) {
  if (textarea.dataset.mentions === "on" || !("AbortController" in window)) return;
  new MentionBox(textarea, root);
}

for (const root of document.querySelectorAll("[data-mention-url]")) {
  for (const textarea of root.querySelectorAll("form[data-role=form] textarea[name=body]")) enhance(textarea, root);
  // Reply boxes that arrive later (a live comment brings its own) get the list when they are first used.
  root.addEventListener("focusin", (event) => {
    const textarea = event.target;
    if (textarea.matches && textarea.matches("form[data-role=form] textarea[name=body]")) enhance(textarea, root);
  });
}
