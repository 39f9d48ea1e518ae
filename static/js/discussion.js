// Live discussion: follows a thread through the shared live connection (static/js/live-link.js, which
// replays what it missed after a reconnect), keeps comments typed offline and sends each exactly once
// (idempotency key). The page works without this file: every form posts and reloads. Every text it
// shows comes from the page (data-t-* attributes, translated by the server).

const QUEUE_KEY = "samenlab.discussion.outbox";

function csrfToken(root) {
  const input = root.querySelector("input[name=csrfmiddlewaretoken]");
  if (input) return input.value;
  const match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

function newKey() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  return `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

function readOutbox() {
  try {
    return JSON.parse(localStorage.getItem(QUEUE_KEY) || "[]");
  } catch {
    return [];
  }
}

function writeOutbox(items) {
  try {
    localStorage.setItem(QUEUE_KEY, JSON.stringify(items));
  } catch {
    /* private mode: the comment stays in the text field instead */
  }
}

class LiveThread {
  constructor(root) {
    this.root = root;
    this.threadId = root.dataset.thread;
    this.userId = root.dataset.user || "";
    this.moderator = root.dataset.moderator === "1";
    // A text from the page in the visitor's language; placeholders such as %(count)s are filled in.
    // split/join, not replace: a name such as "$&" must come out as it was written.
    this.t = (name, values = {}) => Object.entries(values).reduce(
      (text, [key, value]) => text.split(`%(${key})s`).join(String(value)), root.dataset[`t${name}`] || "");
    this.link = null;
    this.flushing = false;
    this.status = root.querySelector("[data-role=status]");
    this.presence = root.querySelector("[data-role=presence]");
    this.announcer = root.querySelector("[data-role=announce]");
    this.list = root.querySelector("[data-role=comments]");
    root.addEventListener("submit", (event) => this.onSubmit(event));
    root.addEventListener("click", (event) => this.onClick(event));
    import(root.dataset.liveLink).then(({ LiveLink }) => { // static/js/live-link.js
      this.link = new LiveLink(root.dataset.wsPath, Number(root.dataset.lastSeq || 0), {
        onEvent: (message) => this.onEvent(message),
        onState: (state) => this.setConnection(state),
        onReplayDone: () => this.flushOutbox(),
        onPresence: (data) => this.showPresence(data.count),
      });
    });
  }

  isOnline() {
    return Boolean(this.link) && this.link.isOpen();
  }

  // --- connection -------------------------------------------------------------------------
  // "closed" means the server refused this visitor: the page stays as it is, without live updates.
  setConnection(state) {
    this.root.dataset.connection = state;
    this.setStatus(state === "reconnecting" ? this.t("Reconnecting") : "");
  }

  setStatus(text) {
    this.status.textContent = text;
    this.status.hidden = !text;
  }

  announce(text) {
    this.announcer.textContent = "";
    window.setTimeout(() => { this.announcer.textContent = text; }, 50);
  }

  showPresence(count) {
    if (typeof count !== "number") return;
    this.presence.textContent = count === 1 ? this.t("PresenceOne") : this.t("PresenceMany", { count });
    this.presence.hidden = false;
  }

  // --- messages from the server -----------------------------------------------------------
  async onEvent(message) {
    this.root.dataset.lastSeq = String(this.link.lastSeq);
    await this.apply(message);
  }

  async apply({ type, data }) {
    // A replayed event of a comment hidden or deleted since carries no text ("redacted"): a fresh
    // page load would not show it either, and a later event in the replay says what happened to it.
    if (data && data.redacted) {
      this.removeComment(data.id);
      return;
    }
    switch (type) {
      case "comment.created":
        await this.showComment(data.id, data.parent_id);
        this.announce(this.t("NewComment", { author: data.author }));
        break;
      case "comment.edited":
      case "comment.restored":
        await this.showComment(data.id, data.parent_id);
        this.announce(type === "comment.edited"
          ? this.t("CommentEdited", { author: data.author }) : this.t("CommentRestored"));
        break;
      case "comment.hidden":
        // Only the author and moderators still see it; the server decides per person.
        if (this.moderator || this.userId) await this.showComment(data.id, null, true);
        else this.removeComment(data.id);
        this.announce(this.t("CommentHidden"));
        break;
      case "comment.deleted":
        await this.showComment(data.id, null, true);
        this.announce(this.t("CommentDeleted"));
        break;
      case "reaction.changed":
        this.updateCounts(data.comment_id, data.counts);
        break;
      case "thread.closed":
      case "thread.reopened":
        this.announce(type === "thread.closed" ? this.t("ThreadClosed") : this.t("ThreadReopened"));
        window.setTimeout(() => location.reload(), 1500);
        break;
      default:
        break;
    }
  }

  fragmentUrl(id) {
    const base = this.root.dataset.fragmentUrl.replace(/\/0\/$/, `/${id}/`);
    return `${base}?next=${encodeURIComponent(this.root.dataset.next || location.pathname)}`;
  }

  async showComment(id, parentId, mayVanish = false) {
    const response = await fetch(this.fragmentUrl(id), { credentials: "same-origin" });
    if (response.status === 404) {
      if (mayVanish) this.removeComment(id);
      return;
    }
    if (!response.ok) return;
    const template = document.createElement("template");
    template.innerHTML = (await response.text()).trim();
    const fresh = template.content.firstElementChild;
    if (!fresh) return;
    const existing = document.getElementById(`reactie-${id}`);
    if (existing) {
      const replies = existing.querySelector(":scope > [data-role=replies]");
      const freshReplies = fresh.querySelector(":scope > [data-role=replies]");
      if (replies && freshReplies) freshReplies.replaceWith(replies);
      existing.replaceWith(fresh);
      return;
    }
    const parent = parentId ? document.getElementById(`reactie-${parentId}`) : null;
    const target = parent ? parent.querySelector(":scope > [data-role=replies]") : this.list;
    (target || this.list).append(fresh);
    const empty = this.root.querySelector("[data-role=empty]");
    if (empty) empty.hidden = true;
  }

  removeComment(id) {
    const element = document.getElementById(`reactie-${id}`);
    if (element) element.remove();
  }

  updateCounts(commentId, counts) {
    const element = document.getElementById(`reactie-${commentId}`);
    if (!element) return;
    for (const [kind, count] of Object.entries(counts)) {
      const button = element.querySelector(`:scope > article .reaction[data-kind="${kind}"] [data-count]`);
      if (button) button.textContent = String(count);
    }
  }

  // --- writing ----------------------------------------------------------------------------
  onSubmit(event) {
    const form = event.target;
    if (form.dataset.role === "form") {
      event.preventDefault();
      this.submitComment(form);
    } else if (form.action.includes("/reactie/") && form.querySelector(".reaction")) {
      event.preventDefault();
      this.submitReaction(form);
    }
  }

  submitComment(form) {
    const body = form.querySelector("textarea[name=body]");
    const parent = form.querySelector("input[name=parent]");
    if (!body.value.trim()) {
      body.focus();
      return;
    }
    const item = {
      thread: this.threadId,
      body: body.value,
      parent: parent && parent.value ? Number(parent.value) : null,
      client_key: newKey(),
    };
    writeOutbox([...readOutbox(), item]);
    body.value = "";
    const details = form.closest("details");
    if (details) details.open = false;
    if (!this.isOnline()) {
      this.announce(this.t("Offline"));
      this.setStatus(this.t("ReconnectingKept"));
      return;
    }
    this.flushOutbox();
  }

  async flushOutbox() {
    if (this.flushing) return;
    this.flushing = true;
    try {
      for (const item of readOutbox().filter((entry) => entry.thread === this.threadId)) {
        let response;
        try {
          response = await fetch(`/api/v1/threads/${item.thread}/comments/`, {
            method: "POST",
            credentials: "same-origin",
            headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(this.root) },
            body: JSON.stringify({ body: item.body, parent: item.parent, client_key: item.client_key }),
          });
        } catch {
          break; // still offline: keep it for the next reconnect
        }
        if (response.status >= 500) break;
        writeOutbox(readOutbox().filter((entry) => entry.client_key !== item.client_key));
        if (!response.ok) {
          let detail = this.t("NotPosted");
          try {
            const data = await response.json();
            detail = [].concat(data.detail || detail).join(" ");
          } catch { /* keep the general message */ }
          this.announce(detail);
          this.setStatus(detail);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  async submitReaction(form) {
    const button = form.querySelector(".reaction");
    const match = form.action.match(/reactie\/(\d+)\/reactie\/(\w+)\//);
    if (!match) return;
    const response = await fetch(`/api/v1/comments/${match[1]}/reactions/`, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(this.root) },
      body: JSON.stringify({ kind: match[2] }),
    }).catch(() => null);
    if (!response || !response.ok) {
      this.announce(this.t("ReactionFailed"));
      return;
    }
    const data = await response.json();
    button.setAttribute("aria-pressed", data.active ? "true" : "false");
    this.updateCounts(match[1], data.counts);
  }

  // --- the flag dialog --------------------------------------------------------------------
  onClick(event) {
    const link = event.target.closest("a[data-role=flag]");
    if (!link || typeof HTMLDialogElement === "undefined") return;
    event.preventDefault();
    this.openFlagDialog(link);
  }

  openFlagDialog(link) {
    const commentId = link.closest("[data-comment]").dataset.comment;
    let dialog = document.getElementById("flag-dialog");
    if (!dialog) {
      dialog = document.createElement("dialog");
      dialog.id = "flag-dialog";
      dialog.setAttribute("aria-labelledby", "flag-dialog-title");
      dialog.innerHTML = `
        <form method="dialog">
          <h2 id="flag-dialog-title"></h2>
          <div class="field">
            <label for="flag-reason"></label>
            <textarea id="flag-reason" name="reason" rows="3" maxlength="500" required
              aria-describedby="flag-help"></textarea>
            <div class="field-help" id="flag-help"></div>
          </div>
          <p class="errorlist" data-role="flag-error" hidden></p>
          <button type="submit" class="button" value="send"></button>
          <button type="submit" class="button button--secondary" value="cancel" formnovalidate></button>
        </form>`;
      // The texts go in as text, never as HTML: a translation may hold any character.
      dialog.querySelector("h2").textContent = this.t("FlagTitle");
      dialog.querySelector("label").textContent = this.t("FlagQuestion");
      dialog.querySelector("#flag-help").textContent = this.t("FlagHelp");
      dialog.querySelector("button[value=send]").textContent = this.t("FlagSend");
      dialog.querySelector("button[value=cancel]").textContent = this.t("FlagCancel");
      document.body.append(dialog);
      dialog.querySelector("form").addEventListener("submit", (event) => this.sendFlag(event, dialog));
    }
    dialog.dataset.comment = commentId;
    dialog.returnFocus = link;
    dialog.querySelector("textarea").value = "";
    dialog.querySelector("[data-role=flag-error]").hidden = true;
    dialog.showModal();
    dialog.querySelector("textarea").focus();
    dialog.addEventListener("close", () => dialog.returnFocus && dialog.returnFocus.focus(), { once: true });
  }

  async sendFlag(event, dialog) {
    if (event.submitter && event.submitter.value === "cancel") return;
    event.preventDefault();
    const reason = dialog.querySelector("textarea").value.trim();
    const error = dialog.querySelector("[data-role=flag-error]");
    if (!reason) {
      error.textContent = this.t("FlagEmpty");
      error.hidden = false;
      return;
    }
    const response = await fetch(`/api/v1/comments/${dialog.dataset.comment}/flags/`, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(this.root) },
      body: JSON.stringify({ reason }),
    }).catch(() => null);
    if (!response || !response.ok) {
      error.textContent = this.t("FlagFailed");
      error.hidden = false;
      return;
    }
    dialog.close();
    this.announce(this.t("FlagThanks"));
  }
}

for (const root of document.querySelectorAll("section[data-thread]")) {
  new LiveThread(root);
}
