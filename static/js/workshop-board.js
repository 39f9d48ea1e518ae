// The workshop board, live: follows the board's stream over a WebSocket, replays what it missed after a
// reconnect (sequence numbers), and updates the page in place. The server decides what each viewer sees:
// a changed card is fetched as HTML from the board, never built from the event. The page works without this
// file: every form posts and the page reloads. What someone is typing is never thrown away: forms with focus
// or text are left alone, and card texts are kept in sessionStorage until the server has them.

const REFRESH_DELAY_MS = 250;
const SVG_NS = "http://www.w3.org/2000/svg";

function newId() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function store(key, value) {
  try {
    if (value === null) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, JSON.stringify(value));
  } catch {
    /* private mode: the text stays in its field instead */
  }
}

function load(key) {
  try {
    return JSON.parse(sessionStorage.getItem(key) || "null");
  } catch {
    return null;
  }
}

function fromHtml(html) {
  const template = document.createElement("template");
  template.innerHTML = html.trim();
  return template.content.firstElementChild;
}

const TEXT_FIELDS = "textarea, input[type=text], input[type=number]";

// A form someone is busy with: the focus is in one of its text fields or in an opened "Wijzigen", or a text
// field holds changed text. A focused button is not busy: its card may be replaced (the focus moves along).
function busy(element) {
  if (!element) return false;
  const active = document.activeElement;
  if (active && active !== document.body && element.contains(active)
      && (active.matches(TEXT_FIELDS) || active.closest("details[open]"))) return true;
  // A chosen photo counts as typing: replacing its form would lose it.
  if ([...element.querySelectorAll("input[type=file]")].some((field) => field.files && field.files.length)) return true;
  return [...element.querySelectorAll(TEXT_FIELDS)]
    .some((field) => field.value.trim() !== "" && field.value !== field.defaultValue);
}

// After a card is replaced (``active``: the element in the old card that had the focus), the focus goes back to the same button in the new card (by its form's action),
// else to the card's first button: a keyboard user keeps their place.
function keepFocus(active, fresh) {
  if (!active) return;
  const action = active.form ? active.form.getAttribute("action") : null;
  const same = action ? fresh.querySelector(`form[action="${action}"] button`) : null;
  const target = same || fresh.querySelector("button, summary, a[href]");
  if (target) target.focus();
}

// --- the board -----------------------------------------------------------------------------------

class Board {
  constructor(root) {
    this.root = root;
    this.id = root.dataset.workshop;
    this.t = (name) => root.dataset[`t${name}`] || "";
    this.announcer = root.querySelector("[data-announce]");
    this.connection = root.querySelector("[data-connection]");
    this.pendingKey = `samenlab.workshop.${this.id}.pending`;
    this.draftKey = `samenlab.workshop.${this.id}.drafts`;
    this.restoreDrafts();
    root.addEventListener("submit", (event) => this.onSubmit(event));
    root.addEventListener("click", (event) => this.onClick(event));
    root.addEventListener("input", (event) => this.onInput(event));
    window.addEventListener("popstate", () => this.showStage(new URLSearchParams(location.search).get("fase")));
    this.startTimer();
    import(root.dataset.liveLink).then(({ LiveLink }) => { // static/js/live-link.js
      this.link = new LiveLink(root.dataset.wsPath, Number(root.dataset.lastSeq || 0), {
        onEvent: (message) => this.apply(message),
        onState: (state) => this.setConnection(state),
        onReplayDone: () => this.sendPending(),
      });
    });
  }

  announce(text) {
    if (!this.announcer || !text) return;
    this.announcer.textContent = "";
    window.setTimeout(() => { this.announcer.textContent = text; }, 50);
  }

  setConnection(state) {
    if (!this.connection) return;
    this.connection.hidden = state !== "reconnecting";
    this.connection.textContent = state === "reconnecting" ? this.t("Reconnecting") : "";
  }

  // --- events --------------------------------------------------------------------------------------
  async apply({ type, data }) {
    switch (type) {
      case "card.added":
        if (await this.showCard(data.id, data) && !this.mine(data.id)) {
          this.announce(data.text ? `${this.t("NewCard")}: ${data.text}` : this.t("NewCard"));
        }
        break;
      case "card.changed":
        if (data.merged_into) this.removeCard(data.id);
        else await this.showCard(data.id, data);
        // The card in the spotlight shows its new text and photo there too.
        if (String(data.id) === this.root.dataset.spotlight) await this.setSpotlight(data.id, true);
        break;
      case "card.removed":
        this.removeCard(data.id);
        this.announce(this.t("CardRemoved"));
        break;
      case "cards.revealed":
        this.refreshSoon();
        this.announce(this.t("Revealed"));
        break;
      case "curve.changed":
        this.setAverage(data.stage, data.kind, data.average, data.count);
        break;
      case "participant.joined":
        this.addParticipant(data.name);
        break;
      case "workshop.changed":
        this.onWorkshopChanged(data);
        break;
      case "votes.shown":
      case "lane.changed":
        this.refreshSoon();
        break;
      case "stage.added":
      case "lane.added":
        this.refreshSoon(true);
        break;
      default:
        break;
    }
  }

  mine(cardId) {
    const item = this.root.querySelector(`#kaartje-${cardId}`);
    return item && item.classList.contains("board-card--own");
  }

  fragmentUrl(id) {
    return this.root.dataset.fragmentUrl.replace(/\/0\/$/, `/${id}/`);
  }

  // Fetch the card as this viewer may see it and put it in its cell (moved, replaced or new).
  async showCard(id, data) {
    let response;
    try {
      response = await fetch(this.fragmentUrl(id), { credentials: "same-origin" });
    } catch {
      return false;
    }
    if (response.status === 404) {
      this.removeCard(id);
      return false;
    }
    if (!response.ok) return false;
    const item = fromHtml(await response.text());
    if (!item) return false;
    this.placeCard(item, data);
    return true;
  }

  placeCard(item, data) {
    const current = this.root.querySelector(`#${item.id}`);
    const cell = this.root.querySelector(`[data-cell="${item.dataset.cardCell}"] [data-card-list]`);
    if (current && busy(current)) return; // someone is editing this card: leave it
    if (current && current.dataset.cardCell === item.dataset.cardCell) {
      const active = current.contains(document.activeElement) ? document.activeElement : null;
      current.replaceWith(item);
      keepFocus(active, item);
      return;
    }
    if (current) current.remove();
    if (!cell) return;
    const order = data && typeof data.order === "number" ? data.order : null;
    item.dataset.order = order === null ? "" : String(order);
    cell.append(item);
  }

  removeCard(id) {
    const item = this.root.querySelector(`#kaartje-${id}`);
    if (item) item.remove();
  }

  onWorkshopChanged(data) {
    const root = this.root.dataset;
    this.setTimer(data.timer_ends_at);
    this.setSpotlight(data.spotlight);
    const focus = data.focus_stage ? String(data.focus_stage) : "";
    if (focus && focus !== root.focusStage) {
      this.showStage(focus, true);
      const link = this.root.querySelector(`[data-stage-link="${focus}"]`);
      this.announce(`${this.t("Moved")} ${link ? link.textContent : ""}`);
    }
    root.focusStage = focus;
    const before = [root.state, root.phase, root.revealed, root.boardLocked, root.votesShown].join();
    const after = [data.state, data.phase, data.revealed ? "1" : "0", data.board_locked ? "1" : "0",
      data.votes_shown ? "1" : "0"].join();
    if (before !== after) {
      this.refreshSoon();
      this.announce(this.t("Changed"));
    }
  }

  // --- the spotlight and the timer -----------------------------------------------------------------
  async setSpotlight(cardId, again = false) {
    const box = this.root.querySelector("[data-spotlight-box]");
    if (!box) return;
    const id = cardId ? String(cardId) : "";
    if (id === this.root.dataset.spotlight && !again) return;
    this.root.dataset.spotlight = id;
    const target = box.querySelector("[data-spotlight-card]");
    if (!id) {
      box.hidden = true;
      target.textContent = "";
      return;
    }
    const response = await fetch(this.fragmentUrl(id), { credentials: "same-origin" }).catch(() => null);
    if (!response || !response.ok) return;
    const item = fromHtml(await response.text());
    const text = item && item.querySelector(".board-card__text");
    target.textContent = "";
    const paragraph = document.createElement("p");
    paragraph.className = "spotlight__text";
    paragraph.textContent = text ? text.textContent : "";
    target.append(paragraph);
    const photo = item && item.querySelector(".lab-photo");
    if (photo) target.append(photo); // the card's photo, big, with its text alternative
    box.hidden = false;
    this.announce(`${box.querySelector("h2").textContent}: ${paragraph.textContent}`);
  }

  startTimer() {
    const timer = this.root.querySelector("[data-timer]");
    if (!timer) return;
    this.setTimer(timer.dataset.endsAt || null);
    setInterval(() => this.tick(), 1000);
  }

  setTimer(endsAt) {
    const timer = this.root.querySelector("[data-timer]");
    if (!timer) return;
    timer.dataset.endsAt = endsAt || "";
    this.timeUpSaid = false;
    timer.hidden = !endsAt;
    this.tick();
  }

  tick() {
    const timer = this.root.querySelector("[data-timer]");
    if (!timer || !timer.dataset.endsAt) return;
    const left = Math.max(0, Math.round((Date.parse(timer.dataset.endsAt) - Date.now()) / 1000));
    const text = timer.querySelector("[data-timer-text]");
    text.textContent = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
    if (left === 0 && !this.timeUpSaid) {
      this.timeUpSaid = true;
      this.announce(this.t("TimeUp"));
    }
  }

  // --- stages on a phone ---------------------------------------------------------------------------
  showStage(stageId, follow = false) {
    if (!stageId) return;
    const section = this.root.querySelector(`[data-stage="${stageId}"]`);
    if (!section) return;
    this.root.querySelectorAll("[data-stage]").forEach((other) => {
      other.classList.toggle("board-stage--current", other === section);
    });
    this.root.querySelectorAll("[data-stage-link]").forEach((link) => {
      if (link.dataset.stageLink === String(stageId)) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    });
    this.root.querySelectorAll("[name=fase]").forEach((input) => { input.value = stageId; });
    const url = new URL(location.href);
    url.searchParams.set("fase", stageId);
    if (follow) history.replaceState(null, "", url);
    else history.pushState(null, "", url);
  }

  onClick(event) {
    const link = event.target.closest("[data-stage-link]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    this.showStage(link.dataset.stageLink);
    const title = this.root.querySelector(`#fase-${link.dataset.stageLink}-titel`);
    if (title) {
      title.setAttribute("tabindex", "-1");
      title.focus();
    }
  }

  // --- the curve -----------------------------------------------------------------------------------
  setAverage(stageId, kind, average, count) {
    const cell = this.root.querySelector(`[data-curve-row="${stageId}"] [data-curve-cell="${kind}"]`);
    if (!cell) return;
    cell.dataset.average = average === null || average === undefined ? "" : String(average);
    if (cell.dataset.average === "") {
      cell.textContent = this.t("NotYet");
    } else {
      const people = count === 1 ? this.t("OneParticipant") : this.t("Participants").replace("%(n)s", count);
      const number = Number(average).toLocaleString(document.documentElement.lang || "nl",
        { minimumFractionDigits: 1, maximumFractionDigits: 1 });
      cell.textContent = `${number} ${people}`;
    }
    this.drawCurve();
  }

  drawCurve() {
    const svg = this.root.querySelector("[data-curve]");
    if (!svg) return;
    const { left, step, top, unit } = Object.fromEntries(
      ["left", "step", "top", "unit"].map((name) => [name, Number(svg.dataset[name])]));
    const rows = [...this.root.querySelectorAll("[data-curve-row]")];
    for (const kind of ["current", "desired"]) {
      const parts = [];
      const group = svg.querySelector(`[data-curve-points="${kind}"]`);
      group.replaceChildren();
      let penDown = false;
      rows.forEach((row, index) => {
        const value = row.querySelector(`[data-curve-cell="${kind}"]`).dataset.average;
        if (value === "" || value === undefined) {
          penDown = false;
          return;
        }
        const x = left + index * step;
        const y = Math.round((top + (2 - Number(value)) * unit) * 10) / 10;
        parts.push(`${penDown ? "L" : "M"}${x} ${y}`);
        penDown = true;
        const mark = document.createElementNS(SVG_NS, kind === "current" ? "circle" : "rect");
        if (kind === "current") {
          mark.setAttribute("cx", x); mark.setAttribute("cy", y); mark.setAttribute("r", 6);
        } else {
          mark.setAttribute("x", x - 5); mark.setAttribute("y", y - 5);
          mark.setAttribute("width", 10); mark.setAttribute("height", 10);
        }
        mark.setAttribute("class", `curve__point curve__point--${kind}`);
        group.append(mark);
      });
      svg.querySelector(`[data-curve-line="${kind}"]`).setAttribute("d", parts.join(" "));
    }
  }

  addParticipant(name) {
    const list = this.root.querySelector("[data-participant-list]");
    if (!list) return;
    const item = document.createElement("li");
    item.textContent = name;
    list.append(item);
  }

  // --- the server's view of the whole board, without touching what someone is typing ----------------
  refreshSoon(structure = false) {
    this.structureChanged = this.structureChanged || structure;
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => this.refresh(), REFRESH_DELAY_MS);
  }

  async refresh() {
    const structure = this.structureChanged;
    this.structureChanged = false;
    let response;
    try {
      response = await fetch(location.href, { credentials: "same-origin" });
    } catch {
      return;
    }
    if (!response.ok) return;
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = page.querySelector("[data-workshop-board]");
    if (!fresh) return;
    for (const name of ["state", "phase", "revealed", "boardLocked", "votesShown"]) {
      this.root.dataset[name] = fresh.dataset[name];
    }
    const ownCells = [...this.root.querySelectorAll("[data-cell]")].map((c) => c.dataset.cell).join();
    const newCells = [...fresh.querySelectorAll("[data-cell]")].map((c) => c.dataset.cell).join();
    if (structure || ownCells !== newCells) {
      if ([...this.root.querySelectorAll("[data-board] form")].some(busy)) {
        this.offerReload();
      } else {
        for (const selector of ["[data-board]", ".board-tabs", ".board-curve"]) {
          const mine = this.root.querySelector(selector);
          const theirs = fresh.querySelector(selector);
          if (mine && theirs) mine.replaceWith(theirs);
        }
        this.restoreDrafts();
      }
    } else {
      this.mergeCells(fresh);
    }
    for (const selector of ["[data-board-status]", "[data-controls]"]) {
      const mine = this.root.querySelector(selector);
      const theirs = fresh.querySelector(selector);
      if (mine && theirs && !busy(mine)) mine.replaceWith(theirs);
      else if (mine && !theirs) mine.remove();
    }
    this.setTimer(this.root.querySelector("[data-timer]")?.dataset.endsAt || null);
  }

  mergeCells(fresh) {
    for (const theirs of fresh.querySelectorAll("[data-cell]")) {
      const mine = this.root.querySelector(`[data-cell="${theirs.dataset.cell}"]`);
      if (!mine) continue;
      const list = mine.querySelector("[data-card-list]");
      const editing = [...list.children].filter(busy).map((item) => item.id);
      const newList = theirs.querySelector("[data-card-list]");
      for (const id of editing) {
        const kept = list.querySelector(`#${id}`);
        const slot = newList.querySelector(`#${id}`);
        if (slot) slot.replaceWith(kept);
      }
      const focused = [...list.children].find((item) => item.contains(document.activeElement));
      const active = focused ? document.activeElement : null;
      const successor = focused ? newList.querySelector(`#${focused.id}`) : null;
      list.replaceChildren(...newList.children);
      if (successor && successor !== focused) keepFocus(active, successor);
      const myForm = mine.querySelector("[data-card-form]");
      const theirForm = theirs.querySelector("[data-card-form]");
      if (!myForm && theirForm) mine.append(theirForm);
      else if (myForm && !theirForm && !busy(myForm)) myForm.remove();
      const title = mine.querySelector(".board-cell__title");
      const newTitle = theirs.querySelector(".board-cell__title");
      if (title && newTitle) title.replaceWith(newTitle);
    }
    for (const theirs of fresh.querySelectorAll(".board-feeling")) {
      const mine = this.root.querySelector(`#${theirs.id}`);
      if (mine && !busy(mine)) mine.replaceWith(theirs);
    }
    const spotlight = this.root.querySelector("[data-spotlight-box]");
    const theirSpotlight = fresh.querySelector("[data-spotlight-box]");
    if (spotlight && theirSpotlight) spotlight.replaceWith(theirSpotlight);
    this.root.dataset.spotlight = fresh.dataset.spotlight;
    this.restoreDrafts();
  }

  offerReload() {
    if (this.root.querySelector("[data-reload-offer]")) return;
    const note = document.createElement("div");
    note.className = "utrecht-alert utrecht-alert--info board-reload";
    note.dataset.reloadOffer = "";
    const text = document.createElement("p");
    text.textContent = this.t("Structure");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button--small";
    button.textContent = this.t("Reload");
    button.addEventListener("click", () => location.reload());
    note.append(text, button);
    this.root.querySelector("[data-board-status]").after(note);
    this.announce(this.t("Structure"));
  }

  // --- forms: a card is sent with fetch and a client id, and kept until the server has it -------------
  onInput(event) {
    const form = event.target.closest("[data-card-form]");
    if (!form || event.target.name !== "text") return;
    const drafts = load(this.draftKey) || {};
    drafts[this.cellOf(form)] = event.target.value;
    store(this.draftKey, drafts);
  }

  cellOf(form) {
    return `${form.elements.stage.value}-${form.elements.lane.value}`;
  }

  restoreDrafts() {
    const drafts = load(this.draftKey) || {};
    const pending = load(this.pendingKey) || {};
    this.root.querySelectorAll("[data-card-form]").forEach((form) => {
      const cell = this.cellOf(form);
      const text = (pending[cell] && pending[cell].text) || drafts[cell];
      if (text && !form.elements.text.value) form.elements.text.value = text;
      if (pending[cell]) form.elements.client_id.value = pending[cell].client_id;
    });
  }

  forget(cell) {
    const drafts = load(this.draftKey) || {};
    const pending = load(this.pendingKey) || {};
    delete drafts[cell];
    delete pending[cell];
    store(this.draftKey, drafts);
    store(this.pendingKey, pending);
  }

  async onSubmit(event) {
    const form = event.target;
    if (form.matches("[data-card-form]")) {
      event.preventDefault();
      const cell = this.cellOf(form);
      const pending = load(this.pendingKey) || {};
      if (!pending[cell]) form.elements.client_id.value = newId();
      pending[cell] = { client_id: form.elements.client_id.value, text: form.elements.text.value };
      store(this.pendingKey, pending);
      await this.sendCard(form);
      return;
    }
    if (form.matches("[data-card-remove], [data-dot-form], [data-card-edit]")) {
      event.preventDefault();
      await this.sendAction(form);
    }
  }

  status(form, text) {
    const line = form.querySelector("[data-card-form-status]");
    if (line) line.textContent = text;
  }

  async post(form) {
    return fetch(form.action, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { "X-Board-Fragment": "1" },
    });
  }

  async sendCard(form) {
    const cell = this.cellOf(form);
    this.status(form, this.t("Sending"));
    let response;
    try {
      response = await this.post(form);
    } catch {
      this.status(form, this.t("Kept"));
      return;
    }
    if (response.status === 201 || response.ok) {
      const html = await response.text();
      const item = html.trim().startsWith("<li") ? fromHtml(html) : null;
      if (item) this.placeCard(item, null);
      this.forget(cell);
      form.elements.text.value = "";
      // The photo went with the card: the next card starts without one.
      if (form.elements.photo) form.elements.photo.value = "";
      if (form.elements.photo_alt) form.elements.photo_alt.value = "";
      form.elements.client_id.value = newId();
      this.status(form, "");
      return;
    }
    let message = this.t("Kept");
    try {
      message = (await response.json()).error || message;
    } catch {
      /* not JSON: keep the general message */
    }
    if (response.status === 400 || response.status === 403) {
      // A refusal (locked lane, wrong phase): the text stays in the field, nothing is retried.
      const pending = load(this.pendingKey) || {};
      delete pending[cell];
      store(this.pendingKey, pending);
    }
    this.status(form, message);
  }

  // After a reconnect: the cards the server may not have yet, sent again with the same client id.
  sendPending() {
    const pending = load(this.pendingKey) || {};
    for (const cell of Object.keys(pending)) {
      const form = this.root.querySelector(`[data-cell="${cell}"] [data-card-form]`);
      if (form && form.elements.text.value) this.sendCard(form);
    }
  }

  async sendAction(form) {
    const item = form.closest("[data-card]");
    let response;
    try {
      response = await this.post(form);
    } catch {
      form.submit();
      return;
    }
    const type = response.headers.get("Content-Type") || "";
    if (type.includes("text/html") && item) {
      const fresh = fromHtml(await response.text());
      if (fresh) item.replaceWith(fresh);
      return;
    }
    let body = {};
    try {
      body = await response.json();
    } catch {
      /* nothing to read */
    }
    if (!response.ok) {
      this.announce(body.error || "");
      const line = document.createElement("p");
      line.className = "errorlist";
      line.setAttribute("role", "alert");
      line.textContent = body.error || "";
      form.after(line);
      return;
    }
    if (form.matches("[data-card-remove]") && item) {
      item.remove();
    } else if (item) {
      await this.showCard(item.dataset.card, null); // a dot is not on the stream: ask for the card again
      this.refreshSoon();
    }
    this.announce(body.message || "");
  }
}

// --- the facilitator's page with the code: who joins, live ---------------------------------------

class JoinedList {
  constructor(root) {
    this.list = root.querySelector("[data-participant-list]");
    this.count = root.querySelector("[data-participant-count]");
    import(root.dataset.liveLink).then(({ LiveLink }) => this.follow(LiveLink, root));
  }

  follow(LiveLink, root) {
    this.link = new LiveLink(root.dataset.wsPath, Number(root.dataset.lastSeq || 0), {
      onEvent: ({ type, data }) => {
        if (type !== "participant.joined" || !this.list) return;
        const item = document.createElement("li");
        item.textContent = data.name;
        this.list.append(item);
        if (this.count) {
          const n = this.list.children.length;
          this.count.textContent = n === 1 ? this.count.dataset.one : this.count.dataset.many.replace("%(n)s", n);
        }
      },
      onState: () => {},
    });
  }
}

document.querySelectorAll("[data-workshop-board]").forEach((root) => new Board(root));
document.querySelectorAll("[data-workshop-live]").forEach((root) => new JoinedList(root));
