// Names that are yours: the secrets of the names this browser plays under.
//
// The first time this browser plays under a free name it claims it: the
// server answers a secret, once, kept here in local storage (the server keeps
// only its digest). Every request that plays under a name brings these
// secrets; a name claimed elsewhere is refused (name_taken). A device link
// (#player=…&link=… on any page, made by "Use on another device") gives
// another browser a secret of its own for the name, and so its seats.

import { $, api, copyText, el, replaceChildren } from "./common.js";

const IDENTITIES_KEY = "connect-four:identities";

export function identities() {
  try {
    const kept = JSON.parse(localStorage.getItem(IDENTITIES_KEY) || "[]");
    return Array.isArray(kept) ? kept.filter((i) => i && i.key && i.secret) : [];
  } catch (error) {
    return [];
  }
}

function keep({ player, key, secret }) {
  const others = identities().filter((identity) => identity.key !== key);
  localStorage.setItem(IDENTITIES_KEY, JSON.stringify([...others, { player, key, secret }]));
}

// The secrets every request that plays under a name sends along.
export function playerSecrets() {
  return identities().map((identity) => identity.secret);
}

// The secret of a name by its key (the server's `player_keys`), if held here.
export function secretForKey(key) {
  const identity = identities().find((i) => i.key === key);
  return identity ? identity.secret : null;
}

// Close to the server's key (NFC, case-folded), for lists that show no keys.
export function sameName(first, second) {
  const fold = (name) => String(name).normalize("NFC").toUpperCase().toLowerCase().normalize("NFC");
  return first != null && second != null && fold(first) === fold(second);
}

export function holdsName(name) {
  return identities().some((identity) => sameName(identity.player, name));
}

// After a game was opened or joined under these names: claim the free ones.
// A name this browser holds already is confirmed; a failure changes nothing,
// since the seats just taken play by their tokens anyway.
export async function claimNames(names) {
  for (const name of names) {
    try {
      const answer = await api("/api/players", {
        method: "POST",
        body: { player: name, player_secrets: playerSecrets() },
      });
      if (answer.secret) keep(answer);
    } catch (error) {
      // name_taken: claimed a moment ago elsewhere; the seat plays by its token.
    }
  }
  showIdentities();
}

// A device link in the page's fragment: hold its name here too.
async function takeLink() {
  const params = new URLSearchParams(window.location.hash.slice(1));
  const player = params.get("player");
  const code = params.get("link");
  if (!player || !code) return;
  history.replaceState(null, "", window.location.pathname + window.location.search);
  const status = $("#identity-status");
  try {
    keep(await api("/api/players/devices", { method: "POST", body: { player, code } }));
    if (status) status.textContent = `You now play as ${player} on this device too, with all of ${player}'s seats.`;
  } catch (error) {
    if (status) status.textContent = error.message;
  }
}

async function issueLink(identity, place) {
  try {
    const link = await api("/api/players/links", {
      method: "POST",
      body: { player: identity.player, secret: identity.secret },
    });
    const id = `link-${identity.key.replace(/[^a-z0-9]/g, "_")}`;
    const input = el("input", { type: "text", readonly: true, class: "grow link-url", id, value: link.link_url });
    replaceChildren(place,
      el("label", { for: id }, `Open this link on your other device, once, within 30 minutes: it plays as ${identity.player} there.`),
      el("div", { class: "row" }, input,
        el("button", { type: "button", onclick: (e) => copyText(input.value, e.target) }, "Copy")));
  } catch (error) {
    replaceChildren(place, el("span", { class: "error" }, error.message));
  }
}

// Fill the "Your names" panel (#identity), if the page has one.
export function showIdentities() {
  const panel = $("#identity");
  const list = $("#identity-names");
  if (!panel || !list) return;
  const held = identities();
  panel.classList.toggle("hidden", held.length === 0 && !$("#identity-status").textContent);
  replaceChildren(list, held.map((identity) => {
    const place = el("div", { class: "stack" });
    return el("li", { class: "stack" },
      el("div", { class: "row" },
        el("span", { class: "grow" }, identity.player),
        el("button", { type: "button", class: "link-device", onclick: () => issueLink(identity, place) },
          "Use on another device")),
      place);
  }));
}

// Every page with the panel: take a link from the fragment first, then show.
export const ready = takeLink().then(showIdentities);
