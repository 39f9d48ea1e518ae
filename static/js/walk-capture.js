// The walk on the phone: record observations with or without a connection, and send them when it returns.
//
// Observations and their photos are kept in IndexedDB (through idb) until the server has them, so a
// closed browser or a dead battery loses nothing. Every observation and every photo carries an id made
// here (crypto.randomUUID()): sending one again, after a lost answer, never makes a second one. Photos
// are resized here (at most 2048 px) and sent one at a time, so a broken connection costs one photo,
// not the whole walk. The map (static/js/walk-map.js) and this module talk through DOM events on
// `document`:
//   walkmap:tap        (map → here)  {lat, lng}: the walker placed the point of a new observation
//   walkmap:feature    (here → map)  a GeoJSON Feature to add or update (properties.pending = still on the
//                                    phone, properties.removed = taken off the phone)
//   walkmap:feature    (map → here)  with detail.fromMap: an observation from the walk's live stream
//   walkmap:clear-pick (here → map)  the new observation was saved or dropped: remove its pin
//   walkmap:share-position (here → map) {lat, lng}: where the group is, every 30 seconds while an
//                                    organiser shares it (the toggle shows only for those who may)
// The capture page always has the live map, and the map follows the walk's live stream: this module
// hears of others' observations only through its walkmap:feature events.
// Without this script the page still works: the plain form posts and the page reloads.

const DB_NAME = "samenlab-walks";
const DB_VERSION = 1;
const MAX_SIDE = 2048;
const JPEG_QUALITY = 0.85;
const RETRY_MIN_MS = 5000;
const RETRY_MAX_MS = 5 * 60 * 1000;
const SHARE_EVERY_MS = 30000;
const TILE_ZOOMS = [14, 15, 16, 17, 18];
const MAX_TILES = 600;
const TILE_MARGIN_DEGREES = 0.003; // about 200 to 300 metres around the route
const SYNC_LOCK = "samenlab-walk-sync";

// --- small helpers --------------------------------------------------------------------------

function readJson(id) {
  const script = document.getElementById(id);
  if (!script) return null;
  try {
    return JSON.parse(script.textContent);
  } catch {
    return null;
  }
}

function csrfToken(form) {
  const match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
  if (match) return decodeURIComponent(match[1]);
  const input = (form || document).querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

function newId() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  // Without randomUUID (old browsers): a version 4 UUID from getRandomValues.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function fill(template, values) {
  return String(template || "").replace(/\{(\w+)\}/g, (all, name) => (name in values ? String(values[name]) : all));
}

function rounded(value) {
  return Math.round(Number(value) * 1e6) / 1e6;
}

// Distance on the earth's surface (haversine), as the server computes it.
export function metresBetween(lat1, lng1, lat2, lng2) {
  const rad = Math.PI / 180;
  const dphi = (lat2 - lat1) * rad;
  const dlmb = (lng2 - lng1) * rad;
  const a = Math.sin(dphi / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dlmb / 2) ** 2;
  return 2 * 6371000 * Math.asin(Math.sqrt(a));
}

function retryable(status) {
  return status === 0 || status === 408 || status === 429 || status >= 500;
}

async function errorDetail(response, fallback) {
  try {
    const body = await response.json();
    if (body && body.detail) return [].concat(body.detail).join(" ");
  } catch {
    /* not JSON */
  }
  return fallback;
}

// --- EXIF: the time and place a phone wrote into a JPEG ---------------------------------------
// Reads only what it needs (DateTimeOriginal, OffsetTimeOriginal, GPS latitude and longitude) and checks
// every offset against the buffer: a broken or hostile file gives "nothing found", never an exception.

export function readExif(buffer) {
  const found = { takenAt: null, lat: null, lng: null };
  try {
    const view = new DataView(buffer);
    if (view.byteLength < 4 || view.getUint16(0) !== 0xffd8) return found;
    let offset = 2;
    while (offset + 4 <= view.byteLength) {
      if (view.getUint8(offset) !== 0xff) return found;
      const marker = view.getUint8(offset + 1);
      if (marker === 0xff) { offset += 1; continue; } // fill byte
      if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) { offset += 2; continue; }
      if (marker === 0xda || marker === 0xd9) return found; // image data starts: no more metadata
      const length = view.getUint16(offset + 2);
      if (length < 2 || offset + 2 + length > view.byteLength) return found;
      if (marker === 0xe1 && length >= 16 && ascii(view, offset + 4, 6) === "Exif\0\0") {
        return readTiff(view, offset + 10, length - 8, found);
      }
      offset += 2 + length;
    }
  } catch {
    /* keep what was found */
  }
  return found;
}

function ascii(view, start, count) {
  let text = "";
  for (let i = 0; i < count && start + i < view.byteLength; i += 1) text += String.fromCharCode(view.getUint8(start + i));
  return text;
}

function readTiff(view, start, size, found) {
  const end = start + size;
  const order = view.getUint16(start);
  if (order !== 0x4949 && order !== 0x4d4d) return found;
  const little = order === 0x4949;
  const u16 = (at) => view.getUint16(at, little);
  const u32 = (at) => view.getUint32(at, little);
  if (u16(start + 2) !== 42) return found;
  const inside = (at, bytes) => at >= start && at + bytes <= end;

  function entries(ifdOffset) {
    const at = start + ifdOffset;
    const tags = new Map();
    if (!inside(at, 2)) return tags;
    const count = u16(at);
    for (let i = 0; i < count && i < 500; i += 1) {
      const entry = at + 2 + i * 12;
      if (!inside(entry, 12)) break;
      tags.set(u16(entry), { type: u16(entry + 2), count: u32(entry + 4), entry });
    }
    return tags;
  }
  const SIZES = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 9: 4, 10: 8 };
  function valueAt(tag) {
    const bytes = (SIZES[tag.type] || 1) * tag.count;
    return bytes <= 4 ? tag.entry + 8 : start + u32(tag.entry + 8);
  }
  function text(tag) {
    if (!tag || tag.type !== 2 || tag.count > 64) return "";
    const at = valueAt(tag);
    if (!inside(at, tag.count)) return "";
    return ascii(view, at, tag.count).replace(/\0+$/, "");
  }
  function pointer(tag) {
    if (!tag || (tag.type !== 4 && tag.type !== 13 && tag.type !== 3)) return null;
    return tag.type === 3 ? u16(tag.entry + 8) : u32(tag.entry + 8);
  }
  function degrees(tag) {
    if (!tag || (tag.type !== 5 && tag.type !== 10) || tag.count !== 3) return null;
    const at = valueAt(tag);
    if (!inside(at, 24)) return null;
    const parts = [0, 1, 2].map((i) => {
      const num = tag.type === 5 ? u32(at + i * 8) : view.getInt32(at + i * 8, little);
      const den = tag.type === 5 ? u32(at + i * 8 + 4) : view.getInt32(at + i * 8 + 4, little);
      return den ? num / den : NaN;
    });
    const value = parts[0] + parts[1] / 60 + parts[2] / 3600;
    return Number.isFinite(value) ? value : null;
  }

  const ifd0 = entries(u32(start + 4));
  const exifAt = pointer(ifd0.get(0x8769));
  const exif = exifAt !== null ? entries(exifAt) : new Map();
  const when = text(exif.get(0x9003)) || text(ifd0.get(0x0132));
  const zone = text(exif.get(0x9011));
  const match = when.match(/^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})/);
  if (match) {
    const [, y, mo, d, h, mi, s] = match;
    const date = /^[+-]\d{2}:\d{2}$/.test(zone)
      ? new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${zone}`)
      : new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
    if (!Number.isNaN(date.getTime())) found.takenAt = date;
  }
  const gpsAt = pointer(ifd0.get(0x8825));
  if (gpsAt !== null) {
    const gps = entries(gpsAt);
    let lat = degrees(gps.get(2));
    let lng = degrees(gps.get(4));
    if (lat !== null && lng !== null) {
      if (text(gps.get(1)).toUpperCase() === "S") lat = -lat;
      if (text(gps.get(3)).toUpperCase() === "W") lng = -lng;
      if (Math.abs(lat) <= 90 && Math.abs(lng) <= 180 && (lat !== 0 || lng !== 0)) {
        found.lat = lat;
        found.lng = lng;
      }
    }
  }
  return found;
}

// --- photos: read the metadata, then resize (the canvas drops the metadata) ------------------

async function decodeImage(file) {
  if (typeof createImageBitmap === "function") {
    try {
      return await createImageBitmap(file, { imageOrientation: "from-image" });
    } catch {
      /* try an <img> below */
    }
  }
  const url = URL.createObjectURL(file);
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    return image;
  } finally {
    URL.revokeObjectURL(url);
  }
}

export async function preparePhoto(file) {
  const head = await file.slice(0, 256 * 1024).arrayBuffer();
  const exif = readExif(head);
  const image = await decodeImage(file);
  const width = image.width || image.naturalWidth;
  const height = image.height || image.naturalHeight;
  if (!width || !height) throw new Error("unreadable");
  const scale = Math.min(1, MAX_SIDE / Math.max(width, height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  const context = canvas.getContext("2d");
  context.fillStyle = "#fff"; // a transparent PNG becomes a JPEG on white, not on black
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(image, 0, 0, canvas.width, canvas.height);
  if (typeof image.close === "function") image.close();
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", JPEG_QUALITY));
  if (!blob) throw new Error("unreadable");
  return { blob, width: canvas.width, height: canvas.height, exif };
}

// --- map tiles for the route's surroundings ---------------------------------------------------

function tileX(lng, zoom) {
  return Math.floor(((lng + 180) / 360) * 2 ** zoom);
}

function tileY(lat, zoom) {
  const rad = (lat * Math.PI) / 180;
  return Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * 2 ** zoom);
}

export function tileUrls(template, bounds) {
  if (!template || !bounds) return [];
  const [south, west, north, east] = bounds;
  let zooms = [...TILE_ZOOMS];
  const count = (z) => (tileX(east, z) - tileX(west, z) + 1) * (tileY(south, z) - tileY(north, z) + 1);
  while (zooms.length > 1 && zooms.reduce((sum, z) => sum + count(z), 0) > MAX_TILES) zooms = zooms.slice(0, -1);
  const urls = [];
  for (const z of zooms) {
    for (let x = tileX(west, z); x <= tileX(east, z); x += 1) {
      for (let y = tileY(north, z); y <= tileY(south, z); y += 1) {
        // Leaflet picks the subdomain from x and y; so do we, so that the map finds the kept tile.
        const sub = "abc"[Math.abs(x + y) % 3];
        urls.push(template.replace("{s}", sub).replace("{z}", z).replace("{x}", x).replace("{y}", y).replace("{r}", ""));
        if (urls.length >= MAX_TILES) return urls;
      }
    }
  }
  return urls;
}

function routeBounds(walk, extra) {
  const points = [...(walk.route || [])];
  if (walk.meeting) points.push(walk.meeting);
  for (const point of extra || []) points.push(point);
  if (!points.length) return null;
  const lngs = points.map((p) => p[0]);
  const lats = points.map((p) => p[1]);
  return [Math.min(...lats) - TILE_MARGIN_DEGREES, Math.min(...lngs) - TILE_MARGIN_DEGREES,
    Math.max(...lats) + TILE_MARGIN_DEGREES, Math.max(...lngs) + TILE_MARGIN_DEGREES];
}

// --- the store ----------------------------------------------------------------------------------

async function openStore(idbUrl) {
  const { openDB } = await import(idbUrl);
  return openDB(DB_NAME, DB_VERSION, {
    upgrade(db) {
      const outbox = db.createObjectStore("outbox", { keyPath: "client_id" });
      outbox.createIndex("walk", "walk");
      const photos = db.createObjectStore("photos", { keyPath: "client_id" });
      photos.createIndex("observation", "observation");
      const known = db.createObjectStore("known", { keyPath: "id" });
      known.createIndex("walk", "walk");
      db.createObjectStore("meta");
    },
  });
}

// --- the app ------------------------------------------------------------------------------------

class CaptureApp {
  constructor(root, config) {
    this.root = root;
    this.config = config;
    this.t = root.dataset;
    this.walkId = config.walk.id;
    this.userId = config.user.id;
    this.db = null;
    this.syncing = null;
    this.syncAgain = false;
    this.retryDelay = RETRY_MIN_MS;
    this.retryTimer = null;
    this.shareTimer = null;
    this.mine = new Set();
    this.draftPhotos = [];
    this.photoWork = Promise.resolve();
    this.editing = null;
    this.observedAt = null;
    this.sameConfirmed = false;
    this.count = root.querySelector("[data-role=count]");
    this.connection = root.querySelector("[data-role=connection]");
    this.queueList = root.querySelector("[data-role=queue]");
    this.announcer = root.querySelector("[data-role=announce]");
    this.form = document.querySelector("[data-observation-form]");
    this.mapElement = document.querySelector("[data-walk-map]");
    this.list = document.querySelector("[data-observation-list]");
  }

  async start() {
    this.root.hidden = false;
    for (const element of document.querySelectorAll("[data-capture-only]")) element.hidden = false;
    this.showConnection();
    window.addEventListener("online", () => this.onOnline());
    window.addEventListener("offline", () => this.onOffline());
    this.root.querySelector("[data-action=sync]").addEventListener("click", () => {
      this.retryErrors(false).then(() => this.sync());
    });
    this.queueList.addEventListener("click", (event) => this.onQueueClick(event));
    const tilesButton = document.querySelector("[data-action=tiles]");
    if (tilesButton) tilesButton.addEventListener("click", () => this.keepTiles());
    document.addEventListener("walkmap:tap", (event) => this.onMapTap(event));
    document.addEventListener("walkmap:feature", (event) => {
      if (event.detail && event.detail.fromMap) this.onLiveFeature(event.detail);
    });
    try {
      this.db = await openStore(this.root.dataset.idbUrl);
    } catch {
      this.db = null; // private mode or an old browser: the plain form keeps working
    }
    if (this.form && this.db) this.enhanceForm();
    if (this.db) {
      for (const item of await this.ownOutbox()) this.mine.add(item.client_id);
      for (const item of await this.ownOutbox()) this.dispatchFeature(this.pendingFeature(item));
      await this.render();
    }
    this.askPersistence();
    this.registerWorker();
    this.enableSharing();
    if (navigator.onLine) {
      this.loadKnown();
      this.sync();
    }
  }

  // --- texts and announcements --------------------------------------------------------------
  announce(text) {
    if (!text) return;
    this.announcer.textContent = "";
    window.setTimeout(() => { this.announcer.textContent = text; }, 60);
  }

  waitingText(n) {
    if (n === 0) return this.t.tAllSent;
    return n === 1 ? this.t.tWaitingOne : fill(this.t.tWaitingOther, { n });
  }

  showConnection() {
    this.connection.textContent = navigator.onLine ? this.t.tOnline : this.t.tOffline;
    this.root.dataset.connection = navigator.onLine ? "online" : "offline";
  }

  // --- the queue ----------------------------------------------------------------------------
  async ownOutbox() {
    if (!this.db) return [];
    const items = await this.db.getAllFromIndex("outbox", "walk", this.walkId);
    return items.filter((item) => item.user === this.userId).sort((a, b) => a.created_at.localeCompare(b.created_at));
  }

  async photosOf(clientId) {
    const photos = await this.db.getAllFromIndex("photos", "observation", clientId);
    return photos.sort((a, b) => a.order - b.order);
  }

  async render() {
    const items = await this.ownOutbox();
    this.count.textContent = this.waitingText(items.length);
    this.root.dataset.waiting = String(items.length);
    const rows = [];
    for (const item of items) {
      const photos = await this.photosOf(item.client_id);
      const li = document.createElement("li");
      li.className = `capture-item${item.error ? " capture-item--error" : ""}`;
      li.dataset.clientId = item.client_id;
      const title = document.createElement("p");
      title.className = "capture-item__title";
      const description = item.payload.description;
      title.textContent = `${item.theme_label}: ${description.length > 60 ? `${description.slice(0, 59)}…` : description}`;
      const status = document.createElement("p");
      status.className = "capture-item__status";
      const photoErrors = photos.filter((photo) => photo.error).map((photo) => fill(this.t.tPhotoError, { detail: photo.error }));
      const parts = [];
      if (photos.length) parts.push(photos.length === 1 ? this.t.tPhotosOne : fill(this.t.tPhotosOther, { n: photos.length }));
      if (item.error) parts.push(fill(this.t.tStatusError, { detail: item.error }));
      else if (item.server_id) parts.push(this.t.tStatusPhotos);
      else parts.push(this.t.tStatusWaiting);
      status.textContent = [...parts, ...photoErrors].join(" · ");
      li.append(title, status);
      const buttons = document.createElement("div");
      buttons.className = "button-row";
      const label = item.theme_label;
      if (item.error || photoErrors.length) buttons.append(this.itemButton("retry", this.t.tRetry, label));
      if (item.error) buttons.append(this.itemButton("edit", this.t.tEdit, label));
      buttons.append(this.itemButton("delete", this.t.tDelete, label));
      li.append(buttons);
      rows.push(li);
    }
    this.queueList.replaceChildren(...rows);
    this.queueList.hidden = rows.length === 0;
    return items.length;
  }

  itemButton(action, text, label) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = `button button--secondary capture-item__${action}`;
    button.dataset.action = action;
    button.textContent = text;
    // Several items have the same buttons: say which item each one is about.
    const hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = ` (${label})`;
    button.append(hidden);
    return button;
  }

  async onQueueClick(event) {
    const button = event.target.closest("button[data-action]");
    if (!button) return;
    const clientId = button.closest("[data-client-id]").dataset.clientId;
    const item = await this.db.get("outbox", clientId);
    if (!item) return;
    if (button.dataset.action === "delete") {
      await this.removeItem(item);
      await this.render();
      this.announce(`${this.t.tDeleted} ${this.waitingText(await this.countWaiting())}`);
      this.root.querySelector("[data-action=sync]").focus();
    } else if (button.dataset.action === "retry") {
      await this.retryErrors(true, clientId);
      this.sync();
    } else if (button.dataset.action === "edit") {
      await this.edit(item);
    }
  }

  async removeItem(item) {
    const tx = this.db.transaction(["outbox", "photos"], "readwrite");
    for (const key of await tx.objectStore("photos").index("observation").getAllKeys(item.client_id)) {
      tx.objectStore("photos").delete(key);
    }
    tx.objectStore("outbox").delete(item.client_id);
    await tx.done;
    if (!item.server_id) this.dispatchFeature(this.pendingFeature(item, { removed: true }));
  }

  async countWaiting() {
    return (await this.ownOutbox()).length;
  }

  async retryErrors(all, onlyId) {
    if (!this.db) return;
    for (const item of await this.ownOutbox()) {
      if (onlyId && item.client_id !== onlyId) continue;
      if (!all && !onlyId) continue;
      if (item.error) {
        item.error = "";
        await this.db.put("outbox", item);
      }
      for (const photo of await this.photosOf(item.client_id)) {
        if (photo.error) {
          photo.error = "";
          await this.db.put("photos", photo);
        }
      }
    }
    await this.render();
  }

  // --- sending ------------------------------------------------------------------------------
  sync() {
    if (!this.db) return Promise.resolve();
    if (this.syncing) {
      this.syncAgain = true;
      return this.syncing;
    }
    clearTimeout(this.retryTimer);
    this.syncing = (async () => {
      let outcome;
      try {
        do {
          this.syncAgain = false;
          outcome = navigator.locks
            ? await navigator.locks.request(`${SYNC_LOCK}-${this.walkId}`, { ifAvailable: true },
              (lock) => (lock ? this.syncOnce() : "busy"))
            : await this.syncOnce();
        } while (this.syncAgain && outcome === "done");
      } catch {
        outcome = "retry";
      } finally {
        this.syncing = null;
      }
      await this.afterSync(outcome);
    })();
    return this.syncing;
  }

  async afterSync(outcome) {
    const waiting = await this.render();
    this.root.dataset.sync = outcome;
    if (outcome === "retry" || outcome === "busy") {
      const delay = outcome === "busy" ? RETRY_MIN_MS : this.retryDelay;
      this.retryDelay = Math.min(this.retryDelay * 2, RETRY_MAX_MS);
      this.retryTimer = window.setTimeout(() => this.sync(), delay + Math.random() * 1000);
    } else {
      this.retryDelay = RETRY_MIN_MS;
    }
    if (outcome === "done" && this.sentSomething) {
      this.sentSomething = false;
      this.announce(this.waitingText(waiting));
    }
  }

  async syncOnce() {
    const items = await this.ownOutbox();
    if (!items.length) return "done";
    this.connection.textContent = this.t.tSending;
    try {
      return await this.sendAll(items);
    } finally {
      this.showConnection();
    }
  }

  async sendAll(items) {
    for (const item of items) {
      if (item.error) continue;
      if (!item.server_id) {
        let response;
        try {
          response = await fetch(this.config.urls.observations, {
            method: "POST",
            credentials: "same-origin",
            headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken(this.form) },
            body: JSON.stringify(item.payload),
          });
        } catch {
          return "retry";
        }
        if (!(await this.db.get("outbox", item.client_id))) continue; // deleted on the phone meanwhile
        if (response.status === 201 || response.status === 200) {
          let feature = null;
          try {
            feature = await response.json();
          } catch {
            feature = null;
          }
          item.server_id = (feature && (feature.id || (feature.properties && feature.properties.id))) || true;
          await this.db.put("outbox", item);
          if (feature && feature.type === "Feature") {
            await this.remember(feature);
            this.dispatchFeature(feature);
            this.showInList(feature);
          }
          this.sentSomething = true;
        } else if (retryable(response.status)) {
          return "retry";
        } else {
          item.error = await errorDetail(response, this.t.tErrorGeneral);
          await this.db.put("outbox", item);
          this.announce(fill(this.t.tStatusError, { detail: item.error }));
          continue;
        }
      }
      const outcome = await this.sendPhotos(item);
      if (outcome === "retry") return "retry";
      const left = await this.photosOf(item.client_id);
      if (!left.length) await this.db.delete("outbox", item.client_id);
      await this.render();
    }
    return "done";
  }

  async sendPhotos(item) {
    const url = this.config.urls.photos.replace("{id}", String(item.server_id));
    for (const photo of await this.photosOf(item.client_id)) {
      if (photo.error) continue;
      const body = new FormData();
      body.append("client_id", photo.client_id);
      body.append("photo", photo.blob, photo.name || "foto.jpg");
      body.append("alt_text", photo.alt_text || "");
      let response;
      try {
        response = await fetch(url, {
          method: "POST", credentials: "same-origin", body,
          headers: { Accept: "application/json", "X-CSRFToken": csrfToken(this.form) },
        });
      } catch {
        return "retry";
      }
      if (response.status === 201 || response.status === 200) {
        await this.db.delete("photos", photo.client_id);
        this.sentSomething = true;
      } else if (retryable(response.status)) {
        return "retry";
      } else {
        photo.error = await errorDetail(response, this.t.tErrorGeneral);
        await this.db.put("photos", photo);
      }
    }
    return "done";
  }

  onOnline() {
    this.showConnection();
    this.retryDelay = RETRY_MIN_MS;
    this.sync();
    this.loadKnown();
  }

  onOffline() {
    this.showConnection();
  }

  // --- what the phone knows of the walk (for "is dit dezelfde?", offline too) ---------------
  async loadKnown() {
    if (!this.db) return;
    let url = this.config.urls.observations;
    try {
      for (let page = 0; url && page < 10; page += 1) {
        const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } });
        if (!response.ok) return;
        const body = await response.json();
        for (const feature of body.features || []) await this.remember(feature);
        url = body.next;
      }
    } catch {
      /* offline: what is stored stays */
    }
  }

  // Keep a feature for "is dit dezelfde?"; true when the phone did not know it yet.
  async remember(feature) {
    if (!this.db || !feature || feature.id == null) return false;
    try {
      const known = await this.db.get("known", feature.id);
      const { fromMap, ...plain } = feature;
      await this.db.put("known", { id: feature.id, walk: this.walkId, feature: plain });
      return !known;
    } catch {
      return false;
    }
  }

  // An observation from the live stream: keep it, show it in the list, and tell about others' new ones.
  async onLiveFeature(feature) {
    const isNew = await this.remember(feature);
    this.showInList(feature);
    const properties = feature.properties || {};
    const isMine = this.mine.has(properties.client_id) || properties.author === this.config.user.name;
    if (isNew && !isMine && properties.state !== "merged") {
      this.announce(fill(this.t.tNewFrom, { name: properties.author || "", theme: properties.theme_label || "" }));
    }
  }

  async nearby(theme, lat, lng) {
    const metres = Number(this.config.same_place_metres || 25);
    const found = [];
    const seen = new Set();
    const own = await this.ownOutbox();
    for (const item of own) {
      seen.add(item.client_id);
      if (this.editing && item.client_id === this.editing) continue;
      const p = item.payload;
      if (p.theme !== theme || p.latitude == null) continue;
      const distance = metresBetween(lat, lng, p.latitude, p.longitude);
      if (distance <= metres) found.push({ text: p.description, who: this.t.tSamePending, distance });
    }
    const known = this.db ? await this.db.getAllFromIndex("known", "walk", this.walkId) : [];
    for (const { feature } of known) {
      const properties = feature.properties || {};
      if (seen.has(properties.client_id) || properties.theme !== theme || properties.state === "merged") continue;
      if (!feature.geometry || feature.geometry.type !== "Point") continue;
      const [flng, flat] = feature.geometry.coordinates;
      const distance = metresBetween(lat, lng, flat, flng);
      if (distance <= metres) found.push({ text: properties.description, who: properties.author, distance });
    }
    return found.sort((a, b) => a.distance - b.distance);
  }

  // --- the map and the list -----------------------------------------------------------------
  dispatchFeature(feature) {
    document.dispatchEvent(new CustomEvent("walkmap:feature", { detail: feature }));
  }

  pendingFeature(item, extra = {}) {
    const p = item.payload;
    return {
      type: "Feature",
      id: null,
      geometry: p.latitude != null ? { type: "Point", coordinates: [p.longitude, p.latitude] } : null,
      properties: {
        id: null, client_id: item.client_id, walk: this.walkId, theme: p.theme, theme_label: item.theme_label,
        kind: p.kind, description: p.description, crow_score: p.crow_score, address: p.address,
        place_description: p.place_description, observed_at: p.observed_at, state: "new",
        author: this.config.user.name, photos: [], pending: true, ...extra,
      },
    };
  }

  showInList(feature) {
    if (!this.list || feature.id == null) return;
    const p = feature.properties || {};
    const li = document.createElement("li");
    li.className = `card observation observation--${p.state || "new"}`;
    li.id = `waarneming-${feature.id}`;
    li.dataset.observation = String(feature.id);
    const heading = document.createElement("h3");
    const link = document.createElement("a");
    link.href = this.root.dataset.observationUrl.replace(/\/0\/$/, `/${feature.id}/`);
    const theme = p.theme_label ? p.theme_label[0].toUpperCase() + p.theme_label.slice(1) : "";
    const description = p.description || "";
    link.textContent = `${theme}: ${description.length > 80 ? `${description.slice(0, 79)}…` : description}`;
    heading.append(link);
    const meta = document.createElement("p");
    meta.className = "muted";
    const bits = [p.kind === "good" ? this.t.tKindGood : this.t.tKindProblem];
    if (p.author) bits.push(fill(this.t.tSeenBy, { name: p.author }));
    meta.textContent = bits.join(" · ");
    const place = document.createElement("p");
    const where = [p.address, p.place_description].filter(Boolean).join(", ");
    const point = feature.geometry ? `${feature.geometry.coordinates[1]}, ${feature.geometry.coordinates[0]}` : "";
    place.textContent = `${this.t.tPlace}: ${[where, point].filter(Boolean).join(" · ")}`;
    const state = document.createElement("p");
    const badge = document.createElement("span");
    badge.className = `status status--${p.state || "new"}`;
    badge.textContent = p.state_label || "";
    state.append(badge);
    li.append(heading, meta, place, state);
    const existing = document.getElementById(li.id);
    if (existing) {
      existing.replaceWith(li);
      return;
    }
    for (const empty of this.list.querySelectorAll("li:not([data-observation])")) empty.remove();
    this.list.append(li);
  }

  // --- where the group is (organisers, the kern's council, staff) ---------------------------
  enableSharing() {
    this.shareButton = document.querySelector("[data-action=share-position]");
    if (!this.shareButton) return;
    this.shareStatus = document.querySelector("[data-role=share-status]");
    if (!this.config.may_share_position || !navigator.geolocation) return;
    this.shareButton.closest("[data-role=share]").hidden = false;
    this.shareButton.addEventListener("click", () => {
      if (this.shareTimer) this.stopSharing(this.t.tShareStopped);
      else this.startSharing();
    });
    window.addEventListener("pagehide", () => this.stopSharing(""));
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") this.stopSharing(this.t.tShareStopped);
    });
  }

  startSharing() {
    this.shareButton.setAttribute("aria-pressed", "true");
    this.shareStatus.textContent = this.t.tShareOn;
    this.announce(this.t.tShareOn);
    this.sharePosition();
    this.shareTimer = window.setInterval(() => this.sharePosition(), SHARE_EVERY_MS);
  }

  stopSharing(message) {
    if (!this.shareTimer) return;
    clearInterval(this.shareTimer);
    this.shareTimer = null;
    this.shareButton.setAttribute("aria-pressed", "false");
    this.shareStatus.textContent = message;
    this.announce(message);
  }

  sharePosition() {
    navigator.geolocation.getCurrentPosition(
      (position) => {
        if (!this.shareTimer) return; // switched off while the phone looked for its place
        document.dispatchEvent(new CustomEvent("walkmap:share-position", {
          detail: { lat: rounded(position.coords.latitude), lng: rounded(position.coords.longitude) },
        }));
      },
      () => {
        if (this.shareTimer) this.shareStatus.textContent = this.t.tShareFailed;
      },
      { enableHighAccuracy: true, timeout: 20000, maximumAge: 10000 },
    );
  }

  // --- the service worker, persistent storage and map tiles ---------------------------------
  async askPersistence() {
    try {
      if (navigator.storage && navigator.storage.persist && !(await navigator.storage.persisted())) {
        await navigator.storage.persist();
      }
    } catch {
      /* the browser decides */
    }
  }

  async registerWorker() {
    if (!("serviceWorker" in navigator)) return;
    try {
      await navigator.serviceWorker.register(this.root.dataset.swUrl, { scope: this.root.dataset.swScope });
      const registration = await navigator.serviceWorker.ready;
      const key = `${location.origin}${location.pathname}`;
      const kept = window.caches ? await caches.match(key) : null;
      const ok = kept ? true : await this.ask(registration.active, { type: "keep-page", url: location.pathname });
      if (ok === true || (ok && ok.ok)) {
        const ready = this.root.querySelector("[data-role=offline-ready]");
        ready.textContent = this.t.tOfflineReady;
        ready.hidden = false;
        this.root.dataset.offlineReady = "true";
      }
    } catch {
      /* no worker: the page still works online, and queues offline while it stays open */
    }
  }

  ask(worker, message, onProgress) {
    return new Promise((resolve) => {
      if (!worker) {
        resolve(null);
        return;
      }
      const channel = new MessageChannel();
      channel.port1.onmessage = (event) => {
        const data = event.data || {};
        if (data.type === "progress") {
          if (onProgress) onProgress(data);
          return;
        }
        resolve(data);
      };
      worker.postMessage(message, [channel.port2]);
    });
  }

  async keepTiles() {
    const status = document.querySelector("[data-role=tiles-status]");
    const button = document.querySelector("[data-action=tiles]");
    const template = this.mapElement ? this.mapElement.dataset.tileUrl : "";
    const registration = "serviceWorker" in navigator ? await navigator.serviceWorker.getRegistration(this.root.dataset.swScope) : null;
    const worker = registration && registration.active;
    if (!template || !worker) {
      status.textContent = this.t.tTilesUnavailable;
      return;
    }
    const urls = tileUrls(template, routeBounds(this.config.walk));
    button.disabled = true;
    status.textContent = fill(this.t.tTilesBusy, { done: 0, total: urls.length });
    const result = await this.ask(worker, { type: "prefetch-tiles", urls },
      (progress) => { status.textContent = fill(this.t.tTilesBusy, progress); });
    button.disabled = false;
    const text = result && result.failed === 0 ? this.t.tTilesDone : this.t.tTilesFailed;
    status.textContent = text;
    this.announce(text);
  }

  // --- the form -----------------------------------------------------------------------------
  field(name) {
    return this.form.elements.namedItem(name);
  }

  enhanceForm() {
    const form = this.form;
    this.formError = form.querySelector("[data-role=form-error]");
    this.photoList = form.querySelector("[data-role=photos]");
    this.samePanel = form.querySelector("[data-role=same]");
    this.placeStatus = form.querySelector("[data-role=place-status]");
    const photoInput = this.field("photo");
    photoInput.multiple = true;
    photoInput.addEventListener("change", () => this.addPhotos(photoInput));
    // Each photo gets its own description below; the one field of the plain form is not needed.
    const altField = form.querySelector("[data-role=alt-field]");
    if (altField) altField.hidden = true;
    form.querySelector("[data-action=locate]").addEventListener("click", () => this.locate());
    this.photoList.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-photo]");
      if (button) this.removeDraftPhoto(button.dataset.photo);
    });
    this.photoList.addEventListener("input", (event) => {
      const photo = this.draftPhotos.find((p) => p.client_id === event.target.dataset.photoAlt);
      if (photo) photo.alt_text = event.target.value;
    });
    for (const name of ["theme", "latitude", "longitude"]) {
      const element = this.field(name);
      if (element) element.addEventListener("change", () => { this.sameConfirmed = false; this.samePanel.hidden = true; });
    }
    form.querySelector("[data-action=save-anyway]").addEventListener("click", () => {
      this.sameConfirmed = true;
      this.samePanel.hidden = true;
      this.submit();
    });
    form.querySelector("[data-action=same-cancel]").addEventListener("click", () => {
      document.dispatchEvent(new CustomEvent("walkmap:clear-pick"));
      this.resetForm();
      this.announce(this.t.tSameDropped);
      this.field("theme").focus();
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
    this.field("client_id").value = newId();
    form.dataset.enhanced = "true";
  }

  setPoint(lat, lng, message) {
    this.field("latitude").value = rounded(lat).toFixed(6);
    this.field("longitude").value = rounded(lng).toFixed(6);
    this.sameConfirmed = false;
    this.placeStatus.textContent = `${message} (${rounded(lat).toFixed(5)}, ${rounded(lng).toFixed(5)})`;
    this.announce(message);
  }

  onMapTap(event) {
    if (!this.form || !this.db || !event.detail) return;
    const { lat, lng } = event.detail;
    if (Number.isFinite(Number(lat)) && Number.isFinite(Number(lng))) this.setPoint(Number(lat), Number(lng), this.t.tMapTap);
  }

  locate() {
    if (!navigator.geolocation) {
      this.placeStatus.textContent = this.t.tLocateFailed;
      return;
    }
    this.placeStatus.textContent = this.t.tLocating;
    navigator.geolocation.getCurrentPosition(
      (position) => this.setPoint(position.coords.latitude, position.coords.longitude, this.t.tLocated),
      () => {
        this.placeStatus.textContent = this.t.tLocateFailed;
        this.announce(this.t.tLocateFailed);
      },
      { enableHighAccuracy: true, timeout: 20000, maximumAge: 30000 },
    );
  }

  addPhotos(input) {
    const files = [...(input.files || [])];
    input.value = "";
    const max = Number(this.config.max_photos || 4);
    const work = (async () => {
      for (const file of files) {
        if (this.draftPhotos.length >= max) {
          this.showError(fill(this.t.tPhotoTooMany, { n: max }));
          break;
        }
        this.placeStatus.textContent = this.t.tPhotoBusy;
        try {
          const prepared = await preparePhoto(file);
          const photo = {
            client_id: newId(), blob: prepared.blob, name: "foto.jpg", alt_text: "",
            url: URL.createObjectURL(prepared.blob),
          };
          this.draftPhotos.push(photo);
          this.usePhotoMetadata(prepared.exif);
        } catch {
          this.showError(this.t.tPhotoUnreadable);
        }
        if (this.placeStatus.textContent === this.t.tPhotoBusy) this.placeStatus.textContent = "";
      }
      this.renderPhotos();
    })();
    this.photoWork = this.photoWork.then(() => work);
  }

  usePhotoMetadata(exif) {
    if (exif.takenAt && !this.observedAt) {
      const starts = new Date(this.root.dataset.walkStarts);
      const earliest = Number.isNaN(starts.getTime()) ? 0 : starts.getTime() - 24 * 3600 * 1000;
      const taken = exif.takenAt.getTime();
      if (taken >= earliest && taken <= Date.now() + 5 * 60 * 1000) this.observedAt = exif.takenAt;
    }
    if (exif.lat !== null && !this.field("latitude").value && !this.field("longitude").value) {
      this.setPoint(exif.lat, exif.lng, this.t.tPhotoPlace);
    }
  }

  renderPhotos() {
    const rows = this.draftPhotos.map((photo, index) => {
      const li = document.createElement("li");
      li.className = "capture-photo";
      const image = document.createElement("img");
      image.src = photo.url;
      image.alt = "";
      image.width = 96;
      const label = document.createElement("label");
      const inputId = `foto-${photo.client_id}`;
      label.htmlFor = inputId;
      label.textContent = fill(this.t.tPhotoAlt, { n: index + 1 });
      const input = document.createElement("input");
      input.type = "text";
      input.id = inputId;
      input.maxLength = 250;
      input.value = photo.alt_text;
      input.dataset.photoAlt = photo.client_id;
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "button button--secondary";
      remove.dataset.photo = photo.client_id;
      remove.textContent = fill(this.t.tPhotoRemove, { n: index + 1 });
      const text = document.createElement("div");
      text.className = "capture-photo__text";
      text.append(label, input, remove);
      li.append(image, text);
      return li;
    });
    this.photoList.replaceChildren(...rows);
    this.photoList.hidden = rows.length === 0;
  }

  removeDraftPhoto(clientId) {
    const photo = this.draftPhotos.find((p) => p.client_id === clientId);
    if (photo && photo.url) URL.revokeObjectURL(photo.url);
    this.draftPhotos = this.draftPhotos.filter((p) => p.client_id !== clientId);
    this.renderPhotos();
    this.field("photo").focus();
  }

  showError(text) {
    this.formError.textContent = text;
    this.formError.hidden = !text;
  }

  values() {
    const value = (name) => {
      const element = this.field(name);
      return element && typeof element.value === "string" ? element.value.trim() : "";
    };
    return {
      theme: value("theme"), kind: value("kind") || "problem", description: value("description"),
      crow_score: value("crow_score"), address: value("address"), place_description: value("place_description"),
      latitude: value("latitude").replace(",", "."), longitude: value("longitude").replace(",", "."),
    };
  }

  validate(v) {
    if (!v.description) return ["description", this.t.tNeedDescription];
    const lat = v.latitude === "" ? null : Number(v.latitude);
    const lng = v.longitude === "" ? null : Number(v.longitude);
    if ((lat === null) !== (lng === null) || Number.isNaN(lat) || Number.isNaN(lng)) {
      return [lat === null || Number.isNaN(lat) ? "latitude" : "longitude", this.t.tBothCoordinates];
    }
    if (lat === null && !v.address && !v.place_description) return ["address", this.t.tNeedPlace];
    return null;
  }

  async submit() {
    await this.photoWork;
    const v = this.values();
    const problem = this.validate(v);
    if (problem) {
      this.showError(problem[1]);
      const element = this.field(problem[0]);
      const details = element && element.closest("details");
      if (details) details.open = true;
      if (element) {
        element.setAttribute("aria-invalid", "true");
        element.focus();
      }
      return;
    }
    this.showError("");
    for (const element of this.form.querySelectorAll("[aria-invalid=true]")) element.removeAttribute("aria-invalid");
    const lat = v.latitude === "" ? null : rounded(v.latitude);
    const lng = v.longitude === "" ? null : rounded(v.longitude);
    if (lat !== null && !this.sameConfirmed) {
      const same = await this.nearby(v.theme, lat, lng);
      if (same.length) {
        this.showSame(same);
        return;
      }
    }
    await this.save(v, lat, lng);
  }

  showSame(same) {
    this.samePanel.querySelector("[data-role=same-intro]").textContent = fill(this.t.tSameIntro, { m: this.config.same_place_metres });
    const rows = same.slice(0, 5).map((found) => {
      const li = document.createElement("li");
      li.textContent = `${found.text} (${Math.round(found.distance)} m${found.who ? `, ${found.who}` : ""})`;
      return li;
    });
    this.samePanel.querySelector("[data-role=same-list]").replaceChildren(...rows);
    this.samePanel.hidden = false;
    this.samePanel.focus();
  }

  async save(v, lat, lng) {
    const clientId = this.editing || this.field("client_id").value || newId();
    const themeOption = this.field("theme").selectedOptions[0];
    const previous = this.editing ? await this.db.get("outbox", clientId) : null;
    const item = {
      client_id: clientId,
      walk: this.walkId,
      user: this.userId,
      created_at: previous ? previous.created_at : new Date().toISOString(),
      theme_label: themeOption ? themeOption.textContent.trim() : v.theme,
      server_id: null,
      error: "",
      payload: {
        client_id: clientId, theme: v.theme, kind: v.kind, description: v.description, crow_score: v.crow_score,
        latitude: lat, longitude: lng, address: v.address, place_description: v.place_description,
        observed_at: (this.observedAt || (previous && new Date(previous.payload.observed_at)) || new Date()).toISOString(),
      },
    };
    const tx = this.db.transaction(["outbox", "photos"], "readwrite");
    const photos = tx.objectStore("photos");
    for (const key of await photos.index("observation").getAllKeys(clientId)) photos.delete(key);
    this.draftPhotos.forEach((photo, order) => {
      photos.put({ client_id: photo.client_id, observation: clientId, blob: photo.blob, name: photo.name,
        alt_text: photo.alt_text, order, error: "" });
    });
    tx.objectStore("outbox").put(item);
    await tx.done;
    this.mine.add(clientId);
    this.dispatchFeature(this.pendingFeature(item));
    document.dispatchEvent(new CustomEvent("walkmap:clear-pick"));
    this.resetForm();
    const waiting = await this.render();
    this.announce(`${this.t.tSaved} ${this.waitingText(waiting)}`);
    this.field("theme").focus();
    if (navigator.onLine) this.sync();
  }

  resetForm() {
    for (const photo of this.draftPhotos) if (photo.url) URL.revokeObjectURL(photo.url);
    this.draftPhotos = [];
    this.renderPhotos();
    this.form.reset();
    this.field("client_id").value = newId();
    this.editing = null;
    this.observedAt = null;
    this.sameConfirmed = false;
    this.samePanel.hidden = true;
    this.placeStatus.textContent = "";
    this.showError("");
    const editing = this.form.querySelector("[data-role=editing]");
    editing.hidden = true;
  }

  async edit(item) {
    if (!this.form) return;
    this.resetForm();
    this.editing = item.client_id;
    const p = item.payload;
    for (const name of ["theme", "description", "crow_score", "address", "place_description"]) {
      if (this.field(name)) this.field(name).value = p[name] || "";
    }
    const kind = this.form.querySelector(`input[name=kind][value="${p.kind}"]`);
    if (kind) kind.checked = true;
    this.field("latitude").value = p.latitude != null ? p.latitude.toFixed(6) : "";
    this.field("longitude").value = p.longitude != null ? p.longitude.toFixed(6) : "";
    this.field("client_id").value = item.client_id;
    this.observedAt = new Date(p.observed_at);
    this.draftPhotos = (await this.photosOf(item.client_id)).map((photo) => ({
      client_id: photo.client_id, blob: photo.blob, name: photo.name, alt_text: photo.alt_text,
      url: URL.createObjectURL(photo.blob),
    }));
    this.renderPhotos();
    const editing = this.form.querySelector("[data-role=editing]");
    editing.textContent = `${this.t.tEditing} ${item.error ? fill(this.t.tStatusError, { detail: item.error }) : ""}`;
    editing.hidden = false;
    this.showError(item.error || "");
    this.field("description").focus();
  }
}

const root = document.querySelector("[data-capture-app]");
const config = readJson("capture-config");
if (root && config) {
  const app = new CaptureApp(root, config);
  app.start();
}
