// The board: folded from the list of moves, drawn as buttons, one per column.
//
// For a screen reader each cell is an image named by its column, row and
// token ("D3: red, Ann"), and each column's button says what it holds.

import { el } from "./common.js";

export const COLUMNS = ["A", "B", "C", "D", "E", "F", "G"];
export const ROWS = 6;
const CONNECT = 4;
// After this browser's move is answered, clicks are ignored this long: a quick double click
// (or a key pressed twice) must not play a second move, for the other seat
// when this browser holds both.
export const SETTLE_MS = 400;

// Fold moves (column letters, player one first) into columns of tokens, bottom first.
export function foldMoves(moves) {
  const board = Object.fromEntries(COLUMNS.map((column) => [column, []]));
  moves.forEach((column, index) => board[column].push(index % 2 === 0 ? "RED" : "YELLOW"));
  return board;
}

// Return the cells ("A0" = column A, bottom row) of every line of four or more.
export function winningCells(board) {
  const at = (c, r) => (c >= 0 && c < COLUMNS.length && r >= 0 ? board[COLUMNS[c]][r] : undefined);
  const cells = new Set();
  for (let c = 0; c < COLUMNS.length; c++) {
    for (let r = 0; r < ROWS; r++) {
      const token = at(c, r);
      if (!token) continue;
      for (const [dc, dr] of [[1, 0], [0, 1], [1, 1], [1, -1]]) {
        const line = [];
        for (let step = 0; step < CONNECT && at(c + dc * step, r + dr * step) === token; step++) {
          line.push(`${COLUMNS[c + dc * step]}${r + dr * step}`);
        }
        if (line.length === CONNECT) line.forEach((cell) => cells.add(cell));
      }
    }
  }
  return cells;
}

export class BoardView {
  // onDrop(column) is called when a player picks a column; null makes it read-only.
  constructor(container, onDrop = null) {
    this.onDrop = onDrop;
    this.cursor = 3;
    this.nextToken = "RED";
    this.enabled = false;
    this.busy = false;
    this.settleUntil = 0;
    this.names = { RED: "red", YELLOW: "yellow" };
    this.shown = foldMoves([]);
    this.columns = COLUMNS.map((column, index) => {
      const cells = [];
      for (let row = ROWS - 1; row >= 0; row--) {
        cells.push(el("span", {
          class: "cell", role: "img", "aria-label": `${column}${row + 1}: empty`, dataset: { cell: `${column}${row}` },
        }));
      }
      const button = el(
        "button",
        {
          class: "column",
          type: "button",
          "aria-label": `Column ${index + 1} (${column}): empty`,
          dataset: { column },
          onclick: () => this.pick(column),
          onmouseenter: () => this.point(index),
          onfocus: () => this.point(index),
        },
        el("span", { class: "ghost", "aria-hidden": "true" }),
        cells,
      );
      return button;
    });
    this.element = el("div", { class: "board", role: "group", "aria-label": "Board" }, this.columns);
    container.replaceChildren(this.element);
    if (onDrop) this.listenToKeys();
  }

  listenToKeys() {
    document.addEventListener("keydown", (event) => {
      if (event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement) return;
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      const digit = Number.parseInt(event.key, 10);
      if (digit >= 1 && digit <= COLUMNS.length) {
        event.preventDefault();
        this.point(digit - 1);
        this.pick(COLUMNS[digit - 1]);
      } else if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
        event.preventDefault();
        const step = event.key === "ArrowLeft" ? -1 : 1;
        this.point((this.cursor + step + COLUMNS.length) % COLUMNS.length);
        this.columns[this.cursor].focus();
      } else if ((event.key === "Enter" || event.key === " ") && !(event.target instanceof HTMLButtonElement)) {
        event.preventDefault();
        this.pick(COLUMNS[this.cursor]);
      }
    });
  }

  point(index) {
    this.cursor = index;
    this.columns.forEach((button, i) => button.classList.toggle("pointed", i === index));
  }

  pick(column) {
    if (!this.onDrop || !this.enabled || this.busy || performance.now() < this.settleUntil) return;
    this.onDrop(column);
  }

  // Block every pick while a move is on its way to the server. With `settle`
  // (this browser or the computer moves next: pass-and-play, forks, a game
  // against the computer), keep blocking for a moment after the answer, so a
  // double click plays one move; a player whose opponent is a person
  // elsewhere is never held back.
  setBusy(busy, settle = true) {
    this.busy = busy;
    if (!busy) this.settleUntil = settle ? performance.now() + SETTLE_MS : 0;
    this.element.classList.toggle("busy", busy);
    this.element.setAttribute("aria-busy", String(busy));
  }

  // Name the players, for the cells' accessible names.
  setPlayers(playerOne, playerTwo) {
    this.names = { RED: playerOne ? `red, ${playerOne}` : "red", YELLOW: playerTwo ? `yellow, ${playerTwo}` : "yellow" };
    this.label(this.shown);
  }

  label(board) {
    this.columns.forEach((button, index) => {
      const column = COLUMNS[index];
      const tokens = board[column];
      for (let row = 0; row < ROWS; row++) {
        const cell = button.querySelector(`[data-cell="${column}${row}"]`);
        const token = tokens[row];
        cell.setAttribute("aria-label", `${column}${row + 1}: ${token ? this.names[token] : "empty"}`);
      }
      const held = tokens.map((token, row) => `row ${row + 1} ${this.names[token]}`).join("; ");
      const free = ROWS - tokens.length;
      const room = free === 0 ? "full" : `${free} free`;
      button.setAttribute("aria-label", `Column ${index + 1} (${column}): ${held ? `${held}; ` : ""}${room}`);
    });
  }

  // Let the player drop a token of a colour, or not.
  setTurn(enabled, token) {
    this.enabled = enabled;
    this.nextToken = token;
    this.element.classList.toggle("playable", enabled);
    this.element.dataset.next = token ? token.toLowerCase() : "";
    this.columns.forEach((button) => {
      const full = this.shown[button.dataset.column].length >= ROWS;
      button.disabled = !enabled || full;
    });
  }

  // Draw the board of these moves; tokens not on the board before fall in.
  show(moves, { animate = true } = {}) {
    const board = foldMoves(moves);
    const lines = winningCells(board);
    for (const column of COLUMNS) {
      for (let row = 0; row < ROWS; row++) {
        const cell = this.element.querySelector(`[data-cell="${column}${row}"]`);
        const token = board[column][row];
        const before = this.shown[column][row];
        if (token !== before) {
          cell.replaceChildren();
          if (token) {
            const piece = el("span", { class: `token ${token.toLowerCase()}` });
            if (animate) {
              piece.classList.add("falling");
              piece.style.setProperty("--fall", String(ROWS - row));
            }
            cell.append(piece);
          }
        }
        cell.classList.toggle("win", lines.has(`${column}${row}`));
      }
    }
    const last = moves.length ? moves[moves.length - 1] : null;
    this.element.querySelectorAll(".last").forEach((node) => node.classList.remove("last"));
    if (last) {
      const cell = this.element.querySelector(`[data-cell="${last}${board[last].length - 1}"]`);
      if (cell) cell.classList.add("last");
    }
    this.shown = board;
    this.label(board);
  }
}
