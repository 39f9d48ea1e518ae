// The unread count in the header, kept current over the live stream of the signed-in person.
// The page shows the count it was rendered with; this only keeps it up to date, and says it aloud
// (politely) when something new arrives. Texts come translated from the page's data attributes.
const link = document.querySelector("[data-unread-badge]");
const MAX_BACKOFF_MS = 30000;

if (link && "WebSocket" in window) {
  const badge = link.querySelector("[data-unread-count]");
  const status = link.parentElement.querySelector("[data-unread-status]");
  let lastSeq = 0;
  const number = badge.querySelector("[data-unread-number]");
  let shown = Number.parseInt(number.textContent, 10) || 0;
  let backoff = 1000;

  const describe = (count) => {
    if (count === 0) return link.dataset.textNone;
    if (count === 1) return link.dataset.textOne;
    return link.dataset.textMany.replace("%(count)s", String(count));
  };

  const show = (count) => {
    if (count > shown && status) status.textContent = describe(count);
    shown = count;
    badge.hidden = count === 0;
    number.textContent = String(count);
    document.dispatchEvent(new CustomEvent("samenlab:unread", { detail: { count } }));
  };

  const connect = () => {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    // after=lastSeq: the stream keeps only its newest count, so a (re)connect gets exactly that one.
    const socket = new WebSocket(`${scheme}://${location.host}/ws/meldingen/?after=${lastSeq}`);
    socket.addEventListener("message", (event) => {
      const message = JSON.parse(event.data);
      if (message.type === "welcome") backoff = 1000;
      if (message.type === "unread" && message.seq > lastSeq) {
        lastSeq = message.seq;
        show(message.data.unread);
      }
    });
    socket.addEventListener("close", (event) => {
      if (event.code === 4403) return; // signed out: nothing to follow
      setTimeout(connect, backoff + Math.random() * 500);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    });
  };
  connect();
}
