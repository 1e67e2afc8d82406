// Shared by every page: the API client, safe element building, seats, live feeds.

import { liveConnection } from "./live.js";
//
// Nothing here ever parses text as markup: every name and every event payload is
// put on the page as text, so a player called "<script>" is just that, a name.

export class ApiError extends Error {
  constructor(status, kind, message) {
    super(message);
    this.status = status;
    this.kind = kind;
  }
}

export async function api(path, { method = "GET", body, token } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
    });
  } catch (error) {
    throw new ApiError(0, "network", "The server cannot be reached. Is it running?");
  }
  let payload = null;
  try {
    payload = await response.json();
  } catch (error) {
    payload = null;
  }
  if (!response.ok) {
    const message = payload && payload.message ? payload.message : response.statusText;
    throw new ApiError(response.status, payload ? payload.error : "http", message);
  }
  return payload;
}

// Build an element: el("a", { href: "/", class: "x" }, "text", child, ...).
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") element.className = value;
    else if (name === "dataset") Object.assign(element.dataset, value);
    else if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

export function $(selector) {
  return document.querySelector(selector);
}

export function replaceChildren(parent, ...children) {
  parent.replaceChildren(...children.flat().filter((child) => child != null));
}

// Seats are kept in this browser only: the server keeps their digests.
const SEATS_KEY = "connect-four:seats:";
const INVITE_KEY = "connect-four:invite:";

export function seatsOf(gameId) {
  try {
    const seats = JSON.parse(localStorage.getItem(SEATS_KEY + gameId) || "[]");
    return Array.isArray(seats) ? seats : [];
  } catch (error) {
    return [];
  }
}

export function keepSeats(gameId, seats) {
  const known = seatsOf(gameId).filter((old) => !seats.some((s) => s.seat === old.seat));
  const all = [...known, ...seats.map(({ seat, player, token }) => ({ seat, player, token }))];
  localStorage.setItem(SEATS_KEY + gameId, JSON.stringify(all));
}

export function inviteOf(gameId) {
  return localStorage.getItem(INVITE_KEY + gameId);
}

export function keepInvite(gameId, url) {
  if (url) localStorage.setItem(INVITE_KEY + gameId, url);
}

export function keepOpening(opening) {
  keepSeats(opening.game_id, opening.seats);
  keepInvite(opening.game_id, opening.invite_url);
}

// Follow a live feed by name ("game:ID", "lobby", "log") after a global
// position. Every feed of the page shares the tab's one live connection
// (live.js), which resumes each after its last event when it reconnects.
export function follow(feed, after, onEvent, onStatus = () => {}) {
  return liveConnection().follow(feed, after, onEvent, onStatus);
}

export function liveBadge(element) {
  return (status) => {
    element.dataset.status = status;
    element.textContent = { live: "live", reconnecting: "reconnecting…", closed: "offline" }[status] || status;
  };
}

export function debounce(action, milliseconds) {
  let timer = null;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(action, milliseconds);
  };
}

export function shortId(gameId) {
  return String(gameId).slice(0, 8);
}

export function when(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

export async function copyText(text, button) {
  try {
    await navigator.clipboard.writeText(text);
    const label = button.textContent;
    button.textContent = "Copied";
    setTimeout(() => (button.textContent = label), 1500);
  } catch (error) {
    window.prompt("Copy this link:", text);
  }
}
