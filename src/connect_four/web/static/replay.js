// Replay: step or scrub through a game's events; fork a new game from any position.

import { BoardView } from "./board.js";
import { $, api, el, keepOpening, replaceChildren, shortId } from "./common.js";
import { Verdicts } from "./verdicts.js";
import { playerSecrets } from "./identity.js";

const gameId = decodeURIComponent(window.location.pathname.split("/")[2] || "");
const gamePath = `/api/games/${encodeURIComponent(gameId)}`;
const board = new BoardView($("#board"));
const verdicts = new Verdicts(gamePath);
let events = [];
let moves = [];
let game = null;
let shown = 0;
let timer = null;

$("#game-link").href = `/games/${encodeURIComponent(gameId)}`;
$("#events-link").href = `/streams/${encodeURIComponent(`game-${gameId}`)}`;

function describe(count) {
  if (count === 0) return "Start: an empty board";
  const mover = count % 2 === 1 ? game.player_one : game.player_two;
  let text = `Move ${count} of ${moves.length}: ${mover} plays ${moves[count - 1]}`;
  if (count === moves.length && game.status === "finished") {
    text += game.winner === null ? " — a tie" : ` — ${game.winner} wins`;
    if (game.ending && game.ending.kind === "resigned") text += ` (${game.ending.player} resigned)`;
    if (game.ending && game.ending.kind === "claimed") text += " (on time: the other was gone too long)";
  }
  return text;
}

function show(count, { animate = true } = {}) {
  shown = Math.max(0, Math.min(moves.length, count));
  board.show(moves.slice(0, shown), { animate: animate && count > 0 });
  $("#scrub").value = String(shown);
  replaceChildren($("#turn"), describe(shown), shown > 0 ? verdicts.chip(shown) : null);
  // A game resigned or won on time ended off the board: play on from there in a fork.
  const finishedHere = shown === moves.length && game.status === "finished" && !game.ending;
  $("#fork").disabled = finishedHere;
  $("#fork").title = finishedHere ? "The game is over at this point" : "Start a new game from this position";
  // Highlight the events folded so far: GameStarted plus one per move.
  let movesSeen = 0;
  for (const item of $("#events").children) {
    // The event that ended a game off the board goes with its GameFinished.
    const type = ["PlayerResigned", "WinClaimed"].includes(item.dataset.type) ? "GameFinished" : item.dataset.type;
    if (type === "MoveMade") movesSeen += 1;
    const folded = type === "GameStarted" || (type === "MoveMade" && movesSeen <= shown)
      || (type === "GameFinished" && shown === moves.length);
    const current = (type === "GameStarted" && shown === 0)
      || (type === "MoveMade" && movesSeen === shown)
      || (type === "GameFinished" && shown === moves.length);
    item.classList.toggle("current", current);
    item.classList.toggle("muted", !folded);
    if (current) {
      // Scroll the list only, never the page around it.
      const list = $("#events");
      list.scrollTop = item.offsetTop - list.offsetTop - list.clientHeight / 2;
    }
  }
}

function stop() {
  clearInterval(timer);
  timer = null;
  $("#play").textContent = "Play";
}

$("#scrub").addEventListener("input", () => { stop(); show(Number($("#scrub").value), { animate: false }); });
$("#first").addEventListener("click", () => { stop(); show(0); });
$("#back").addEventListener("click", () => { stop(); show(shown - 1, { animate: false }); });
$("#forward").addEventListener("click", () => { stop(); show(shown + 1); });
$("#last").addEventListener("click", () => { stop(); show(moves.length, { animate: false }); });
$("#play").addEventListener("click", () => {
  if (timer) return stop();
  if (shown >= moves.length) show(0, { animate: false });
  $("#play").textContent = "Pause";
  timer = setInterval(() => (shown >= moves.length ? stop() : show(shown + 1)), 700);
});
document.addEventListener("keydown", (event) => {
  if (event.target instanceof HTMLInputElement && event.target.type !== "range") return;
  const moveTo = { ArrowLeft: shown - 1, ArrowRight: shown + 1, Home: 0, End: moves.length }[event.key];
  if (moveTo === undefined || event.target === $("#scrub")) return;
  event.preventDefault();
  stop();
  show(moveTo, { animate: event.key === "ArrowRight" });
});

$("#fork").addEventListener("click", async () => {
  $("#error").textContent = "";
  try {
    const opening = await api(`${gamePath}/forks`, { method: "POST", body: { moves: shown, player_secrets: playerSecrets() } });
    keepOpening(opening);
    window.location.assign(`/games/${encodeURIComponent(opening.game_id)}`);
  } catch (error) {
    $("#error").textContent = error.message;
  }
});

async function start() {
  try {
    [game, { events }] = await Promise.all([api(gamePath), api(`${gamePath}/events`)]);
  } catch (error) {
    $("#turn").textContent = error.status === 404 ? "There is no such game." : error.message;
    return;
  }
  moves = events.filter((e) => e.type === "MoveMade").map((e) => e.data.column);
  board.setPlayers(game.player_one, game.player_two);
  replaceChildren($("#players"),
    el("span", { class: "player name-red" }, game.player_one ?? "?"), el("span", { class: "vs" }, "vs"),
    el("span", { class: "player name-yellow" }, game.player_two ?? "?"));
  document.title = `Replay: ${game.player_one ?? "?"} vs ${game.player_two ?? "?"} · Connect Four`;
  let movesSeen = 0;
  replaceChildren($("#events"), events.map((event) => {
    const target = event.type === "MoveMade" ? ++movesSeen : event.type === "GameStarted" ? 0 : moves.length;
    return el("li", { dataset: { type: event.type } },
      el("button", { type: "button", onclick: () => { stop(); show(target, { animate: false }); } },
        el("span", { class: "pos" }, `${event.stream_position} · #${event.global_position}`),
        el("span", { class: "type" }, event.type),
        el("pre", { class: "json" }, JSON.stringify(event.data))));
  }));
  $("#scrub").max = String(moves.length);
  if (game.forked_from) {
    const origin = game.forked_from;
    $("#origin").classList.remove("hidden");
    replaceChildren($("#origin"), "Forked from ",
      el("a", { href: `/games/${encodeURIComponent(origin.game_id)}/replay` }, `game #${shortId(origin.game_id)}`),
      ` after ${origin.moves} moves.`);
  }
  const requested = Number.parseInt(new URLSearchParams(window.location.search).get("move") ?? "", 10);
  show(Number.isNaN(requested) ? moves.length : requested, { animate: false });
  // The engine's verdicts come after the board, so the replay never waits for them.
  $("#verdict-note").textContent = "The engine is judging each move…";
  verdicts.load().then(() => {
    let number = 0;
    for (const item of $("#events").children) {
      if (item.dataset.type === "MoveMade") item.querySelector(".type").after(" ", verdicts.chip(++number));
    }
    $("#verdict-note").textContent = "Each move's verdict: best, good (keeps the result), inaccuracy (a slower win"
      + " or a quicker loss), mistake (a win into a draw, a draw into a loss), blunder (a win into a loss).";
    show(shown, { animate: false });
  }).catch((error) => {
    $("#verdict-note").textContent = `No verdicts: ${error.message}`;
  });
}

start();
