// A poll's own page follows its box live (/ws/stemming/<box>/): when the poll changes, is removed or its result is
// published, a status line says so and offers a reload. The stream carries no counts, so nothing is drawn from it.
// While the poll is open, the same line says so at the moment it closes (the result then shows after a reload).
const WATCHED = new Set(["poll.changed", "poll.removed", "result.published"]);
const MAX_TIMER_MS = 2147483647; // setTimeout's limit (about 24 days)

function start(root) {
  const status = root.querySelector("[data-poll-status]");
  if (!status) return;
  const say = (text) => { status.textContent = text; };
  if (root.dataset.state === "open") {
    const wait = Date.parse(root.dataset.closesAt) - Date.now();
    if (wait > 0 && wait < MAX_TIMER_MS) setTimeout(() => say(root.dataset.closed), wait + 1000);
  }
  import(root.dataset.liveLink).then(({ LiveLink }) => {
    new LiveLink(root.dataset.wsPath, Number(root.dataset.lastSeq || 0), {
      onEvent: (message) => { if (WATCHED.has(message.type)) say(root.dataset.changed); },
    });
  }).catch(() => {}); // without the live line the page stays as it is; a reload shows what changed
}

document.querySelectorAll("[data-poll-live]").forEach(start);
