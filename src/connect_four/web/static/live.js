// One live connection per tab: a WebSocket carrying every feed the page follows.
//
// A browser opens at most six HTTP/1.1 connections to one host, and a
// Server-Sent Events feed holds one for as long as its page is open: with six
// live tabs, a seventh got no page and a move never left. WebSockets are not
// counted against that limit, and this one socket carries all of the page's
// feeds. When it drops (a network blip, a server restart) it reconnects by
// itself and asks for each feed again after the last global position it saw,
// so nothing is missed and nothing shown twice, whichever server answers.
// The protocol is in docs/web.md ("Live updates").

const PATH = "/api/live";
const RETRY_MS = 1000; // first wait before reconnecting; it doubles up to MAX_RETRY_MS
const MAX_RETRY_MS = 8000;
const SILENCE_MS = 45000; // the server sends a heartbeat every 15 s: three missed, it is gone

class LiveConnection {
  constructor() {
    this.feeds = new Map(); // name -> { after, onEvent, onStatus, stopped }
    this.socket = null;
    this.timer = null; // the pending reconnection
    this.watchdog = null;
    this.retryMs = RETRY_MS;
    this.nextRetryMs = null; // what the server asked for, if it did
    window.addEventListener("online", () => this.reconnectNow());
  }

  // Follow a feed after a global position: onEvent(event) for each event, in
  // order, once; onStatus("live" | "reconnecting" | "closed").
  follow(name, after, onEvent, onStatus) {
    const feed = { after, onEvent, onStatus, stopped: false };
    this.feeds.set(name, feed);
    if (this.isOpen()) this.subscribe(name, feed);
    else this.connect();
    return { close: () => this.unfollow(name, feed) };
  }

  unfollow(name, feed) {
    if (this.feeds.get(name) !== feed) return;
    this.feeds.delete(name);
    if (this.isOpen()) this.send({ type: "unsubscribe", feed: name });
  }

  isOpen() {
    return this.socket !== null && this.socket.readyState === WebSocket.OPEN;
  }

  connect() {
    if (this.socket !== null || this.timer !== null) return;
    const url = new URL(PATH, window.location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.onopen = () => {
      this.retryMs = RETRY_MS;
      this.heard();
      for (const [name, feed] of this.feeds) this.subscribe(name, feed);
    };
    socket.onmessage = (message) => {
      if (this.socket === socket) this.receive(message.data);
    };
    socket.onclose = () => this.lost(socket);
  }

  subscribe(name, feed) {
    this.send({ type: "subscribe", feed: name, after: feed.after });
  }

  send(request) {
    this.socket.send(JSON.stringify(request));
  }

  receive(text) {
    this.heard();
    let frame;
    try {
      frame = JSON.parse(text);
    } catch (error) {
      return;
    }
    const feed = frame.feed == null ? undefined : this.feeds.get(frame.feed);
    if (frame.type === "event" && feed) {
      const position = frame.event.global_position;
      if (position <= feed.after) return; // seen already
      feed.after = position;
      feed.onEvent(frame.event);
    } else if (frame.type === "subscribed" && feed) {
      feed.onStatus("live");
    } else if (frame.type === "reconnect") {
      this.nextRetryMs = Number(frame.retry_ms) || RETRY_MS;
    } else if (frame.type === "error") {
      console.warn(`live feed ${frame.feed ?? ""}: ${frame.message}`);
      // A feed the server refuses is not asked for again, unless the store
      // is out of reach: then the server closes the socket, and it comes back.
      if (feed && frame.status !== 503) {
        this.feeds.delete(frame.feed);
        feed.onStatus("closed");
      }
    }
  }

  // The socket is gone: say so, then reconnect after a while.
  lost(socket) {
    if (this.socket !== socket) return;
    this.socket = null;
    clearTimeout(this.watchdog);
    for (const feed of this.feeds.values()) feed.onStatus("reconnecting");
    // A little randomness keeps the tabs of a restarted server from all
    // coming back in the same instant.
    const wait = (this.nextRetryMs ?? this.retryMs) * (0.8 + 0.4 * Math.random());
    this.nextRetryMs = null;
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.feeds.size) this.connect();
    }, wait);
  }

  reconnectNow() {
    if (this.timer === null) return;
    clearTimeout(this.timer);
    this.timer = null;
    this.connect();
  }

  // Anything from the server shows the connection is alive; a long silence
  // means it died without a word (a laptop's sleep, a dropped network).
  heard() {
    clearTimeout(this.watchdog);
    const socket = this.socket;
    this.watchdog = setTimeout(() => {
      this.lost(socket);
      socket.close();
    }, SILENCE_MS);
  }
}

let connection = null;

// The tab's one live connection, opened on first use.
export function liveConnection() {
  if (connection === null) connection = new LiveConnection();
  return connection;
}
