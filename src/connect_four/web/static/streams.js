// The stream browser: the global log or one stream, every event in full, live.

import { $, api, debounce, el, follow, liveBadge, replaceChildren, when } from "./common.js";

const PAGE = 25;
const parts = window.location.pathname.split("/");
const stream = parts.length > 2 && parts[2] ? decodeURIComponent(parts[2]) : null;
let first = 0; // $all: the page shows positions after `first`; a stream: from stream position `first`
let lastPosition = 0;
let atNewest = true;

$("#title").textContent = stream ? `Stream ${stream}` : "All events";

// Show a stream's uuid by its first eight digits; the full name is the link's title.
function short(name) {
  return name.replace(/([0-9a-f]{8})-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/, "$1…");
}

function clock(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : date.toLocaleTimeString();
}

function json(value) {
  return el("code", { class: "json" }, JSON.stringify(value));
}

function row(event, fresh = false) {
  return el("tr", { class: fresh ? "fresh" : "", dataset: { position: event.global_position } },
    el("td", { class: "num" }, event.global_position),
    el("td", { class: "stream" },
      el("a", { href: `/streams/${encodeURIComponent(event.stream)}`, title: event.stream }, short(event.stream))),
    el("td", { class: "num" }, event.stream_position),
    el("td", {}, el("strong", {}, event.type)),
    el("td", { class: "data" }, json(event.data)),
    el("td", { class: "meta" }, json(event.metadata)),
    el("td", { class: "small muted", title: when(event.recorded_at) }, clock(event.recorded_at)));
}

async function loadPage(start) {
  if (stream) {
    const page = await api(`/api/streams/${encodeURIComponent(stream)}?from=${start}&limit=${PAGE}`);
    first = start;
    atNewest = !page.has_more;
    replaceChildren($("#log"), page.events.slice().reverse().map((e) => row(e)));
    $("#range").textContent = page.events.length
      ? `events ${page.events[0].stream_position}–${page.events[page.events.length - 1].stream_position}`
      : "no events";
    $("#older").disabled = start === 0;
    $("#newer").disabled = !page.has_more;
    return;
  }
  const page = await api(`/api/log?after=${start}&limit=${PAGE}`);
  first = start;
  lastPosition = page.last_position;
  atNewest = page.next_after >= page.last_position;
  replaceChildren($("#log"), page.events.slice().reverse().map((e) => row(e)));
  $("#range").textContent = page.events.length
    ? `positions ${page.events[0].global_position}–${page.next_after} of ${page.last_position}`
    : "the log is empty";
  $("#older").disabled = start === 0;
  $("#newer").disabled = atNewest;
}

async function newest() {
  if (stream) {
    const probe = await api(`/api/streams/${encodeURIComponent(stream)}?from=0&limit=500`);
    const count = probe.events.length;
    return loadPage(Math.max(0, count - PAGE));
  }
  const probe = await api("/api/log?limit=1");
  return loadPage(Math.max(0, probe.last_position - PAGE));
}

$("#older").addEventListener("click", () => loadPage(Math.max(0, first - PAGE)));
$("#newer").addEventListener("click", () => loadPage(first + PAGE));
$("#newest").addEventListener("click", newest);

async function sidebar() {
  const [streams, projections] = await Promise.all([api("/api/streams?limit=200"), api("/api/projections")]);
  $("#stream-count").textContent = `(${streams.count})`;
  replaceChildren($("#streams"),
    el("li", {}, el("a", { href: "/streams", class: stream ? "" : "current" }, el("span", {}, "$all"),
      el("span", { class: "count" }, projections.head))),
    streams.streams.map((s) => el("li", {},
      el("a", { href: `/streams/${encodeURIComponent(s.stream)}`, class: s.stream === stream ? "current" : "" },
        el("span", { title: s.stream }, short(s.stream)), el("span", { class: "count" }, s.events)))));
  $("#head").textContent = String(projections.head);
  replaceChildren($("#projections"), projections.projections.map((p) => el("tr", {},
    el("td", {}, p.name, p.error ? el("div", { class: "error small" }, p.error) : null),
    el("td", { class: "num" }, p.checkpoint),
    el("td", { class: "num" }, p.lag))));
}

const refreshSidebar = debounce(() => sidebar().catch(() => {}), 300);

function onEvent(event) {
  refreshSidebar();
  if (!atNewest) return;
  if (stream && event.stream !== stream) return;
  const body = $("#log");
  if (body.querySelector(`[data-position="${event.global_position}"]`)) return;
  body.prepend(row(event, true));
  while (body.children.length > PAGE) body.lastElementChild.remove();
  if (!stream) {
    lastPosition = event.global_position;
    first = Math.max(0, lastPosition - PAGE);
    $("#range").textContent = `positions ${first + 1}–${lastPosition} of ${lastPosition}`;
  }
}

// Follow from the head as it was before the first page loaded: an event in
// both the page and the feed is shown once.
const after = (await api("/api/log?limit=1")).last_position;
await Promise.all([newest(), sidebar()]);
follow(`/api/log/live?after=${after}`, onEvent, liveBadge($("#live")));
