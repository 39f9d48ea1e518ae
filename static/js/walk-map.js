// Walk maps (wijkschouw): the walk's map ([data-walk-map]) and the route editor ([data-route-editor]).
//
// Leaflet and leaflet.markercluster are loaded as classic deferred scripts before this module
// (maps/includes/assets.html), so window.L exists when it runs. Everything here is an enhancement:
// each page also lists every observation as text, and a route or a place can be typed. Without tiles
// the map still draws the municipality's outline, the route and the markers, and says so. Every text
// this module shows comes from data-t-* attributes in the templates (translated there).
//
// DOM events, all on `document`, all CustomEvents:
//
//   Dispatched by this module
//     walkmap:feature    detail = an observation Feature from the live stream (observation.added,
//                        observation.changed, replays included), with `detail.fromMap = true`.
//                        A feature whose properties.state is "merged" has left the map.
//     walkmap:position   detail = {lat, lng, at}: where the group is (group.position; not stored).
//     walkmap:tap        detail = {lat, lng} (6 decimals): the place chosen for a new observation on
//                        a map with data-pick, whenever it is chosen or moved (tap or click, drag,
//                        Enter on the keyboard cross, arrow keys on the focused pin).
//     walkmap:ready      detail = {walk, lastSeq}: the map and the observations it fetched are there.
//
//   Listened to by this module (dispatched by others, e.g. static/js/walk-capture.js)
//     walkmap:feature    detail = a Feature to show or update; ignored when `detail.fromMap` is set
//                        (that is this module's own). `properties.pending = true` shows it as "not sent
//                        yet"; it is matched by `properties.client_id` (and `properties.id` once known),
//                        so the live event of the stored observation replaces it. `properties.state =
//                        "merged"` or `properties.removed = true` takes it off the map.
//     walkmap:clear-pick no detail: removes the "new observation" pin (after it was saved or dropped).
//     walkmap:share-position detail = {lat, lng}: sends the group's position over this map's live
//                        connection (only organisers may; the server refuses others).

const L = window.L;

const STEP_PX = 10;
const BIG_STEP_PX = 50;
const EDGE_PX = 24;

// --- shared helpers ------------------------------------------------------------------------------

function readJson(id) {
  const script = id && document.getElementById(id);
  if (!script) return null;
  try {
    return JSON.parse(script.textContent);
  } catch {
    return null;
  }
}

async function fetchJson(url) {
  if (!url) return null;
  try {
    const response = await fetch(url, {
      headers: { Accept: "application/geo+json, application/json" },
      credentials: "same-origin",
    });
    return response.ok ? await response.json() : null;
  } catch {
    return null;
  }
}

function round6(value) {
  return Math.round(value * 1e6) / 1e6;
}

function coords(latlng) {
  return `${latlng.lat.toFixed(5)}, ${latlng.lng.toFixed(5)}`;
}

function camel(key) {
  return key.replace(/[_-](\w)/g, (_, c) => c.toUpperCase()).replace(/^\w/, (c) => c.toUpperCase());
}

function strings(el) {
  return (key, fallback = "") => el.dataset[`t${camel(key)}`] || fallback;
}

let uid = 0;
function nextId(prefix) {
  uid += 1;
  return `${prefix}-${uid}`;
}

// A DivIcon that names itself: the marker element (role="button" when focusable) gets an aria-label.
const LabelledIcon = L
  ? L.DivIcon.extend({
      createIcon(oldIcon) {
        const div = L.DivIcon.prototype.createIcon.call(this, oldIcon);
        if (this.options.ariaLabel) div.setAttribute("aria-label", this.options.ariaLabel);
        else div.removeAttribute("aria-label");
        return div;
      },
    })
  : null;

function textNode(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  node.textContent = text;
  return node;
}

function iconHtml(className, symbol, label) {
  // Built as nodes and serialised: labels are plain text, never markup from a user.
  const box = document.createElement("span");
  box.className = className;
  const mark = textNode("span", "walk-marker__symbol", symbol);
  mark.setAttribute("aria-hidden", "true");
  box.append(mark);
  if (label) box.append(textNode("span", "walk-marker__label", label));
  return box.outerHTML;
}

// The map itself: the canvas with its label and instructions, tiles with a notice when they fail,
// and the municipality's bounds to start from.
function baseMap(el, { keyboard, role }) {
  const t = strings(el);
  el.classList.add("map--active");
  const canvas = document.createElement("div");
  canvas.className = "map__canvas";
  canvas.setAttribute("role", role);
  canvas.setAttribute("aria-label", el.dataset.label || "Kaart");
  const help = el.querySelector("[data-map-help]");
  if (help) {
    help.id = help.id || nextId("map-help");
    help.hidden = false;
    canvas.setAttribute("aria-describedby", help.id);
  }
  el.prepend(canvas);
  const still = !motion();
  const map = L.map(canvas, {
    scrollWheelZoom: false, keyboard, zoomControl: false,
    fadeAnimation: !still, zoomAnimation: !still, markerZoomAnimation: !still,
  });
  L.control.zoom({ zoomInTitle: t("zoom-in", "Inzoomen"), zoomOutTitle: t("zoom-out", "Uitzoomen") }).addTo(map);
  if (!keyboard) canvas.tabIndex = 0; // our own keyboard handling below; Leaflet's would only pan
  const notice = el.querySelector("[data-map-notice]");
  const noTiles = () => {
    el.classList.add("map--no-tiles");
    if (notice) notice.hidden = false;
  };
  if (el.dataset.tileUrl) {
    const tiles = L.tileLayer(el.dataset.tileUrl, { maxZoom: 19, attribution: el.dataset.tileAttribution || "" });
    let failed = false;
    tiles.on("tileerror", () => {
      if (failed) return;
      failed = true;
      noTiles();
    });
    tiles.addTo(map);
  } else {
    noTiles();
  }
  const bounds = municipalityBounds(el);
  if (bounds) map.fitBounds(bounds);
  else map.setView([51.89, 4.85], 11);
  drawBoundary(map, el);
  return { map, canvas };
}

function motion() {
  return !(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
}

function municipalityBounds(el) {
  const values = ["south", "west", "north", "east"].map((k) => parseFloat(el.dataset[k]));
  if (!values.every(Number.isFinite)) return null;
  const [south, west, north, east] = values;
  return [[south, west], [north, east]];
}

async function drawBoundary(map, el) {
  const area = await fetchJson(el.dataset.boundaryUrl);
  if (area) {
    L.geoJSON(area, {
      interactive: false,
      style: { color: "#1d5c3a", weight: 2, fill: true, fillOpacity: 0.04 },
    }).addTo(map);
  }
}

function moveByPixels(map, latlng, dx, dy) {
  // Move a point on screen; pan the map when it would leave the view.
  const size = map.getSize();
  const point = map.latLngToContainerPoint(latlng).add([dx, dy]);
  const next = map.containerPointToLatLng(point);
  let panX = 0;
  let panY = 0;
  if (point.x < EDGE_PX) panX = point.x - EDGE_PX;
  if (point.x > size.x - EDGE_PX) panX = point.x - (size.x - EDGE_PX);
  if (point.y < EDGE_PX) panY = point.y - EDGE_PX;
  if (point.y > size.y - EDGE_PX) panY = point.y - (size.y - EDGE_PX);
  if (panX || panY) map.panBy([panX, panY], { animate: false });
  return next;
}

function arrowDelta(event) {
  const step = event.shiftKey ? BIG_STEP_PX : STEP_PX;
  switch (event.key) {
    case "ArrowLeft": return [-step, 0];
    case "ArrowRight": return [step, 0];
    case "ArrowUp": return [0, -step];
    case "ArrowDown": return [0, step];
    default: return null;
  }
}

// The keyboard cross: with the map focused, the arrow keys move it, Enter and Backspace act on it,
// + and - zoom. The status line says where it is (visible and read out).
function keyboardCross(map, canvas, { onEnter, onBackspace, say, label }) {
  let at = null;
  const icon = new LabelledIcon({
    className: "walk-cross",
    html: '<span class="walk-cross__mark" aria-hidden="true"></span>',
    iconSize: [36, 36],
    iconAnchor: [18, 18],
  });
  const marker = L.marker([0, 0], { icon, interactive: false, keyboard: false, zIndexOffset: 1000 });
  const show = () => {
    if (!at || !map.getBounds().contains(at)) at = map.getCenter();
    marker.setLatLng(at);
    if (!map.hasLayer(marker)) marker.addTo(map);
    say(`${label}: ${coords(at)}`);
  };
  canvas.addEventListener("focus", (event) => {
    if (event.target === canvas && canvas.matches(":focus-visible")) show();
  });
  canvas.addEventListener("blur", () => marker.remove());
  canvas.addEventListener("keydown", (event) => {
    if (event.target !== canvas || event.altKey || event.ctrlKey || event.metaKey) return;
    const delta = arrowDelta(event);
    if (delta) {
      event.preventDefault();
      if (!map.hasLayer(marker)) show();
      at = moveByPixels(map, at, ...delta);
      marker.setLatLng(at);
      say(`${label}: ${coords(at)}`);
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      if (!map.hasLayer(marker)) show();
      onEnter(at);
    } else if (event.key === "Backspace" || event.key === "Delete") {
      if (!onBackspace) return;
      event.preventDefault();
      onBackspace();
    } else if (event.key === "+" || event.key === "=") {
      event.preventDefault();
      map.zoomIn();
    } else if (event.key === "-" || event.key === "_") {
      event.preventDefault();
      map.zoomOut();
    }
  });
  map.on("zoomend moveend", () => {
    if (map.hasLayer(marker) && at && !map.getBounds().contains(at)) {
      at = map.getCenter();
      marker.setLatLng(at);
    }
  });
}

// Arrow keys on a focused draggable marker move it; `done` hears the new place.
function arrowMovable(map, marker, done) {
  const element = marker.getElement();
  if (!element) return;
  element.addEventListener("keydown", (event) => {
    const delta = arrowDelta(event);
    if (!delta || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    event.stopPropagation();
    marker.setLatLng(moveByPixels(map, marker.getLatLng(), ...delta));
    done(marker.getLatLng());
  });
}

// --- the walk's map ------------------------------------------------------------------------------

const STATE_SYMBOL = { problem: "!", good: "✓" };

class WalkMap {
  constructor(el) {
    this.el = el;
    this.t = strings(el);
    this.data = readJson("walk-data") || {};
    this.pick = "pick" in el.dataset;
    this.select = "select" in el.dataset;
    this.status = el.querySelector("[data-map-status]");
    this.liveStatus = el.querySelector("[data-map-live]");
    this.entries = new Map(); // "id:<pk>" and "client:<uuid>" -> {marker, feature}
    const { map, canvas } = baseMap(el, { keyboard: !this.pick, role: this.pick ? "application" : "region" });
    this.map = map;
    this.canvas = canvas;
    this.cluster = L.markerClusterGroup
      ? L.markerClusterGroup({
          showCoverageOnHover: false,
          animate: motion(),
          maxClusterRadius: 40,
          iconCreateFunction: (cluster) => this.clusterIcon(cluster),
        })
      : L.featureGroup();
    map.addLayer(this.cluster);
    this.drawRoute(this.data);
    this.fitToRoute();

    document.addEventListener("walkmap:feature", (event) => {
      if (!event.detail || event.detail.fromMap) return;
      this.upsert(event.detail);
    });
    if (this.select) this.followCheckboxes();
    if (this.pick) this.enablePick();
    this.load();
  }

  say(text) {
    if (this.status) this.status.textContent = text;
  }

  // Route and meeting point --------------------------------------------------------------------
  drawRoute({ route, meeting, meeting_point: meetingPoint }) {
    for (const layer of [this.routeCasing, this.routeLine, this.meetingMarker]) if (layer) layer.remove();
    this.routeCasing = null;
    this.routeLine = null;
    this.meetingMarker = null;
    if (Array.isArray(route) && route.length) {
      const latlngs = route.map(([lng, lat]) => [lat, lng]);
      this.routeCasing = L.polyline(latlngs, { color: "#ffffff", weight: 8, opacity: 0.9, interactive: false })
        .addTo(this.map);
      this.routeLine = L.polyline(latlngs, { color: "#123d26", weight: 4, dashArray: "8 6", interactive: false })
        .addTo(this.map);
    }
    if (Array.isArray(meeting) && meeting.length === 2) {
      const label = this.t("meeting", "Verzamelplek");
      this.meetingMarker = L.marker([meeting[1], meeting[0]], {
        icon: new LabelledIcon({
          className: "walk-marker-icon",
          html: iconHtml("walk-marker walk-marker--meeting", "⚑", label),
          iconSize: null,
          iconAnchor: [14, 14],
          ariaLabel: meetingPoint ? `${label}: ${meetingPoint}` : label,
        }),
        keyboard: false,
        interactive: false,
        zIndexOffset: -1000, // observations on the same spot stay on top
      }).addTo(this.map);
    }
  }

  fitToRoute() {
    if (this.routeLine) {
      this.map.fitBounds(this.routeLine.getBounds(), { padding: [24, 24], maxZoom: 17 });
      return true;
    }
    if (this.meetingMarker) {
      this.map.setView(this.meetingMarker.getLatLng(), 16);
      return true;
    }
    return false;
  }

  // Observations -------------------------------------------------------------------------------
  async load() {
    let url = this.el.dataset.featuresUrl;
    let lastSeq = null;
    let pages = 0;
    while (url && pages < 20) {
      const data = await fetchJson(url);
      if (!data || !Array.isArray(data.features)) break;
      if (lastSeq === null && typeof data.last_seq === "number") lastSeq = data.last_seq;
      for (const feature of data.features) this.upsert(feature, { fetched: true });
      url = data.next;
      pages += 1;
    }
    if (!this.routeLine && !this.meetingMarker && this.cluster.getLayers().length) {
      this.map.fitBounds(this.cluster.getBounds(), { maxZoom: 17, padding: [24, 24] });
    }
    const pageSeq = parseInt(this.el.dataset.lastSeq || "0", 10) || 0;
    // The fetch read its sequence number before its rows: nothing after it is missing.
    const after = lastSeq === null ? pageSeq : lastSeq;
    if (this.el.dataset.liveUrl) this.startLive(after);
    this.el.dataset.ready = "true";
    document.dispatchEvent(new CustomEvent("walkmap:ready", { detail: { walk: this.data.id, lastSeq: after } }));
  }

  // Every entry this feature stands for: by its id, and by the client id a pending copy was shown with.
  matches(properties) {
    const found = new Set();
    const byId = properties.id != null ? this.entries.get(`id:${properties.id}`) : null;
    if (byId) found.add(byId);
    if (properties.client_id && this.entries.has(`client:${properties.client_id}`)) {
      found.add(this.entries.get(`client:${properties.client_id}`));
    }
    return [...found];
  }

  forget(entry) {
    this.cluster.removeLayer(entry.marker);
    for (const [key, value] of this.entries) if (value === entry) this.entries.delete(key);
  }

  upsert(feature, { fetched = false } = {}) {
    const properties = (feature && feature.properties) || {};
    const existing = this.matches(properties);
    // A fetched snapshot never overwrites what the live stream or the capture app already said.
    if (existing.length && fetched) return;
    for (const entry of existing) this.forget(entry);
    if (properties.state === "merged" || properties.removed) return;
    const geometry = feature.geometry;
    if (!geometry || geometry.type !== "Point" || !Array.isArray(geometry.coordinates)) return; // placed by words
    const [lng, lat] = geometry.coordinates;
    const entry = { feature, marker: null };
    entry.marker = L.marker([lat, lng], { icon: this.icon(feature), keyboard: true, riseOnHover: true });
    entry.marker.feature = feature;
    if (this.select && properties.id != null) {
      entry.marker.on("click", () => this.toggle(properties.id));
    } else {
      entry.marker.bindPopup(() => this.popup(feature));
    }
    this.cluster.addLayer(entry.marker);
    if (properties.id != null) this.entries.set(`id:${properties.id}`, entry);
    if (properties.client_id) this.entries.set(`client:${properties.client_id}`, entry);
  }

  stateLabel(state) {
    return this.t(`state-${state}`, state || "");
  }

  icon(feature) {
    const p = feature.properties || {};
    const kind = p.kind === "good" ? "good" : "problem";
    const selected = this.select && this.isChecked(p.id);
    const stateText = p.pending ? this.t("pending", "nog niet verstuurd") : this.stateLabel(p.state);
    const kindText = this.t(kind, kind === "good" ? "Goed" : "Iets mis");
    const label = p.state && p.state !== "new" || p.pending ? `${kindText} · ${stateText}` : kindText;
    const classes = ["walk-marker", `walk-marker--${kind}`, `walk-marker--state-${(p.state || "new").replace("_", "-")}`];
    if (p.pending) classes.push("walk-marker--pending");
    if (selected) classes.push("walk-marker--selected");
    const name = [p.theme_label, p.description].filter(Boolean).join(": ");
    const parts = [kindText, name, p.pending ? stateText : p.state_label];
    if (selected) parts.push(this.t("selected", "gekozen"));
    return new LabelledIcon({
      className: "walk-marker-icon",
      html: iconHtml(classes.join(" "), STATE_SYMBOL[kind], label),
      iconSize: null,
      iconAnchor: [14, 14],
      ariaLabel: parts.filter(Boolean).join(". ").slice(0, 240),
    });
  }

  clusterIcon(cluster) {
    const count = cluster.getChildCount();
    const pending = cluster.getAllChildMarkers().some((m) => m.feature && m.feature.properties.pending);
    return new LabelledIcon({
      className: `walk-cluster${pending ? " walk-cluster--pending" : ""}`,
      html: `<span>${count}</span>`,
      iconSize: [40, 40],
      ariaLabel: `${count} ${this.t("observations", "waarnemingen")}`,
    });
  }

  popup(feature) {
    const p = feature.properties || {};
    const box = document.createElement("div");
    box.className = "walk-popup";
    box.append(textNode("strong", "", p.theme_label || ""));
    box.append(textNode("p", "", p.description || ""));
    const state = textNode("p", "walk-popup__state", p.pending ? this.t("pending", "nog niet verstuurd") : p.state_label || "");
    box.append(state);
    if (p.id != null && !p.pending) {
      const link = document.createElement("a");
      link.href = (this.el.dataset.observationUrl || "/wijkschouw/waarneming/0/").replace(/\/0\/$/, `/${p.id}/`);
      link.textContent = this.t("open", "Bekijk de waarneming");
      box.append(link);
    }
    return box;
  }

  // Triage: the check boxes in the list are the source of truth ------------------------------
  checkbox(id) {
    return document.querySelector(`input[name="observations"][value="${CSS.escape(String(id))}"]`);
  }

  isChecked(id) {
    const box = id != null ? this.checkbox(id) : null;
    return Boolean(box && box.checked);
  }

  toggle(id) {
    const box = this.checkbox(id);
    const item = document.getElementById(`waarneming-${id}`) || box;
    if (box && !box.disabled) {
      box.checked = !box.checked;
      box.dispatchEvent(new Event("change", { bubbles: true }));
      const entry = this.entries.get(`id:${id}`);
      const name = entry ? entry.feature.properties.theme_label : "";
      this.say(`${box.checked ? this.t("checked", "Aangevinkt") : this.t("unchecked", "Niet meer aangevinkt")}: ${name}`);
    }
    if (item) item.scrollIntoView({ block: "nearest" });
  }

  refresh(id) {
    const entry = this.entries.get(`id:${id}`);
    if (entry) entry.marker.setIcon(this.icon(entry.feature));
  }

  followCheckboxes() {
    document.addEventListener("change", (event) => {
      const box = event.target;
      if (box instanceof HTMLInputElement && box.name === "observations") this.refresh(box.value);
    });
  }

  // A new observation's place ----------------------------------------------------------------
  enablePick() {
    this.map.on("click", (event) => this.place(event.latlng));
    keyboardCross(this.map, this.canvas, {
      label: this.t("cursor", "Het kruis staat op"),
      say: (text) => this.say(text),
      onEnter: (latlng) => this.place(latlng),
    });
    document.addEventListener("walkmap:clear-pick", () => {
      if (this.pickMarker) this.pickMarker.remove();
      this.pickMarker = null;
      this.say("");
    });
  }

  place(latlng) {
    const label = this.t("new-point", "Nieuwe waarneming");
    if (!this.pickMarker) {
      this.pickMarker = L.marker(latlng, {
        icon: new LabelledIcon({
          className: "walk-marker-icon",
          html: iconHtml("walk-marker walk-marker--new", "+", label),
          iconSize: null,
          iconAnchor: [14, 14],
          ariaLabel: label,
        }),
        draggable: true,
        keyboard: true,
        zIndexOffset: 900,
      }).addTo(this.map);
      this.pickMarker.on("dragend", () => this.announcePick(this.pickMarker.getLatLng()));
      arrowMovable(this.map, this.pickMarker, (at) => this.announcePick(at));
    } else {
      this.pickMarker.setLatLng(latlng);
    }
    this.announcePick(latlng);
  }

  announcePick(latlng) {
    this.say(`${this.t("placed", "Plek van de nieuwe waarneming")}: ${coords(latlng)}`);
    document.dispatchEvent(new CustomEvent("walkmap:tap", {
      detail: { lat: round6(latlng.lat), lng: round6(latlng.lng) },
    }));
  }

  // Live ---------------------------------------------------------------------------------------
  async startLive(after) {
    const { LiveLink } = await import(this.el.dataset.liveLink); // static/js/live-link.js
    this.live = new LiveLink(this.el.dataset.liveUrl, after, {
      onEvent: (message) => this.onEvent(message),
      onState: (state) => {
        this.el.dataset.connection = state;
        if (!this.liveStatus) return;
        this.liveStatus.hidden = state !== "reconnecting";
        this.liveStatus.textContent = state === "reconnecting" ? this.t("reconnecting", "") : "";
      },
    });
    document.addEventListener("walkmap:share-position", (event) => {
      const { lat, lng } = event.detail || {};
      if (Number.isFinite(lat) && Number.isFinite(lng)) this.live.send({ type: "position", lat, lng });
    });
  }

  onEvent({ type, data }) {
    if (!data) return;
    if (type === "observation.added" || type === "observation.changed") {
      const isNew = type === "observation.added" && !this.matches(data.properties || {}).length;
      this.upsert(data);
      if (this.select && data.properties && data.properties.id != null) this.refresh(data.properties.id);
      if (isNew && data.properties && !this.pick) {
        this.say(`${this.t("added", "Nieuw op de kaart")}: ${data.properties.theme_label || ""}`);
      }
      document.dispatchEvent(new CustomEvent("walkmap:feature", { detail: { ...data, fromMap: true } }));
    } else if (type === "group.position") {
      this.showGroup(data);
      document.dispatchEvent(new CustomEvent("walkmap:position", { detail: { ...data } }));
    } else if (type === "walk.changed") {
      this.data = { ...this.data, ...data };
      if (Array.isArray(data.route)) this.drawRoute(this.data);
    }
  }

  showGroup({ lat, lng }) {
    if (!Number.isFinite(lat) || !Number.isFinite(lng)) return;
    if (this.groupMarker) {
      this.groupMarker.setLatLng([lat, lng]);
      return;
    }
    const label = this.t("group", "De groep is hier");
    this.groupMarker = L.marker([lat, lng], {
      icon: new LabelledIcon({
        className: "walk-marker-icon",
        html: iconHtml("walk-marker walk-marker--group", "●", label),
        iconSize: null,
        iconAnchor: [14, 14],
        ariaLabel: label,
      }),
      keyboard: false,
      interactive: false,
      zIndexOffset: 800,
    }).addTo(this.map);
  }
}

// --- the route editor ----------------------------------------------------------------------------

class RouteEditor {
  constructor(el) {
    this.el = el;
    this.t = strings(el);
    this.input = document.getElementById(el.dataset.routeInput);
    if (!this.input) return;
    this.status = el.querySelector("[data-map-status]");
    this.points = this.read();
    this.vertices = [];
    const { map, canvas } = baseMap(el, { keyboard: false, role: "application" });
    this.map = map;
    this.canvas = canvas;
    this.casing = L.polyline([], { color: "#ffffff", weight: 8, opacity: 0.9, interactive: false }).addTo(map);
    this.line = L.polyline([], { color: "#123d26", weight: 4, interactive: false }).addTo(map);
    map.on("click", (event) => this.add(event.latlng));
    keyboardCross(map, canvas, {
      label: this.t("cursor", "Het kruis staat op"),
      say: (text) => this.say(text),
      onEnter: (latlng) => this.add(latlng),
      onBackspace: () => this.removeAt(this.points.length - 1),
    });
    this.tools();
    this.render();
    const lat = parseFloat(el.dataset.centreLat);
    const lng = parseFloat(el.dataset.centreLng);
    if (this.points.length) map.fitBounds(L.latLngBounds(this.points), { padding: [32, 32], maxZoom: 17 });
    else if (Number.isFinite(lat) && Number.isFinite(lng)) map.setView([lat, lng], 15);
    el.dataset.ready = "true";
  }

  read() {
    try {
      const route = JSON.parse(this.input.value || "[]");
      if (!Array.isArray(route)) return [];
      return route
        .filter((p) => Array.isArray(p) && p.length === 2 && p.every((v) => Number.isFinite(Number(v))))
        .map(([lng, lat]) => L.latLng(Number(lat), Number(lng)));
    } catch {
      return [];
    }
  }

  write() {
    this.input.value = this.points.length
      ? JSON.stringify(this.points.map((p) => [round6(p.lng), round6(p.lat)]))
      : "";
    this.input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  say(text) {
    if (this.status) this.status.textContent = text;
  }

  summary() {
    const n = this.points.length;
    return n ? `${n} ${this.t("points", "punten op de route")}` : this.t("no-points", "Nog geen punten op de route.");
  }

  tools() {
    const box = this.el.querySelector("[data-route-tools]");
    if (!box) return;
    box.hidden = false;
    const on = (selector, handler) => {
      const button = box.querySelector(selector);
      if (button) button.addEventListener("click", handler);
    };
    on("[data-route-undo]", () => this.removeAt(this.points.length - 1));
    on("[data-route-clear]", () => {
      this.points = [];
      this.render();
      this.write();
      this.say(this.t("cleared", "De route is gewist."));
    });
    on("[data-route-meeting]", () => this.useFirstAsMeeting());
  }

  useFirstAsMeeting() {
    const latInput = document.getElementById(this.el.dataset.meetingLatInput);
    const lngInput = document.getElementById(this.el.dataset.meetingLngInput);
    if (!latInput || !lngInput) return;
    if (!this.points.length) {
      this.say(this.t("meeting-none", "Zet eerst een punt op de kaart."));
      return;
    }
    const first = this.points[0];
    latInput.value = round6(first.lat).toFixed(6);
    lngInput.value = round6(first.lng).toFixed(6);
    for (const input of [latInput, lngInput]) {
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
    this.say(`${this.t("meeting-set", "De verzamelplek is ingevuld met het eerste punt")}: ${coords(first)}`);
  }

  add(latlng) {
    this.points.push(L.latLng(latlng.lat, latlng.lng));
    this.render();
    this.write();
    this.say(`${this.t("added", "Punt toegevoegd")}: ${coords(latlng)}. ${this.summary()}`);
  }

  removeAt(index) {
    if (index < 0 || index >= this.points.length) return;
    const focused = this.vertices[index] && this.vertices[index].getElement() === document.activeElement;
    this.points.splice(index, 1);
    this.map.closePopup();
    this.render();
    this.write();
    this.say(`${this.t("removed", "Punt weggehaald")}. ${this.summary()}`);
    if (focused) this.canvas.focus();
  }

  moved(index, latlng) {
    this.points[index] = L.latLng(latlng.lat, latlng.lng);
    this.line.setLatLngs(this.points);
    this.casing.setLatLngs(this.points);
    this.write();
    this.say(`${this.t("moved", "Punt verplaatst")}: ${coords(latlng)}`);
  }

  vertexLabel(index) {
    return `${this.t("point", "Routepunt")} ${index + 1} ${this.t("of", "van")} ${this.points.length}`;
  }

  render() {
    this.line.setLatLngs(this.points);
    this.casing.setLatLngs(this.points);
    for (const marker of this.vertices) marker.remove();
    this.vertices = this.points.map((latlng, index) => {
      const marker = L.marker(latlng, {
        icon: new LabelledIcon({
          className: "walk-marker-icon",
          html: iconHtml("route-point", String(index + 1), ""),
          iconSize: [32, 32],
          iconAnchor: [16, 16],
          ariaLabel: this.vertexLabel(index),
        }),
        draggable: true,
        keyboard: true,
      }).addTo(this.map);
      marker.on("drag", () => {
        this.line.setLatLngs(this.points.map((p, i) => (i === index ? marker.getLatLng() : p)));
      });
      marker.on("dragend", () => this.moved(index, marker.getLatLng()));
      marker.bindPopup(() => {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "route-point__remove";
        button.textContent = `${this.t("remove-point", "Dit punt weghalen")} (${index + 1})`;
        button.addEventListener("click", () => this.removeAt(index));
        return button;
      });
      arrowMovable(this.map, marker, (at) => this.moved(index, at));
      marker.getElement().addEventListener("keydown", (event) => {
        if (event.key !== "Delete" && event.key !== "Backspace") return;
        event.preventDefault();
        event.stopPropagation();
        this.removeAt(index);
      });
      return marker;
    });
  }
}

// --- start ---------------------------------------------------------------------------------------

function boot() {
  if (!L) return; // Leaflet did not load: the text alternatives already on the page are the map.
  for (const el of document.querySelectorAll("[data-walk-map]")) {
    if (el.dataset.walkMapReady) continue;
    el.dataset.walkMapReady = "true";
    new WalkMap(el);
  }
  for (const el of document.querySelectorAll("[data-route-editor]")) {
    if (el.dataset.walkMapReady) continue;
    el.dataset.walkMapReady = "true";
    new RouteEditor(el);
  }
}

boot();
