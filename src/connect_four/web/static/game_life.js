// A game's life beyond moves: resign, claim the win, call off, rematch; and the
// end of a game in the viewer's words ("Bob resigned: you win!").
//
// Every action is asked for with the seat token this browser holds and asked
// twice: a first click shows what will happen and a "Yes" button, so no stray
// click gives a game away. The server decides: a refusal is shown as it says.

import { api, el, keepSeats, replaceChildren } from "./common.js";

const SETTLE_MS = 250;

function other(state, player) {
  return player === state.player_one ? state.player_two : state.player_one;
}

// The end of a finished game, from the side of whoever looks at it.
export function endText(state, mine) {
  const me = mine.length === 1 ? mine[0] : null;
  const ending = state.ending;
  if (state.winner === null) return { text: "Draw: the board is full.", kind: "over" };
  const won = me !== null && me === state.winner;
  const lost = me !== null && me !== state.winner;
  const kind = won ? "over win" : lost ? "over lose" : "over";
  if (ending && ending.kind === "resigned") {
    if (ending.player === me) return { text: `You resigned: ${state.winner} wins.`, kind };
    return { text: `${ending.player} resigned: ${won ? "you win!" : `${state.winner} wins!`}`, kind };
  }
  if (ending && ending.kind === "claimed") {
    const gone = other(state, ending.player);
    if (gone === me) return { text: `You were gone too long: ${state.winner} wins.`, kind };
    return { text: `${gone} was gone too long: ${won ? "you win!" : `${state.winner} wins!`}`, kind };
  }
  if (won) return { text: "You win!", kind };
  if (lost) return { text: `You lose: ${state.winner} wins!`, kind };
  return { text: `${state.winner} wins!`, kind };
}

// What a waiting or called-off table says, or null for a game with both players.
export function tableText(state, mine) {
  const seats = state.seats;
  if (state.status === "abandoned") {
    return { text: mine.length ? "You called this game off: nobody will join it." : "This game was called off.", kind: "over" };
  }
  if (state.status === "waiting" && seats.offer_open) {
    return { text: `Waiting for ${seats.offered_to} to accept the rematch…`, kind: "" };
  }
  return null;
}

export class LifeControls {
  // `page` gives: gamePath, tokenFor(player), myNames(), render(view), failed(error).
  constructor(root, page) {
    this.root = root;
    this.page = page;
    this.asking = null;
    this.busy = false;
    this.timer = null;
    this.state = null;
  }

  update(state) {
    this.state = state;
    clearTimeout(this.timer);
    const buttons = this.actions(state);
    if (this.asking && !buttons.some((action) => action.id === this.asking)) this.asking = null;
    const shown = [];
    for (const action of buttons) {
      if (action.note) shown.push(el("p", { class: "muted small", id: `${action.id}-note` }, action.note));
      if (!action.label) continue;
      if (this.asking === action.id) {
        shown.push(el("p", { class: "confirm", id: `${action.id}-question` }, action.question),
          el("div", { class: "row" },
            el("button", { type: "button", class: "primary", id: `${action.id}-yes`, onclick: () => this.run(action) }, action.yes),
            el("button", { type: "button", id: `${action.id}-cancel`, onclick: () => this.ask(null) }, "Cancel")));
      } else {
        shown.push(el("button", {
          type: "button",
          id: action.id,
          disabled: this.busy,
          onclick: () => (action.question ? this.ask(action.id) : this.run(action)),
        }, action.label));
      }
    }
    replaceChildren(this.root, shown);
    this.root.classList.toggle("hidden", shown.length === 0);
  }

  ask(id) {
    this.asking = id;
    this.update(this.state);
    const focus = this.root.querySelector(id ? `#${id}-yes` : "button");
    if (focus) focus.focus();
  }

  async run(action) {
    if (this.busy) return;
    this.busy = true;
    this.asking = null;
    try {
      await action.run();
    } catch (error) {
      this.page.failed(error);
    } finally {
      this.busy = false;
      if (this.state) this.update(this.state);
    }
  }

  // The actions this browser's seats allow now, each with a label and what it does.
  actions(state) {
    const mine = this.page.myNames();
    if (mine.length === 0) return [];
    const seats = state.seats || {};
    if (state.status === "waiting") return this.waitingActions(state, mine);
    if (state.status === "playing") return this.playingActions(state, mine);
    if (state.status === "finished" && seats.on_web) return [this.rematchAction(state, mine)];
    return [];
  }

  waitingActions(state, mine) {
    const token = this.page.tokenFor(mine[0]);
    const what = state.seats.offer_open ? "this rematch" : "this game";
    return [{
      id: "withdraw",
      label: state.seats.offer_open ? "Call off the rematch" : "Call off this game",
      question: `Call off ${what}? Nobody will be able to join it.`,
      yes: "Yes, call it off",
      run: async () => this.page.render(await api(`${this.page.gamePath}/withdraw`, { method: "POST", body: {}, token })),
    }];
  }

  playingActions(state, mine) {
    const actions = [];
    // With both seats here, the player to move is the one who may give up.
    const player = mine.length > 1 ? state.next_player : mine[0];
    const token = this.page.tokenFor(player);
    const winner = other(state, player);
    actions.push({
      id: "resign",
      label: mine.length > 1 ? `Resign for ${player}` : "Resign",
      question: `Resign and let ${winner} win?`,
      yes: "Yes, resign",
      run: async () => this.page.render(await api(`${this.page.gamePath}/resign`, { method: "POST", body: {}, token })),
    });
    const claim = this.claimAction(state, mine);
    if (claim) actions.push(claim);
    return actions;
  }

  claimAction(state, mine) {
    const seats = state.seats || {};
    const waiting = state.claim;
    if (mine.length !== 1 || mine[0] === state.next_player || !waiting) return null;
    if (seats.computer && state.next_player === seats.computer_player) return null;
    const since = Date.parse(waiting.waiting_since);
    if (Number.isNaN(since)) return null;
    const due = since + waiting.after_seconds * 1000;
    const left = due - Date.now();
    if (left > 0) {
      this.timer = setTimeout(() => this.update(this.state), Math.min(left + SETTLE_MS, 2 ** 31 - 1));
      const at = new Date(due).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
      return { id: "claim", note: `If ${state.next_player} has not moved by ${at}, you may claim the win.` };
    }
    const token = this.page.tokenFor(mine[0]);
    const minutes = Math.round(waiting.after_seconds / 60);
    return {
      id: "claim",
      note: `${state.next_player} has not moved for ${minutes} minute${minutes === 1 ? "" : "s"}.`,
      label: "Claim the win",
      question: `Claim the win? ${state.next_player} loses this game.`,
      yes: "Yes, claim the win",
      run: async () => this.page.render(await api(`${this.page.gamePath}/claim`, { method: "POST", body: {}, token })),
    };
  }

  rematchAction(state, mine) {
    const offer = state.seats.rematch;
    const mineOffered = offer && mine.includes(offer.offered_by);
    const theirs = offer && !mineOffered;
    return {
      id: "rematch",
      note: theirs ? `${offer.offered_by} offers a rematch, colours swapped.` : null,
      label: theirs ? "Accept the rematch" : mineOffered ? "Go to the rematch" : "Rematch",
      run: () => this.rematch(mine),
    };
  }

  // Ask for the rematch with every seat this browser holds: the first offers
  // it, a second (both seats here) accepts it; each keeps its token.
  async rematch(mine) {
    let answer = null;
    for (const player of mine) {
      answer = await api(`${this.page.gamePath}/rematch`, { method: "POST", body: {}, token: this.page.tokenFor(player) });
      keepSeats(answer.game_id, [answer.seat]);
    }
    if (answer) window.location.assign(`/games/${encodeURIComponent(answer.game_id)}`);
  }
}
