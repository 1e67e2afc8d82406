// Hints: on request, the engine's worth of each column for the player to move.
//
// The server answers only the holder of the seat whose turn it is, and stores
// nothing: asking for a hint changes nothing anyone else sees. The hints go
// when the position changes, since they are about the position they were
// asked in.

import { $, api, el, replaceChildren } from "./common.js";

const KINDS = { 1: "win", 0: "draw", "-1": "loss" };

// A column's hint in a few words for its badge: "win 3", "draw", "lose 2", "?".
export function badgeText(hint) {
  if (hint.score === null) return "?";
  if (!hint.exact) return KINDS[Math.sign(hint.score)];
  return hint.words.replace(" in ", " ");
}

export function kindOf(hint) {
  return hint.score === null ? "unknown" : KINDS[Math.sign(hint.score)];
}

export class HintPanel {
  // tokenForNext() returns this browser's token for the player to move, or null.
  constructor(gamePath, tokenForNext) {
    this.gamePath = gamePath;
    this.tokenForNext = tokenForNext;
    this.version = null;
    this.asking = false;
    this.button = $("#hint-button");
    this.note = $("#hint-note");
    this.button.addEventListener("click", () => this.ask());
    document.addEventListener("keydown", (event) => {
      if (event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement) return;
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.key === "?" || event.key === "h") {
        event.preventDefault();
        this.ask();
      }
    });
  }

  // Follow the game: offer hints on this browser's turn, drop them when the position changes.
  update(state) {
    const yours = state.status === "playing" && this.tokenForNext() !== null;
    $("#hint-bar").classList.toggle("hidden", !yours);
    this.button.disabled = !yours || this.asking;
    if (state.version !== this.version) this.clear();
    this.version = state.version;
    this.state = state;
  }

  clear() {
    document.querySelectorAll(".hint-badge").forEach((badge) => badge.remove());
    this.note.textContent = "";
    $("#hint-words").textContent = "";
  }

  async ask() {
    const token = this.tokenForNext();
    if (!token || this.asking || !this.state || this.state.status !== "playing") return;
    const version = this.state.version;
    this.asking = true;
    this.button.disabled = true;
    this.note.textContent = "Working out hints…";
    try {
      const hints = await api(`${this.gamePath}/hints`, { token });
      if (this.state.version === version) this.show(hints);
    } catch (error) {
      if (this.state.version === version) this.note.textContent = error.message;
    } finally {
      this.asking = false;
      this.update(this.state);
    }
  }

  show(hints) {
    this.clear();
    const spoken = [];
    for (const [column, hint] of Object.entries(hints.columns)) {
      const button = document.querySelector(`.column[data-column="${column}"]`);
      if (!button) continue;
      button.append(el("span", {
        class: `hint-badge ${kindOf(hint)}`, title: `${column}: ${hint.words}`, "aria-hidden": "true",
        dataset: { hint: column },
      }, badgeText(hint)));
      spoken.push(`${column}: ${hint.words}`);
    }
    replaceChildren(this.note, `For ${hints.player}: `,
      el("strong", {}, "win in N"), " counts your moves (this one too), ",
      el("strong", {}, "lose in N"), " your opponent's; ? is too deep to tell in time.");
    $("#hint-words").textContent = `Hints for ${hints.player}. ${spoken.join(". ")}.`;
  }
}
