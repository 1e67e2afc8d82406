// The stream browser: the global log or one stream, every event in full, live.
//
// Pages are cut from the edges of the page shown: "Older" shows the events just
// before its oldest row, "Newer" those just after its newest, so two pages
// never overlap. At the newest page new events slide in live.

import { $, api, el, follow, liveBadge, replaceChildren, when } from "./common.js";

const PAGE = 25;
const STREAMS_PAGE = 50;
const PANEL_MS = 500; // the projections panel refreshes twice a second, so at least once under load
const stream = streamOfPage(window.location.pathname);
let low = 0; // the oldest position shown (global, or in the stream)
let high = 0; // the newest position shown
let last = 0; // the newest position there is
let atNewest = true;
let streamsOffset = 0;

$("#title").textContent = stream ? `Stream ${stream}` : "All events";

// The stream a page shows: all of the path after /streams/, decoded. A name
// may hold "/" (links encode it as %2F, but a typed one may not), "%", "?"...
function streamOfPage(path) {
  const name = path.startsWith("/streams/") ? path.slice("/streams/".length) : "";
  if (!name) return null;
  try {
    return decodeURIComponent(name);
  } catch (error) {
    return name; // not percent-encoded text: the name as typed
  }
}

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

function position(event) {
  return stream ? event.stream_position : event.global_position;
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

function describe() {
  const rows = $("#log").children.length;
  if (rows === 0) {
    $("#range").textContent = stream ? "no events" : "the log is empty";
  } else {
    $("#range").textContent = stream
      ? `events ${low}–${high} of 0–${last}`
      : `positions ${low}–${high} of ${last}`;
  }
  const first = stream ? 0 : 1;
  $("#older").disabled = rows === 0 || low <= first;
  $("#oldest").disabled = $("#older").disabled;
  $("#newer").disabled = atNewest;
  $("#newest").disabled = atNewest;
}

// Show events (oldest first, as the API gives them) newest first.
function showPage(events, newest) {
  replaceChildren($("#log"), events.slice().reverse().map((e) => row(e)));
  if (events.length) {
    low = position(events[0]);
    high = position(events[events.length - 1]);
  }
  atNewest = newest || (events.length > 0 && high >= last);
  describe();
}

async function streamPage(from, limit) {
  const page = await api(`/api/streams/${encodeURIComponent(stream)}?from=${from}&limit=${limit}`);
  if (!page.has_more && page.events.length) last = page.events[page.events.length - 1].stream_position;
  showPage(page.events, !page.has_more);
}

async function logPage(query) {
  const page = await api(`/api/log?${query}&limit=${PAGE}`);
  last = page.last_position;
  showPage(page.events, page.events.length === 0 || page.next_after >= page.last_position);
}

async function newest() {
  if (stream) {
    const probe = await api(`/api/streams/${encodeURIComponent(stream)}?from=0&limit=1`);
    last = (probe.count ?? 0) - 1;
    return streamPage(Math.max(0, last + 1 - PAGE), PAGE);
  }
  const probe = await api("/api/log?limit=1");
  return logPage(`before=${probe.last_position + 1}`);
}

async function older() {
  if (stream) {
    const from = Math.max(0, low - PAGE);
    return streamPage(from, low - from);
  }
  return logPage(`before=${low}`);
}

async function newer() {
  if (stream) return streamPage(high + 1, PAGE);
  return logPage(`after=${high}`);
}

async function oldest() {
  if (stream) return streamPage(0, PAGE);
  return logPage("after=0");
}

function pager(action) {
  return () => action().then(() => $("#error").replaceChildren()).catch((error) => {
    $("#error").textContent = error.message;
  });
}

$("#newest").addEventListener("click", pager(newest));
$("#newer").addEventListener("click", pager(newer));
$("#older").addEventListener("click", pager(older));
$("#oldest").addEventListener("click", pager(oldest));

async function streamList() {
  const query = new URLSearchParams({
    prefix: $("#stream-kind").value,
    search: $("#stream-text").value.trim(),
    offset: String(streamsOffset),
    limit: String(STREAMS_PAGE),
  });
  const found = await api(`/api/streams?${query}`);
  $("#stream-count").textContent = `(${found.total})`;
  replaceChildren($("#streams"),
    el("li", {}, el("a", { href: "/streams", class: stream ? "" : "current" }, el("span", {}, "$all"))),
    found.streams.map((s) => el("li", {},
      el("a", { href: `/streams/${encodeURIComponent(s.stream)}`, class: s.stream === stream ? "current" : "" },
        el("span", { title: s.stream }, short(s.stream)), el("span", { class: "count" }, s.events)))));
  const shown = found.streams.length;
  $("#streams-range").textContent = shown
    ? `${found.offset + 1}–${found.offset + shown} of ${found.count}`
    : found.count ? "" : "no stream matches";
  $("#streams-newer").disabled = found.offset === 0;
  $("#streams-older").disabled = found.offset + shown >= found.count;
}

async function projectionsPanel() {
  const projections = await api("/api/projections");
  $("#head").textContent = String(projections.head);
  const stamp = $("#projections-time");
  stamp.textContent = `at ${new Date().toLocaleTimeString()}`;
  stamp.dataset.at = String(Date.now());
  stamp.dataset.count = String(Number(stamp.dataset.count || 0) + 1);
  replaceChildren($("#projections"), projections.projections.map((p) => el("tr", {},
    el("td", {}, p.name, p.error ? el("div", { class: "error small" }, p.error) : null),
    el("td", { class: "num" }, p.checkpoint),
    el("td", { class: "num" }, p.lag))));
}

// Refresh the panel twice a second, and never two requests at once: under a
// burst of events it keeps showing the lag as it is, not as it was.
let panelBusy = false;
async function refreshPanel() {
  if (panelBusy || document.hidden) return;
  panelBusy = true;
  try {
    await projectionsPanel();
  } catch (error) {
    $("#head").textContent = error.message;
  } finally {
    panelBusy = false;
  }
}

// The stream list follows new events at most once a second.
let listDue = false;
setInterval(() => {
  refreshPanel();
  if (listDue) {
    listDue = false;
    streamList().catch(() => {});
  }
}, PANEL_MS);

function searchAgain() {
  streamsOffset = 0;
  streamList().catch(() => {});
}
$("#stream-search").addEventListener("submit", (event) => { event.preventDefault(); searchAgain(); });
$("#stream-kind").addEventListener("change", searchAgain);
$("#stream-text").addEventListener("input", searchAgain);
$("#streams-newer").addEventListener("click", () => {
  streamsOffset = Math.max(0, streamsOffset - STREAMS_PAGE);
  streamList().catch(() => {});
});
$("#streams-older").addEventListener("click", () => {
  streamsOffset += STREAMS_PAGE;
  streamList().catch(() => {});
});

function onEvent(event) {
  listDue = true;
  if (stream && event.stream !== stream) return;
  if (!stream) last = Math.max(last, event.global_position);
  else last = Math.max(last, event.stream_position);
  if (!atNewest) return describe();
  const body = $("#log");
  if (body.querySelector(`[data-position="${event.global_position}"]`)) return;
  body.prepend(row(event, true));
  while (body.children.length > PAGE) body.lastElementChild.remove();
  high = position(event);
  low = Number(body.lastElementChild.dataset.position);
  if (stream) low = high - body.children.length + 1;
  describe();
}

// Follow from the head as it was before the first page loaded: an event in
// both the page and the feed is shown once.
const after = (await api("/api/log?limit=1")).last_position;
await Promise.all([newest(), streamList(), projectionsPanel()]);
follow("log", after, onEvent, liveBadge($("#live")));
