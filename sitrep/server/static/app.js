// sitrep's map: filters in the URL, events on a packaged basemap, a daily timeline to brush.
// Every piece of data goes into the page through textContent or attributes, never innerHTML.
"use strict";

const FILTERS = ["since", "until", "type", "country", "actor", "min_fatalities", "q"];
const COLOURS = {
  "Battles": "#c0392b", "Explosions/Remote violence": "#e67e22",
  "Violence against civilians": "#8e44ad", "Protests": "#2980b9", "Riots": "#16a085",
  "Strategic developments": "#7f8c8d",
};
const OTHER = "#34495e";

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined) continue;
    if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) {
    node.append(typeof c === "string" ? document.createTextNode(c) : c);
  }
  return node;
}

function svg(tag, attrs) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  return node;
}

function colour(type) { return COLOURS[type] || OTHER; }

function currentFilters() {
  const params = new URLSearchParams(location.search);
  const out = {};
  for (const k of FILTERS) if (params.get(k)) out[k] = params.get(k);
  return out;
}

function query(filters, extra) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({...filters, ...(extra || {})})) {
    if (v !== "" && v !== null && v !== undefined) params.set(k, v);
  }
  return params.toString();
}

const shared = new Map();
// The same read (the page asks for the unfiltered stats twice on load) is fetched once.
function getOnce(url) {
  if (!shared.has(url)) shared.set(url, getJSON(url));
  return shared.get(url);
}

async function getJSON(url) {
  const response = await fetch(url);
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.detail || response.statusText);
  return body;
}

const sitrep = { map: null, points: null, ready: false };
window.sitrep = sitrep;

function setFilters(filters) {
  const q = query(filters);
  history.replaceState(null, "", q ? "/?" + q : "/");
  const form = document.getElementById("filters");
  addType(filters.type);
  for (const k of FILTERS) form.elements[k].value = filters[k] || "";
  return loadEvents(filters);
}

function addType(type, label) {
  const select = document.querySelector("#filters select[name=type]");
  if (!type) return;
  const have = [...select.options].find(o => o.value === type);
  if (have) { if (label) have.textContent = label; return; }
  select.append(el("option", {value: type, text: label || type}));
}

async function drawBasemap(map) {
  const config = await getJSON("/api/config").catch(() => ({}));
  if (config.tile_url) {
    L.tileLayer(config.tile_url, {maxZoom: 18, attribution: "tiles: configured"}).addTo(map);
  }
  const world = await getJSON("/static/vendor/world-atlas/countries-110m.json");
  const countries = topojson.feature(world, world.objects.countries);
  L.geoJSON(countries, {interactive: false, style: () => ({
    color: "#9aa4b1", weight: 0.6, fillColor: "#fbfaf5", fillOpacity: 1})}).addTo(map);
}

function marker(feature) {
  const [lon, lat] = feature.geometry.coordinates;
  const p = feature.properties;
  const killed = p.fatalities || 0;
  const radius = 4 + Math.min(20, 2.2 * Math.sqrt(killed));
  const imprecise = (p.geo_precision || 1) >= 2;
  const style = imprecise
    ? {radius: radius + 8, color: colour(p.event_type), weight: 1.5, dashArray: "4 3",
       fillOpacity: 0.08, opacity: 0.9}
    : {radius, color: "#222", weight: 0.7, fillColor: colour(p.event_type), fillOpacity: 0.85};
  const m = L.circleMarker([lat, lon], style);
  m.feature = feature;
  m.bindPopup(() => popup(p));
  return m;
}

function popup(p) {
  return el("div", {class: "popup"},
    el("strong", {text: p.sub_event_type || p.event_type || "event"}), el("br"),
    `${p.event_date || "undated"} · ${p.fatalities ?? "?"} killed` +
      (p.geo_precision >= 2 ? " · approximate location" : "") +
      (p.corrected ? " · corrected" : ""), el("br"),
    el("a", {href: "/events/" + encodeURIComponent(p.event_id), class: "open-event",
             text: "Open event"}));
}

async function loadEvents(filters) {
  const timeline = drawTimeline(filters);
  const points = await getJSON("/api/events.geojson?" + query(filters, {limit: 5000}));
  sitrep.points.clearLayers();
  sitrep.points.addLayers(points.features.map(marker));
  const shown = points.features.length;
  if (!sitrep.fitted && shown) {
    sitrep.fitted = true;
    const corners = points.features.map(f => [f.geometry.coordinates[1],
                                              f.geometry.coordinates[0]]);
    sitrep.map.fitBounds(L.latLngBounds(corners), {padding: [30, 30], maxZoom: 7});
  }
  document.getElementById("summary").textContent =
    `${shown}${points.truncated ? "+" : ""} events on the map`;
  await timeline;
  sitrep.ready = true;
  document.body.dataset.ready = "1";
  if (!sitrep.firstReady) sitrep.firstReady = performance.now();
}

async function fillTypes() {
  const stats = await getOnce("/api/stats?");
  for (const b of stats.by_type) addType(b.key, `${b.key} (${b.events})`);
  const legend = document.getElementById("legend");
  for (const b of stats.by_type) {
    legend.append(el("div", {}, el("i", {style: `background:${colour(b.key)}`}),
                     b.key || "untyped"));
  }
  return stats;
}

async function drawTimeline(filters) {
  const {since, until, ...rest} = filters;
  const stats = await getOnce("/api/stats?" + query(rest));
  const chart = document.getElementById("timeline");
  chart.replaceChildren();
  const days = stats.by_day.filter(b => b.key);
  if (!days.length) return;
  let t0 = Date.parse(days[0].key), t1 = Date.parse(days[days.length - 1].key) + 864e5;
  const short = 30 * 864e5 - (t1 - t0);
  if (short > 0) {  // at least a month wide, so a few days do not fill the chart
    t0 -= Math.ceil(short / 2 / 864e5) * 864e5;
    t1 = t0 + 30 * 864e5;
  }
  const width = chart.clientWidth || 800, height = chart.clientHeight || 120, pad = 18;
  const x = t => ((t - t0) / (t1 - t0)) * width;
  const max = Math.max(...days.map(d => d.events));
  const barWidth = Math.max(1, width / ((t1 - t0) / 864e5) - 1);
  for (const d of days) {
    const t = Date.parse(d.key);
    const h = ((height - pad) * d.events) / max;
    const inside = (!since || d.key >= since) && (!until || d.key <= until);
    const bar = svg("rect", {x: x(t), y: height - pad - h, width: barWidth, height: h,
                             class: inside && (since || until) ? "bar in" : "bar"});
    bar.append(svg("title"));
    bar.firstChild.textContent = `${d.key}: ${d.events} events, ${d.fatalities} killed`;
    chart.append(bar);
  }
  for (const t of [t0, (t0 + t1) / 2, t1 - 864e5]) {
    const label = svg("text", {x: Math.min(x(t), width - 60), y: height - 4});
    label.textContent = new Date(t).toISOString().slice(0, 10);
    chart.append(label);
  }
  const day = px => new Date(t0 + (px / width) * (t1 - t0)).toISOString().slice(0, 10);
  chart.onmousedown = down => {
    const left = chart.getBoundingClientRect().left;
    const start = down.clientX - left;
    const brush = svg("rect", {class: "brush", x: start, y: 0, width: 0, height: height - pad});
    chart.append(brush);
    const move = e => {
      const now = e.clientX - left;
      brush.setAttribute("x", Math.min(start, now));
      brush.setAttribute("width", Math.abs(now - start));
    };
    const up = e => {
      window.removeEventListener("mousemove", move);
      window.removeEventListener("mouseup", up);
      const end = e.clientX - left;
      if (Math.abs(end - start) < 3) { brush.remove(); return; }
      const [a, b] = [Math.min(start, end), Math.max(start, end)];
      setFilters({...currentFilters(), since: day(Math.max(0, a)),
                  until: day(Math.min(width - 1, b))});
    };
    window.addEventListener("mousemove", move);
    window.addEventListener("mouseup", up);
  };
  chart.ondblclick = () => {
    const {since: _s, until: _u, ...others} = currentFilters();
    setFilters(others);
  };
}

async function startMap() {
  document.getElementById("map-view").hidden = false;
  const map = L.map("map", {worldCopyJump: true, minZoom: 2, maxZoom: 14}).setView([30, 30], 3);
  sitrep.map = map;
  sitrep.points = L.markerClusterGroup({maxClusterRadius: 40, chunkedLoading: true});
  map.addLayer(sitrep.points);
  const form = document.getElementById("filters");
  form.addEventListener("submit", e => {
    e.preventDefault();
    const filters = {};
    for (const k of FILTERS) if (form.elements[k].value) filters[k] = form.elements[k].value;
    setFilters(filters);
  });
  document.getElementById("reset").addEventListener("click", () => setFilters({}));
  await Promise.all([drawBasemap(map), fillTypes(), setFilters(currentFilters())]);
}

window.sitrepShared = {el, getJSON, colour};
if (location.pathname === "/" || location.pathname === "") {
  startMap().catch(e => {
    console.error(e);
    document.getElementById("summary").textContent = "Failed: " + (e.message || e);
  });
}
