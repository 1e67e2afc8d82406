// A game: the board, whose turn, the result, live moves, joining, spectating.

import { BoardView } from "./board.js";
import { LifeControls, endText, tableText } from "./game_life.js";
import {
  $, api, copyText, el, follow, inviteOf, keepSeats, liveBadge, replaceChildren, seatsOf,
} from "./common.js";
import { HintPanel } from "./hints.js";
import { claimNames, playerSecrets, ready, secretForKey } from "./identity.js";

const gameId = decodeURIComponent(window.location.pathname.split("/")[2] || "");
const gamePath = `/api/games/${encodeURIComponent(gameId)}`;
const gameStream = `game-${gameId}`;
let state = null;
let sending = false;

const board = new BoardView($("#board"), drop);
const life = new LifeControls($("#life"), {
  gamePath, tokenFor, myNames, render: (view) => render(view), failed: (error) => failed(error),
});
const hints = new HintPanel(gamePath, () => (state ? tokenFor(state.next_player) : null));
$("#replay-link").href = `/games/${encodeURIComponent(gameId)}/replay`;
$("#events-link").href = `/streams/${encodeURIComponent(gameStream)}`;
$("#watch-url").value = `${window.location.origin}/games/${encodeURIComponent(gameId)}`;
$("#copy-watch").addEventListener("click", (e) => copyText($("#watch-url").value, e.target));
$("#copy-invite").addEventListener("click", (e) => copyText($("#invite-url").value, e.target));

// A seat's token, or the secret of the seat's name when this browser holds
// that name (claimed here, or brought by a device link): either plays it.
function tokenFor(player) {
  const seat = seatsOf(gameId).find((s) => s.player === player);
  if (seat) return seat.token;
  return player == null || !state ? null : secretForKey(keyOf(player));
}

function keyOf(player) {
  const index = [state.player_one, state.player_two].indexOf(player);
  return index < 0 || !state.player_keys ? null : state.player_keys[index];
}

function myNames() {
  const names = seatsOf(gameId).map((seat) => seat.player);
  for (const player of state ? [state.player_one, state.player_two] : []) {
    if (player != null && !names.includes(player) && secretForKey(keyOf(player))) names.push(player);
  }
  return names;
}

// The error line says what went wrong until the condition is gone: a network
// error until the server answers again, any other until the next good answer.
let errorKind = null;

function showError(message, kind = "request") {
  errorKind = message ? kind : null;
  $("#error").textContent = message || "";
}

function clearError(kind = null) {
  if (kind === null || errorKind === kind) showError("");
}

function failed(error) {
  showError(error.message, error.kind === "network" ? "network" : "request");
}

async function drop(column) {
  if (!state || state.status !== "playing" || sending) return;
  const token = tokenFor(state.next_player);
  if (!token) return;
  sending = true;
  board.setBusy(true);
  // The move names its number in the game, so a request sent again (say,
  // after a lost answer) is recognised and stored once.
  const body = { column, move_number: state.moves.length + 1 };
  try {
    render(await api(`${gamePath}/moves`, { method: "POST", body, token }));
  } catch (error) {
    failed(error);
  } finally {
    sending = false;
    // Settle unless a person elsewhere moves next: when this browser or the
    // computer moves next, a second click could land on the following turn.
    const personElsewhere = state.status === "playing" && tokenFor(state.next_player) === null
      && !(state.seats.computer && state.next_player === state.seats.computer_player);
    board.setBusy(false, !personElsewhere);
  }
}

function playerLabel(name, colour) {
  const mine = myNames().includes(name);
  return el("span", { class: `player name-${colour}${state.next_player === name ? " next" : ""}` },
    name ?? "waiting…", mine ? el("span", { class: "you" }, "you") : null);
}

function turnText() {
  const mine = myNames();
  const table = tableText(state, mine);
  if (table) return table;
  if (state.status === "waiting") return { text: "Waiting for a second player to join…", kind: "" };
  if (state.status === "finished") return endText(state, mine);
  if (mine.includes(state.next_player)) {
    return { text: mine.length > 1 ? `${state.next_player}'s turn` : "Your turn", kind: "yours" };
  }
  if (mine.length === 0) return { text: `${state.next_player} to move`, kind: "" };
  if (state.seats.computer && state.next_player === state.seats.computer_player) {
    return { text: `${state.next_player} is thinking…`, kind: "" };
  }
  return { text: `Waiting for ${state.next_player}…`, kind: "" };
}

// Say the last move and the result aloud (a screen reader reads the live region).
function announce(turn) {
  const count = state.moves.length;
  let text = "";
  if (count > 0) {
    const column = state.moves[count - 1];
    const row = state.moves.filter((c) => c === column).length;
    const mover = count % 2 === 1 ? state.player_one : state.player_two;
    text = `${mover} played column ${"ABCDEFG".indexOf(column) + 1} (${column}), row ${row}. `;
  }
  $("#announce").textContent = text + turn.text;
}

function titleText(turn) {
  const players = `${state.player_one ?? "?"} vs ${state.player_two ?? "?"}`;
  if (state.status === "waiting" && !state.seats.offer_open) return `${players} · Connect Four`;
  return `${turn.text.replace(/[.!]$/, "")} · ${players} · Connect Four`;
}

function render(next, { animate = true } = {}) {
  // An answer can arrive after the live feed brought newer moves (a move's
  // answer held up on a busy server, say): never step back to an older state.
  if (state && next.version < state.version) return;
  const grew = state && next.moves.length > state.moves.length
    && next.moves.slice(0, state.moves.length).join("") === state.moves.join("");
  const changed = !state || next.moves.length !== state.moves.length || next.status !== state.status;
  state = next;
  clearError();
  board.setPlayers(state.player_one, state.player_two);
  board.show(state.moves, { animate: animate && grew });
  const redTurn = state.moves.length % 2 === 0;
  board.setTurn(state.status === "playing" && tokenFor(state.next_player) !== null, redTurn ? "RED" : "YELLOW");
  replaceChildren($("#players"),
    playerLabel(state.player_one, "red"), el("span", { class: "vs" }, "vs"), playerLabel(state.player_two, "yellow"));
  const turn = turnText();
  $("#turn").textContent = turn.text;
  $("#turn").className = `turn ${turn.kind}`;
  if (changed) announce(turn);
  const mine = myNames();
  $("#role").textContent = mine.length === 0
    ? "You are watching. Moves appear here as they are made."
    : mine.length === 1 ? `You play as ${mine[0]}.` : `You hold both seats: ${mine.join(" and ")} play here.`;
  $("#keys-hint").classList.toggle("hidden", mine.length === 0 || state.status === "finished");
  const origin = state.forked_from;
  $("#origin").classList.toggle("hidden", !origin);
  if (origin) {
    replaceChildren($("#origin"), "Forked from ",
      el("a", { href: `/games/${encodeURIComponent(origin.game_id)}/replay?move=${origin.moves}` },
        `game #${String(origin.game_id).slice(0, 8)}`),
      ` after ${origin.moves} moves.`);
  }
  const invite = inviteOf(gameId);
  $("#invite").classList.toggle("hidden", !(invite && state.seats.invite_open));
  if (invite) $("#invite-url").value = invite;
  const joinSecret = new URLSearchParams(window.location.hash.slice(1)).get("join");
  $("#join").classList.toggle("hidden", !(joinSecret && state.seats.invite_open && mine.length === 0));
  document.title = titleText(turn);
  life.update(state);
  hints.update(state);
  // A game still waiting for its second player has only its seats stream so far.
  const stream = ["waiting", "abandoned"].includes(state.status) ? `seats-${gameId}` : gameStream;
  $("#events-link").href = `/streams/${encodeURIComponent(stream)}`;
}

function logEvent(event) {
  const list = $("#events");
  list.prepend(el("li", {},
    el("span", { class: "pos" }, `#${event.global_position}`),
    el("span", { class: "type" }, event.type), " ",
    el("code", {}, JSON.stringify(event.data))));
  while (list.children.length > 60) list.lastElementChild.remove();
}

// Fold one live event into the state, or reload when it is not the next one.
async function onEvent(event) {
  logEvent(event);
  if (event.stream === gameStream && event.stream_position === state.version + 1) {
    const next = structuredClone(state);
    next.version = event.stream_position;
    next.position = event.global_position;
    if (event.type === "MoveMade") {
      next.moves.push(event.data.column);
      next.next_player = event.data.player === next.player_one ? next.player_two : next.player_one;
      render(next);
      return;
    }
    if (event.type === "GameFinished") {
      next.status = "finished";
      next.result = event.data.result;
      next.next_player = null;
      next.winner = { PLAYER_ONE_WON: next.player_one, PLAYER_TWO_WON: next.player_two }[event.data.result] ?? null;
      render(next);
      return;
    }
  }
  if (event.stream === gameStream && event.stream_position <= state.version) return;
  render(await api(gamePath));
}

$("#join-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const secret = new URLSearchParams(window.location.hash.slice(1)).get("join");
  try {
    const seat = await api(`${gamePath}/join`, {
      method: "POST",
      body: { player: $("#join-name").value.trim(), secret, player_secrets: playerSecrets() },
    });
    keepSeats(gameId, [seat]);
    await claimNames([seat.player]);
    history.replaceState(null, "", window.location.pathname);
    clearError();
    render(await api(gamePath));
  } catch (error) {
    failed(error);
  }
});

async function start() {
  await ready; // a device link in the fragment first: it may hold a seat here
  let first;
  try {
    first = await api(gamePath);
  } catch (error) {
    $("#turn").textContent = error.status === 404 ? "There is no such game." : error.message;
    return;
  }
  render(first, { animate: false });
  // Reading a game never makes a move; if the computer is to move (its move
  // was lost to a server restart, say), ask for it: asking twice moves once.
  if (first.status === "playing" && first.seats.computer
      && first.next_player === first.seats.computer_player) {
    api(`${gamePath}/computer`, { method: "POST", body: {} }).catch(() => {});
  }
  const records = await api(`${gamePath}/events`).catch(() => ({ events: [] }));
  records.events.forEach(logEvent);
  // Events are folded one after another, even when one needs a reload.
  let folding = Promise.resolve();
  const inOrder = (event) => {
    folding = folding.then(() => onEvent(event)).catch(failed);
  };
  const badge = liveBadge($("#live"));
  follow(`game:${gameId}`, first.position, inOrder, (status) => {
    badge(status);
    // The feed resumes where it stopped, bringing what was missed meanwhile.
    if (status === "live") clearError("network");
  });
}

start();
