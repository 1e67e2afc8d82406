// Verdicts: the engine's judgement of each move of a game, for the replay page.
//
// They are loaded after the board, so the replay is instant; the server
// bounds and caches the work (see docs/web.md).

import { api, el } from "./common.js";

const WORDS = {
  best: "best move",
  good: "good: keeps the result",
  inaccuracy: "inaccuracy: a slower win or a quicker loss",
  mistake: "mistake",
  blunder: "blunder",
  unknown: "too deep to judge in time",
};

export class Verdicts {
  constructor(gamePath) {
    this.gamePath = gamePath;
    this.moves = [];
    this.loaded = false;
  }

  async load() {
    const answer = await api(`${this.gamePath}/verdicts`);
    this.moves = answer.moves;
    this.loaded = true;
    return this.moves;
  }

  // The verdict of move `number` (from 1), or null before it is known.
  of(number) {
    return this.moves[number - 1] ?? null;
  }

  // Say a move's verdict in plain words: "best move (+3)", "blunder: turns a win into a loss".
  words(number) {
    const move = this.of(number);
    if (!move) return "";
    let text = WORDS[move.verdict] ?? move.verdict;
    if (move.mistake) text += `: ${move.mistake}`;
    if (move.verdict !== "unknown") text += ` (kept ${move.kept.text}, best ${move.best.text})`;
    return text;
  }

  chip(number) {
    const move = this.of(number);
    if (!move) return null;
    return el("span", { class: `verdict ${move.verdict}`, title: this.words(number), dataset: { verdict: move.verdict } },
      move.verdict);
  }
}
