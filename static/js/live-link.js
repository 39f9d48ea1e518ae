// The live connection every live page shares: follows one stream over a WebSocket, replays what it missed
// after a reconnect (?after=<last seq>: nothing lost, nothing twice), keeps the line open with a heartbeat,
// and reconnects with backoff. A page loads it by the URL it renders (its hashed name in production):
//   const { LiveLink } = await import(element.dataset.liveLink);
//   new LiveLink(path, lastSeq, { onEvent, onState, onReplayDone, onPresence });
// onState gets "open", "reconnecting" or "closed" (the server refused: the page stays as it is).
// Presence counts carry no sequence number; only a page that shows them passes onPresence(data).

const HEARTBEAT_MS = 25000;
const PONG_TIMEOUT_MS = 10000;
const MAX_BACKOFF_MS = 30000;
const REFUSED = 4403;

export class LiveLink {
  constructor(path, lastSeq, { onEvent, onState = () => {}, onReplayDone = null, onPresence = null }) {
    this.path = path;
    this.lastSeq = lastSeq;
    this.onEvent = onEvent;
    this.onState = onState;
    this.onReplayDone = onReplayDone;
    this.onPresence = onPresence;
    this.backoff = 1000;
    this.socket = null;
    this.refused = false;
    window.addEventListener("online", () => this.reconnectSoon(0));
    // The browser knows it lost the network before a heartbeat would notice: say so at once.
    window.addEventListener("offline", () => this.socket && this.socket.close());
    this.connect();
  }

  connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}${this.path}?after=${this.lastSeq}`);
    this.socket = socket;
    socket.addEventListener("message", (event) => this.onMessage(event));
    socket.addEventListener("close", (event) => {
      if (this.socket !== socket) return;
      this.stopHeartbeat();
      if (event.code === REFUSED) {
        this.refused = true;
        this.onState("closed");
        return;
      }
      this.onState("reconnecting");
      this.reconnectSoon(this.backoff);
      this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MS);
    });
  }

  reconnectSoon(delay) {
    if (this.refused) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      if (this.socket && this.socket.readyState <= WebSocket.OPEN) this.socket.close();
      this.socket = null;
      this.connect();
    }, delay + Math.random() * 500);
  }

  startHeartbeat() {
    this.stopHeartbeat();
    this.heartbeat = setInterval(() => {
      if (!this.socket || this.socket.readyState !== WebSocket.OPEN) return;
      this.socket.send(JSON.stringify({ type: "ping" }));
      this.pongTimer = setTimeout(() => this.socket && this.socket.close(), PONG_TIMEOUT_MS);
    }, HEARTBEAT_MS);
  }

  stopHeartbeat() {
    clearInterval(this.heartbeat);
    clearTimeout(this.pongTimer);
  }

  isOpen() {
    return Boolean(this.socket) && this.socket.readyState === WebSocket.OPEN;
  }

  send(message) {
    if (!this.isOpen()) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  onMessage(event) {
    let message;
    try {
      message = JSON.parse(event.data);
    } catch {
      return;
    }
    clearTimeout(this.pongTimer);
    if (message.type === "welcome") {
      this.backoff = 1000;
      this.onState("open");
      this.startHeartbeat();
      return;
    }
    if (message.type === "replay.done") {
      if (this.onReplayDone) this.onReplayDone();
      return;
    }
    if (message.type === "presence") {
      if (this.onPresence) this.onPresence(message.data || {});
      return;
    }
    if (["pong", "error"].includes(message.type)) return;
    if (typeof message.seq === "number") {
      if (message.seq <= this.lastSeq) return; // seen already: nothing twice
      this.lastSeq = message.seq;
    }
    this.onEvent(message);
  }
}
