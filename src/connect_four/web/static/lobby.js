// The lobby: start a game, see open and finished games and the leaderboard, live.

import { $, api, debounce, el, follow, keepOpening, liveBadge, replaceChildren, seatsOf, shortId } from "./common.js";
import { claimNames, holdsName, identities, playerSecrets, ready } from "./identity.js";

const form = $("#start");
const errorBox = $("#start-error");

// A name this browser holds is the one it most likely plays under again.
ready.then(() => {
  const held = identities();
  if (held.length && !$("#player-one").value) $("#player-one").value = held[held.length - 1].player;
});

function mode() {
  return form.querySelector("input[name=mode]:checked").value;
}

form.addEventListener("change", () => {
  $("#second").classList.toggle("hidden", mode() !== "local");
  $("#level-box").classList.toggle("hidden", mode() !== "computer");
});

api("/api/computer").then(({ levels }) => {
  if (!levels.length) return;
  replaceChildren($("#level"), levels.map((level) => el("option", { value: level }, level)));
  $("#level").value = levels.includes("medium") ? "medium" : levels[0];
  $("#computer-choice").classList.remove("hidden");
}).catch(() => {});

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  errorBox.textContent = "";
  const playerOne = $("#player-one").value.trim();
  const body = { player_one: playerOne, player_secrets: playerSecrets() };
  if (mode() === "local") body.player_two = $("#player-two").value.trim();
  if (mode() === "computer") {
    body.computer = $("#level").value;
    body.computer_first = $("#first-mover").value === "computer";
  }
  $("#start-button").disabled = true;
  try {
    const opening = await api("/api/games", { method: "POST", body });
    keepOpening(opening);
    await claimNames(opening.seats.map((seat) => seat.player));
    window.location.assign(`/games/${encodeURIComponent(opening.game_id)}`);
  } catch (error) {
    errorBox.textContent = error.message;
    $("#start-button").disabled = false;
  }
});

function names(game) {
  const second = game.player_two === null
    ? el("span", { class: "muted" }, "waiting for a friend…")
    : el("span", { class: "name-yellow" }, game.player_two);
  return el("span", { class: "names" },
    el("span", { class: "name-red" }, game.player_one ?? "?"), el("span", { class: "muted" }, " vs "), second);
}

function gameItem(game) {
  const mine = seatsOf(game.game_id).length > 0 || holdsName(game.player_one) || holdsName(game.player_two);
  const link = `/games/${encodeURIComponent(game.game_id)}`;
  const actions = game.status === "finished"
    ? [el("a", { class: "button", href: `${link}/replay` }, "Replay")]
    : [el("a", { class: "button", href: link }, mine ? "Play" : "Watch")];
  let detail = `${game.moves} moves`;
  if (game.status === "finished") detail = game.winner === null ? `Tied in ${game.moves}` : `${game.winner} won in ${game.moves}`;
  if (game.ending && game.ending.kind === "resigned") detail = `${game.ending.player} resigned: ${detail}`;
  if (game.ending && game.ending.kind === "claimed") detail = `${game.winner} claimed the win: ${game.moves} moves`;
  return el("li", { dataset: { game: game.game_id } },
    el("span", { class: `chip ${game.status}` }, game.status),
    names(game),
    el("span", { class: "muted small" }, detail),
    el("span", { class: "muted small", title: game.game_id }, `#${shortId(game.game_id)}`),
    actions);
}

function fill(list, games, emptyText) {
  replaceChildren(list, games.length ? games.map(gameItem) : [el("li", { class: "empty" }, emptyText)]);
}

// Each list shows a page of its games; every game is reachable page by page.
const PAGE = 10;
const lists = {
  waiting: { element: $("#open-games"), empty: "No game is waiting. Start one!", offset: 0 },
  playing: { element: $("#playing-games"), empty: "No game in play.", offset: 0 },
  finished: { element: $("#finished-games"), empty: "No finished games yet.", offset: 0 },
};

async function fillList(status) {
  const list = lists[status];
  // One more than a page tells whether an older page exists.
  const page = await api(`/api/games?status=${status}&limit=${PAGE + 1}&offset=${list.offset}`);
  fill(list.element, page.games.slice(0, PAGE), list.empty);
  const pager = document.querySelector(`.pager[data-list="${status}"]`);
  const shown = Math.min(page.games.length, PAGE);
  const move = (step) => () => { list.offset = Math.max(0, list.offset + step); fillList(status).catch(showFailure); };
  replaceChildren(pager,
    el("span", { class: "muted small" }, shown ? `${list.offset + 1}–${list.offset + shown}` : ""),
    el("span", { class: "row" },
      el("button", { type: "button", disabled: list.offset === 0, onclick: move(-PAGE), "aria-label": `Newer ${status} games` }, "‹ Newer"),
      el("button", { type: "button", disabled: page.games.length <= PAGE, onclick: move(PAGE), "aria-label": `Older ${status} games` }, "Older ›")));
  return page.position;
}

// A failed refresh says so until the next one succeeds.
let refreshFailed = false;
function showFailure(error) {
  refreshFailed = true;
  errorBox.textContent = error.message;
}

async function refresh() {
  try {
    const [position, , , board] = await Promise.all([
      fillList("playing"), fillList("waiting"), fillList("finished"), api("/api/leaderboard?limit=10"),
    ]);
    // The read side rates players (Elo), best first.
    replaceChildren($("#leaders"), board.players.length
      ? board.players.map((row, index) => el("tr", {},
          el("td", {}, index + 1), el("td", {}, row.player),
          el("td", { class: "num" }, row.won), el("td", { class: "num" }, row.lost),
          el("td", { class: "num" }, row.tied), el("td", { class: "num" }, row.rating)))
      : [el("tr", {}, el("td", { colspan: 6, class: "muted" }, "Finish a game to get on the board."))]);
    if (refreshFailed) errorBox.textContent = "";
    refreshFailed = false;
    return position;
  } catch (error) {
    showFailure(error);
    return null;
  }
}

const position = await refresh();
const later = debounce(refresh, 150);
follow("lobby", position ?? 0, later, liveBadge($("#live")));
