// Maps for Samenlab: show places ([data-map]) and pick a place ([data-map-picker]).
//
// Leaflet (vendor/leaflet/leaflet.js) and marker clustering are loaded as classic deferred scripts
// before this module, so window.L exists when it runs. Everything here is an enhancement: the page
// already lists every place as text, and a place can be chosen by kern, by a typed description or
// by typed coordinates. When Leaflet or the tiles do not load (no internet, a blocked tile server),
// the map still draws the municipality's outline and the markers, and says that the background is
// missing.

const L = window.L;

function text(el, name, fallback) {
  return el.dataset[name] || fallback;
}

function readJson(id) {
  const script = id && document.getElementById(id);
  if (!script) return null;
  try {
    return JSON.parse(script.textContent);
  } catch {
    return null;
  }
}

// Ray casting over the GeoJSON rings (lng, lat). The server checks again; this only answers early.
function inRing(lng, lat, ring) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function inPolygon(lng, lat, rings) {
  return inRing(lng, lat, rings[0]) && !rings.slice(1).some((hole) => inRing(lng, lat, hole));
}

function inArea(geojson, lat, lng) {
  if (!geojson) return true; // unknown area: leave the decision to the server
  const features = geojson.type === "FeatureCollection" ? geojson.features : [geojson];
  return features.some((feature) => {
    const geometry = feature.geometry || feature;
    if (geometry.type === "Polygon") return inPolygon(lng, lat, geometry.coordinates);
    if (geometry.type === "MultiPolygon") return geometry.coordinates.some((p) => inPolygon(lng, lat, p));
    return false;
  });
}

async function fetchJson(url) {
  if (!url) return null;
  try {
    const response = await fetch(url, { headers: { Accept: "application/geo+json, application/json" } });
    return response.ok ? await response.json() : null;
  } catch {
    return null;
  }
}

function baseMap(el) {
  el.classList.add("map--active");
  const canvas = document.createElement("div");
  canvas.className = "map__canvas";
  canvas.setAttribute("role", "region");
  canvas.setAttribute("aria-label", text(el, "label", "Kaart"));
  el.prepend(canvas);
  const map = L.map(canvas, { scrollWheelZoom: false, keyboard: true });
  const notice = el.querySelector("[data-map-notice]");
  const tileUrl = el.dataset.tileUrl;
  if (tileUrl) {
    const tiles = L.tileLayer(tileUrl, { maxZoom: 19, attribution: el.dataset.tileAttribution || "" });
    let failed = false;
    tiles.on("tileerror", () => {
      if (failed) return;
      failed = true;
      el.classList.add("map--no-tiles");
      if (notice) notice.hidden = false;
    });
    tiles.addTo(map);
  } else {
    el.classList.add("map--no-tiles");
    if (notice) notice.hidden = false;
  }
  const south = parseFloat(el.dataset.south);
  const west = parseFloat(el.dataset.west);
  const north = parseFloat(el.dataset.north);
  const east = parseFloat(el.dataset.east);
  if ([south, west, north, east].every(Number.isFinite)) {
    map.fitBounds([[south, west], [north, east]]);
  } else {
    map.setView([51.89, 4.85], 11);
  }
  return map;
}

async function drawBoundary(map, el) {
  const area = await fetchJson(el.dataset.boundaryUrl);
  if (area) {
    L.geoJSON(area, {
      interactive: false,
      style: { color: "#1d5c3a", weight: 2, fill: true, fillOpacity: 0.04 },
    }).addTo(map);
  }
  return area;
}

function popupContent(properties) {
  // Built with DOM nodes, never innerHTML: titles are residents' words.
  const box = document.createElement("div");
  const link = document.createElement("a");
  link.href = properties.url;
  link.textContent = properties.title;
  box.append(link);
  if (properties.place) {
    const place = document.createElement("div");
    place.textContent = properties.place;
    box.append(place);
  }
  return box;
}

async function initDisplayMap(el) {
  const map = baseMap(el);
  drawBoundary(map, el);
  const lat = parseFloat(el.dataset.pointLat);
  const lng = parseFloat(el.dataset.pointLng);
  if (Number.isFinite(lat) && Number.isFinite(lng)) {
    L.marker([lat, lng], { alt: text(el, "pointLabel", "Plek"), keyboard: false }).addTo(map);
    map.setView([lat, lng], 15);
    return;
  }
  const data = await fetchJson(el.dataset.featuresUrl);
  if (!data || !data.features) return;
  const group = L.markerClusterGroup ? L.markerClusterGroup({ showCoverageOnHover: false }) : L.featureGroup();
  for (const feature of data.features) {
    const [fLng, fLat] = feature.geometry.coordinates;
    const marker = L.marker([fLat, fLng], { alt: feature.properties.title, title: feature.properties.title });
    marker.bindPopup(() => popupContent(feature.properties));
    group.addLayer(marker);
  }
  map.addLayer(group);
  if (data.features.length && !el.dataset.keepBounds) {
    map.fitBounds(group.getBounds(), { maxZoom: 15, padding: [24, 24] });
  }
}

function initPicker(el) {
  const latInput = document.getElementById(el.dataset.latInput);
  const lngInput = document.getElementById(el.dataset.lngInput);
  const kernInput = document.getElementById(el.dataset.kernInput);
  const status = el.querySelector("[data-map-status]");
  const error = el.querySelector("[data-map-error]");
  const kernCentres = readJson(el.dataset.kernCentres) || {};
  const outsideMessage = text(el, "outsideMessage", "Deze plek ligt buiten de gemeente.");
  if (!latInput || !lngInput) return;

  const map = baseMap(el);
  let area = null;
  drawBoundary(map, el).then((geojson) => {
    area = geojson;
  });
  let marker = null;

  function say(message, isError) {
    if (error) {
      error.textContent = isError ? message : "";
      error.hidden = !isError;
    }
    if (status && !isError) status.textContent = message;
  }

  function place(lat, lng, { fromInputs = false, pan = true } = {}) {
    if (!inArea(area, lat, lng)) {
      say(outsideMessage, true);
      return false;
    }
    if (!fromInputs) {
      latInput.value = lat.toFixed(6);
      lngInput.value = lng.toFixed(6);
      latInput.dispatchEvent(new Event("change", { bubbles: true }));
    }
    if (marker) marker.setLatLng([lat, lng]);
    else marker = L.marker([lat, lng], { alt: text(el, "markerLabel", "Gekozen plek"), keyboard: false }).addTo(map);
    if (pan) map.panTo([lat, lng]);
    say(`${text(el, "chosenMessage", "Plek gekozen")}: ${lat.toFixed(5)}, ${lng.toFixed(5)}`, false);
    return true;
  }

  const initialLat = parseFloat(latInput.value.replace(",", "."));
  const initialLng = parseFloat(lngInput.value.replace(",", "."));
  if (Number.isFinite(initialLat) && Number.isFinite(initialLng)) {
    marker = L.marker([initialLat, initialLng], { alt: text(el, "markerLabel", "Gekozen plek"), keyboard: false }).addTo(map);
    map.setView([initialLat, initialLng], 15);
  }

  map.on("click", (event) => place(event.latlng.lat, event.latlng.lng, { pan: false }));

  // Keyboard: pan the map with the arrow keys, then put the pin in the middle.
  const centreButton = el.querySelector("[data-map-use-centre]");
  if (centreButton) {
    centreButton.hidden = false;
    centreButton.addEventListener("click", () => {
      const centre = map.getCenter();
      place(centre.lat, centre.lng);
    });
  }
  // Or take the middle of the chosen kern.
  const kernButton = el.querySelector("[data-map-use-kern]");
  if (kernButton && kernInput) {
    kernButton.hidden = false;
    kernButton.addEventListener("click", () => {
      const centre = kernCentres[kernInput.value];
      if (!centre) {
        say(text(el, "noKernMessage", "Kies eerst een kern."), true);
        return;
      }
      if (place(centre[0], centre[1])) map.setView(centre, 15);
    });
  }
  // Typed coordinates move the pin too.
  const fromInputs = () => {
    const lat = parseFloat(latInput.value.replace(",", "."));
    const lng = parseFloat(lngInput.value.replace(",", "."));
    if (Number.isFinite(lat) && Number.isFinite(lng)) place(lat, lng, { fromInputs: true });
  };
  latInput.addEventListener("input", fromInputs);
  lngInput.addEventListener("input", fromInputs);
}

function boot() {
  if (!L) return; // Leaflet did not load: the text alternatives already on the page are the map.
  for (const el of document.querySelectorAll("[data-map]")) initDisplayMap(el);
  for (const el of document.querySelectorAll("[data-map-picker]")) initPicker(el);
}

boot();
