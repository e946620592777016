// Refuge's pages: the phone menu, and Leaflet maps in the network's own frame (metres, L.CRS.Simple).
"use strict";

const Refuge = (window.Refuge = { maps: {} });
const RUN_COLOURS = ["#6a3d9a", "#1f78b4", "#e31a1c", "#ff7f00", "#33a02c", "#b15928", "#a6cee3", "#fb9a99"];

function escapeHtml(text) {
  const span = document.createElement("span");
  span.textContent = text == null ? "" : String(text);
  return span.innerHTML;
}

function latLng(x, y) { return L.latLng(y, x); }  // the map's y grows north, as a latitude does

function shelterPopup(s) {
  const reasons = (s.reasons || []).map((r) => `<li>${escapeHtml(r)}</li>`).join("");
  return `<strong>${escapeHtml(s.code)}</strong> ${escapeHtml(s.name)}<br>` +
    `<span class="tag ${escapeHtml(s.level || "")}">${escapeHtml(s.level || "unknown")}</span> ${escapeHtml(s.status)}` +
    (reasons ? `<ul class="small">${reasons}</ul>` : "") +
    `<br><a class="popup-link" href="/shelters/${encodeURIComponent(s.code)}">Open ${escapeHtml(s.code)}</a>`;
}

function legend(map) {
  const control = L.control({ position: "bottomright" });
  control.onAdd = () => {
    const div = L.DomUtil.create("div", "map-legend");
    div.innerHTML = [["#1e9e3a", "ready"], ["#f2a900", "needs attention"], ["#d7191c", "not fit"]]
      .map(([c, t]) => `<span class="dot" style="background:${c}"></span>${t}`).join("<br>");
    return div;
  };
  control.addTo(map);
}

function scaleBar(map) {
  // Metres on the map are Leaflet's units under CRS.Simple: draw the scale from them, not from the earth.
  const control = L.control({ position: "bottomleft" });
  control.onAdd = () => L.DomUtil.create("div", "map-legend map-scale");
  control.addTo(map);
  const update = () => {
    const size = map.getSize();
    const metres = map.containerPointToLatLng([size.x, 0]).lng - map.containerPointToLatLng([0, 0]).lng;
    const perPixel = metres / size.x;
    const target = perPixel * 100;
    const magnitude = Math.pow(10, Math.floor(Math.log10(target)));
    const length = [5, 2, 1].map((s) => s * magnitude).find((l) => l <= target) || magnitude;
    const label = length >= 1000 ? `${length / 1000} km` : `${length} m`;
    control.getContainer().innerHTML =
      `<div style="width:${Math.round(length / perPixel)}px;border:2px solid #111;border-top:0;height:6px"></div>${label}`;
  };
  map.on("zoomend moveend resize", update);
  update();
}

Refuge.makeMap = function (element) {
  const data = JSON.parse(element.dataset.map);
  const map = L.map(element, { crs: L.CRS.Simple, minZoom: -9, maxZoom: 0, zoomSnap: 0.25, attributionControl: false });
  const bounds = L.latLngBounds(data.bounds);
  L.imageOverlay(data.terrain, bounds).addTo(map);
  map.fitBounds(bounds);
  map.setMaxBounds(bounds.pad(0.2));
  const view = { map, data, shelters: L.layerGroup().addTo(map), overlay: L.layerGroup().addTo(map), markers: {} };
  for (const s of data.shelters) {
    const marker = L.circleMarker(latLng(s.x, s.y), {
      radius: 7, color: "#111", weight: 1.2, fillColor: s.colour, fillOpacity: 0.95,
      className: `shelter-marker shelter-${s.code} level-${s.level || "unknown"}`,
    }).bindPopup(shelterPopup(s)).bindTooltip(s.code, { direction: "top", offset: [0, -6] });
    marker.addTo(view.shelters);
    view.markers[s.code] = marker;
  }
  legend(map);
  scaleBar(map);
  if (data.runs || data.route || data.point) Refuge.drawOverlay(view, data);
  Refuge.maps[element.id] = view;
  element.dispatchEvent(new CustomEvent("refuge:map", { detail: view, bubbles: true }));
  return view;
};

Refuge.drawOverlay = function (view, overlay) {
  view.overlay.clearLayers();
  const drawn = [];
  (overlay.runs || []).forEach((run, i) => {
    const colour = RUN_COLOURS[i % RUN_COLOURS.length];
    const line = L.polyline(run.points.map(([x, y]) => latLng(x, y)), {
      color: colour, weight: 4, opacity: 0.85, className: "run-line",
    }).bindTooltip(escapeHtml(run.label));
    line.addTo(view.overlay);
    drawn.push(line);
  });
  // The fastest route is drawn last, on top of the others.
  (overlay.routes || []).map((route, i) => [route, i]).reverse().forEach(([route, i]) => {
    const line = L.polyline(route.points.map(([x, y]) => latLng(x, y)), {
      color: i === 0 ? "#6a1b9a" : "#7b8794", weight: i === 0 ? 5 : 3, dashArray: i === 0 ? null : "6 6",
      opacity: 0.9, className: i === 0 ? "route-line best" : "route-line",
    }).bindTooltip(escapeHtml(route.label));
    line.addTo(view.overlay);
    drawn.push(line);
  });
  if (overlay.point) {
    L.circleMarker(latLng(overlay.point.x, overlay.point.y), {
      radius: 8, color: "#fff", weight: 3, fillColor: "#6a1b9a", fillOpacity: 1, className: "here-marker",
    }).bindTooltip(escapeHtml(overlay.point.label || "here")).addTo(view.overlay);
  }
  if (drawn.length && overlay.fit !== false) {
    const group = L.featureGroup(drawn);
    view.map.fitBounds(group.getBounds().pad(0.25), { maxZoom: -3 });
  }
};

function startMaps(root) {
  root.querySelectorAll("[data-map]").forEach((element) => {
    if (!Refuge.maps[element.id] || Refuge.maps[element.id].map.getContainer() !== element) Refuge.makeMap(element);
  });
  // A fragment may carry what a map should draw now (a route, proposed runs): <template data-overlay-for=...>.
  root.querySelectorAll("template[data-overlay-for]").forEach((template) => {
    const view = Refuge.maps[template.dataset.overlayFor];
    if (view) Refuge.drawOverlay(view, JSON.parse(template.dataset.overlay));
  });
}

document.addEventListener("DOMContentLoaded", () => {
  const button = document.querySelector(".menu");
  const nav = document.getElementById("nav");
  if (button && nav) {
    button.addEventListener("click", () => {
      const open = nav.classList.toggle("open");
      button.setAttribute("aria-expanded", String(open));
    });
  }
  startMaps(document);
  document.body.addEventListener("htmx:afterSettle", (event) => startMaps(event.detail.elt.parentNode || document));
});

// Printing a map: Leaflet lays itself out for its container, so before printing the map takes the
// printed size (print.css gives it the same) and shows the whole network; after printing it comes back.
const PRINTED_MAP = ["680px", "510px"];
function fitForPrint(printing = true) {
  Object.values(Refuge.maps).forEach((view) => {
    const element = view.map.getContainer();
    [element.style.width, element.style.height] = printing ? PRINTED_MAP : ["", ""];
    view.map.invalidateSize({ animate: false });
    view.map.fitBounds(L.latLngBounds(view.data.bounds), { animate: false });
  });
}
window.addEventListener("beforeprint", () => fitForPrint(true));
window.addEventListener("afterprint", () => fitForPrint(false));

// The field page: a click on the map asks from that point.
document.addEventListener("refuge:map", (event) => {
  if (!document.getElementById("field-form") || event.target.id !== "map") return;
  event.detail.map.on("click", (e) => {
    const form = document.getElementById("field-form");  // the form is swapped with each answer
    form.querySelector("[name=at]").value = `${Math.round(e.latlng.lng)},${Math.round(e.latlng.lat)}`;
    form.requestSubmit();
  });
});
