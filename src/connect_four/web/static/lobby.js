// The lobby: start a game, see open and finished games and the leaderboard, live.

import { $, api, debounce, el, follow, keepOpening, liveBadge, replaceChildren, seatsOf, shortId } from "./common.js";

const form = $("#start");
const errorBox = $("#start-error");

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
  const body = { player_one: playerOne };
  if (mode() === "local") body.player_two = $("#player-two").value.trim();
  if (mode() === "computer") body.computer = $("#level").value;
  $("#start-button").disabled = true;
  try {
    const opening = await api("/api/games", { method: "POST", body });
    keepOpening(opening);
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
  const mine = seatsOf(game.game_id).length > 0;
  const link = `/games/${encodeURIComponent(game.game_id)}`;
  const actions = game.status === "finished"
    ? [el("a", { class: "button", href: `${link}/replay` }, "Replay")]
    : [el("a", { class: "button", href: link }, mine ? "Play" : "Watch")];
  let detail = `${game.moves} moves`;
  if (game.status === "finished") detail = game.winner === null ? `Tied in ${game.moves}` : `${game.winner} won in ${game.moves}`;
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

async function refresh() {
  try {
    const [all, finished, board] = await Promise.all([
      api("/api/games?limit=100"),
      api("/api/games?status=finished&limit=20"),
      api("/api/leaderboard?limit=10"),
    ]);
    const open = all.games.filter((game) => game.status !== "finished").slice(0, 20);
    fill($("#open-games"), open, "No open games. Start one!");
    fill($("#finished-games"), finished.games, "No finished games yet.");
    // The read side rates players (Elo), best first.
    replaceChildren($("#leaders"), board.players.length
      ? board.players.map((row, index) => el("tr", {},
          el("td", {}, index + 1), el("td", {}, row.player),
          el("td", { class: "num" }, row.won), el("td", { class: "num" }, row.lost),
          el("td", { class: "num" }, row.tied), el("td", { class: "num" }, row.rating)))
      : [el("tr", {}, el("td", { colspan: 6, class: "muted" }, "Finish a game to get on the board."))]);
    return all.position;
  } catch (error) {
    errorBox.textContent = error.message;
    return null;
  }
}

const position = await refresh();
const later = debounce(refresh, 150);
follow(`/api/lobby/live?after=${position ?? 0}`, later, liveBadge($("#live")));
