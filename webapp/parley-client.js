// Parley protocol client: one WebSocket, the hello handshake, requests matched to replies by ref, a ping
// every `heartbeat` seconds, reconnection with `resume`, in-order delivery without duplicates, and an
// outbox that keeps unsent messages across reconnects and page reloads. No UI code here; the page
// listens to its events.

const SUBPROTOCOL = 'parley.v1';
/**
 * The contract's frame limit. A bigger frame makes the server close the connection (1009, not reconnected), and
 * one kept in the outbox would be sent again after every reconnect and reload. Any text the server's text limit
 * allows (at most 8,000 characters) fits in it.
 */
const FRAME_BYTES = 65_536;

/** Asks the server for a guest token: {token, user, expiresAt}. */
export function guestLogin(nickname, base = document.baseURI) {
  return postJson('api/auth/guest', { nickname }, base);
}

/** Signs in a registered user: {token, user, expiresAt}. */
export function accountLogin(username, password, base = document.baseURI) {
  return postJson('api/auth/login', { username, password }, base);
}

/** Replaces the password, given the current one: {token, user, expiresAt}; the tokens of before stop working. */
export function changePassword(username, password, newPassword, base = document.baseURI) {
  return postJson('api/auth/password', { username, password, newPassword }, base);
}

/** Deletes the user's account for good, given its password; nothing comes back (204). */
export function deleteAccount(username, password, base = document.baseURI) {
  return postJson('api/auth/delete', { username, password }, base);
}

/** Creates an account: {user}. */
export function register(username, password, base = document.baseURI) {
  return postJson('api/auth/register', { username, password }, base);
}

/** Times a request is sent again that the server was too busy for (429 asking to wait a second or so). */
const BUSY_RETRIES = 3;
/**
 * Rooms paged with `sync` at once. After a long absence on a slow link the server's replay may leave hundreds of
 * rooms to page (it stops when a quarter of the connection's queue is waiting); asked all at once, past the
 * server's frame burst, the refusals would close the connection (4029).
 */
const SYNCS_AT_ONCE = 4;
/**
 * Syncs sent a second at most, whatever the rooms. The server takes 20 frames a second from a connection (a
 * burst of 40) and closes one refused too often (4029); the page acks up to 10 rooms a second besides, and an ack
 * turned away is not sent again: the server would resend what it did not ack, and close it after six resends.
 */
const SYNCS_PER_SECOND = 8;
/**
 * Sends and tips unanswered at once. Typed or pasted faster than the server takes frames (under an operator's low
 * rate, say), the rest wait their turn: all sent at once, the server would refuse more of them than its burst, and
 * close the connection as a flood (4029).
 */
const SENDS_AT_ONCE = 4;

async function postJson(path, body, base) {
  let response;
  for (let attempt = 0; ; attempt++) {
    response = await fetch(new URL(path, base), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    // A node hashes a few passwords at once and turns the others away rather than keep a thread waiting.
    const wait = Number(response.headers.get('Retry-After'));
    if (response.status !== 429 || !(wait > 0 && wait <= 5) || attempt === BUSY_RETRIES) break;
    await new Promise((resolve) => { setTimeout(resolve, wait * 1000); });
  }
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(answer.message || `the server answered ${response.status}`);
  }
  return answer;
}

/** ws(s)://host/ctx/ws for the page's own server. */
export function socketUrl(base = document.baseURI) {
  const url = new URL('ws', base);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

/**
 * Close codes after which the client reconnects by itself: the contract's 1001, 1006 and 4000-4499, and 1011, a
 * server error (a hello the server failed to answer), which a later attempt may not meet.
 */
export function reconnects(code) {
  return code === 1001 || code === 1006 || code === 1011 || (code >= 4000 && code < 4500);
}

/** Backoff before reconnect attempt n (0, 1, ...): exponential, capped at 30 s, with full jitter above half. */
export function backoff(attempt, random = Math.random) {
  const ceiling = Math.min(30_000, 500 * 2 ** attempt);
  return ceiling / 2 + random() * ceiling / 2;
}

/**
 * Events: 'state' (detail: 'connecting' | 'online' | 'offline' | 'closed'), 'close' (detail: {code,
 * reason, reconnecting}), 'message' (each room's messages once, in seq order), 'reload' (detail: {room}:
 * the room was recreated; load it again with history), 'outbox' (detail: the pending entries), 'refused'
 * (detail: an outbox entry from before a reload, with the server's `error`: it is not sent), 'turned-away'
 * (detail: the error the server answered `hello` with; it closes next), 'again' (detail: {room, seq}: a message
 * held already came again; ack the room up to seq), and one event per other server frame type ('welcome',
 * 'presence', 'typing', ...) with the frame as detail.
 */
export class ParleyClient extends EventTarget {
  #url;
  #token;
  #user;
  #socket = null;
  #pending = new Map();
  #nextRef = 1;
  /** Seconds between pings (the welcome's `heartbeat`), and the timer of the next ping or of the answer due. */
  #heartbeat = 0;
  #pinger = null;
  /** When the last ping went out and when the socket last brought a frame (performance.now(): no clock jumps). */
  #pingedAt = 0;
  #lastHeard = 0;
  /** A ping went unanswered while frames came: the next frame sends another. */
  #pingDue = false;
  #attempt = 0;
  #stopped = false;
  /** room -> {seq, epoch}: the highest seq held with all before it, sent in `resume`. */
  #positions = new Map();
  /** room -> epoch, as the last welcome gave them. */
  #epochs = new Map();
  #syncing = new Set();
  /** The current socket's places for syncs: a new socket gets new ones, whatever the old one's still hold. */
  #syncTurns = new Turns(SYNCS_AT_ONCE);
  /** When the next sync may go (performance.now()). */
  #nextSyncAt = 0;
  #outbox;
  /** clientMsgIds with a send under way (retried until receipted or refused). */
  #sending = new Set();
  /** Places for sends and tips under way, whatever the socket (a send waits for the next welcome in its place). */
  #sendTurns = new Turns(SENDS_AT_ONCE);
  /** Attempts to send again, oldest first, after sends were turned away for speed (see #again). */
  #refused = [];
  #pausesInARow = 0;

  constructor({ url = socketUrl(), token, user, storage = globalThis.localStorage }) {
    super();
    this.#url = url;
    this.#token = token;
    this.#user = user;
    this.#outbox = new Outbox(storage, user);
    this.state = 'closed';
  }

  /** Opens the socket and says hello; resolves with the first welcome. Reconnects by itself after that. */
  connect() {
    this.#stopped = false;
    const welcomed = new Promise((resolve, reject) => {
      const onWelcome = (event) => { cleanup(); resolve(event.detail); };
      const onClose = (event) => {
        if (event.detail.reconnecting) return;
        cleanup();
        reject(new Error(`closed ${event.detail.code} ${event.detail.reason}`));
      };
      const cleanup = () => {
        this.removeEventListener('welcome', onWelcome);
        this.removeEventListener('close', onClose);
      };
      this.addEventListener('welcome', onWelcome);
      this.addEventListener('close', onClose);
    });
    this.#open();
    return welcomed;
  }

  close() {
    this.#stopped = true;
    const socket = this.#socket;
    if (socket && socket.readyState !== WebSocket.CLOSED) {
      socket.close(1000, 'bye');
    } else if (this.state !== 'closed') {
      // Waiting to reconnect there is no socket whose close would say it: told here, or connect()'s promise
      // and whoever waits for the state would wait for good.
      this.#setState('closed');
      this.dispatchEvent(new CustomEvent('close', { detail: { code: 1000, reason: 'bye', reconnecting: false } }));
    }
  }

  #open() {
    this.#setState('connecting');
    const socket = new WebSocket(this.#url, SUBPROTOCOL);
    this.#socket = socket;
    this.#lastHeard = performance.now();
    socket.addEventListener('open', () => {
      // The server's error to hello (too many connections of the user, say) comes before its close: told with
      // 'turned-away', then the client tries again as after any such close.
      this.request(this.#hello()).catch((error) => {
        if (error.code !== 'unavailable') this.dispatchEvent(new CustomEvent('turned-away', { detail: error }));
      });
    });
    // A socket given up for its silence (see #startPinging) may still speak or close later: not heard any more.
    socket.addEventListener('message', (event) => { if (socket === this.#socket) this.#receive(event.data); });
    socket.addEventListener('close', (event) => { if (socket === this.#socket) this.#closed(event); });
  }

  #closed(event) {
    clearTimeout(this.#pinger);
    for (const { reject } of this.#pending.values()) {
      reject(Object.assign(new Error('connection closed'), { code: 'unavailable' }));
    }
    this.#pending.clear();
    this.#syncing.clear();
    this.#syncTurns.release();
    this.#syncTurns = new Turns(SYNCS_AT_ONCE);
    const reconnecting = !this.#stopped && reconnects(event.code);
    this.#setState(reconnecting ? 'offline' : 'closed');
    this.dispatchEvent(new CustomEvent('close', { detail: { code: event.code, reason: event.reason, reconnecting } }));
    if (reconnecting) {
      setTimeout(() => { if (!this.#stopped) this.#open(); }, backoff(this.#attempt++));
    }
  }

  /** Sends a frame with a fresh ref; resolves with the reply carrying that ref, rejects on `error`. */
  request(frame) {
    if (tooBig(frame)) return Promise.reject(tooBigError());
    const ref = String(this.#nextRef++);
    return new Promise((resolve, reject) => {
      this.#pending.set(ref, { resolve, reject });
      this.#send({ ...frame, ref });
    });
  }

  /** Sends a frame that gets no reply (ack, typing). */
  notify(frame) {
    this.#send(frame);
  }

  /** Joins the room, with its password or an invitation link's code when given. */
  async join(room, password, code) {
    const joined = await this.request({ type: 'join', room, ...(password ? { password } : {}),
      ...(code ? { code } : {}) });
    if (!this.#positions.has(room)) this.#positions.set(room, { seq: joined.seq, epoch: joined.epoch });
    return joined;
  }
  leave(room) {
    this.#positions.delete(room);
    return this.request({ type: 'leave', room });
  }
  /** A page of the rooms anybody may join whose names start with the prefix, after the room `after`. */
  directory(prefix, after, limit) {
    return this.request({ type: 'directory', ...(prefix ? { prefix } : {}), ...(after ? { after } : {}),
      ...(limit ? { limit } : {}) });
  }
  history(room, before, limit = 50) {
    return this.request({ type: 'history', room, limit, ...(before ? { before } : {}) });
  }
  /** The room's messages that hold the text, a page at a time: `found.before` asks for the next, older one. */
  search(room, text, before, limit = 20) {
    return this.request({ type: 'search', room, text, limit, ...(before ? { before } : {}) });
  }
  /** A new text for one's own message; the room learns it from the `edited` event that follows. */
  edit(room, seq, text) {
    return this.request({ type: 'edit', room, seq, text });
  }
  /** Deletes one's own message (or any, for the room's moderators). */
  delete(room, seq) {
    return this.request({ type: 'delete', room, seq });
  }

  /**
   * Sends a message through the outbox: it is kept (also across reloads) and sent again with the same
   * clientMsgId after every reconnect until its receipt arrives. Resolves with the receipt; rejects only
   * when the server refuses it (then it leaves the outbox).
   */
  send(room, text, clientMsgId = crypto.randomUUID(), replyTo) {
    const entry = { room, text, clientMsgId, ...(replyTo ? { replyTo } : {}) };
    if (tooBig({ type: 'send', ...entry })) return Promise.reject(tooBigError());
    this.#outbox.add(entry);
    this.#emitOutbox();
    return this.#deliver(entry);
  }

  /** The messages not yet receipted, oldest first. */
  pending() {
    return this.#outbox.entries();
  }

  /** Has every message of the room up to seq; read (optional) up to where the person has seen it, if less. */
  ack(room, seq, read = seq) {
    this.notify(read < seq ? { type: 'ack', room, seq, read } : { type: 'ack', room, seq });
  }

  typing(room) { this.notify({ type: 'typing', room }); }

  /**
   * Gives a member of the room a tip, sent again with the same clientMsgId until its receipt arrives (not kept
   * across reloads): a tip whose receipt a dropped connection lost is given once. Rejects when refused, or when
   * the client is closed for good.
   */
  tip(room, user, amount) {
    if (this.state === 'closed') {
      return Promise.reject(Object.assign(new Error('not connected'), { code: 'unavailable' }));
    }
    return this.#untilAnswered({ type: 'tip', room, user, amount, clientMsgId: crypto.randomUUID() });
  }

  #deliver(entry) {
    this.#sending.add(entry.clientMsgId);
    const done = () => {
      this.#sending.delete(entry.clientMsgId);
      this.#outbox.remove(entry.clientMsgId);
      this.#emitOutbox();
    };
    return this.#untilAnswered({ type: 'send', ...entry }).finally(done);
  }

  /**
   * Asks until answered or refused: a frame with a clientMsgId, which the server stores once whatever the asks.
   * {@link SENDS_AT_ONCE} at most are under way; the others wait in the order they were sent.
   */
  #untilAnswered(frame) {
    return this.#sendTurns.take().then(() => new Promise((resolve, reject) => {
      const attempt = () => {
        this.request(frame)
          .then((reply) => { this.#pausesInARow = 0; resolve(reply); })
          .catch((error) => {
            if (error.code === 'unavailable') {
              // Not sent, or sent and not answered: the same clientMsgId again after the next welcome.
              this.addEventListener('welcome', attempt, { once: true });
            } else if (error.code === 'rate_limited' || error.code === 'internal') {
              // Not refused, only not done, and the connection stays up: the same clientMsgId again soon.
              this.#again(attempt);
            } else {
              // Refused for good (muted, say): an answer, so the server is not busy, and the sends waiting behind
              // this one go at the first pace again rather than minutes apart.
              this.#pausesInARow = 0;
              reject(error);
            }
          });
      };
      attempt();
    })).finally(() => this.#sendTurns.give());
  }

  /**
   * Sends the server turned away for now (too fast, or busy) go again one at a time, each after a pause that
   * grows until a send gets its receipt or a refusal for good: all of them at once would be refused again, and a
   * client refused too often is closed as a flood.
   */
  #again(attempt) {
    this.#refused.push(attempt);
    if (this.#refused.length === 1) this.#nextAgain();
  }

  #nextAgain() {
    setTimeout(() => {
      this.#refused.shift()();
      if (this.#refused.length > 0) this.#nextAgain();
    }, backoff(1 + this.#pausesInARow++));
  }

  #send(frame) {
    if (this.#socket?.readyState === WebSocket.OPEN) {
      this.#socket.send(JSON.stringify(frame));
    } else if (frame.ref) {
      this.#settle(frame.ref, { type: 'error', code: 'unavailable', message: 'not connected' });
    }
  }

  #receive(data) {
    this.#lastHeard = performance.now();
    if (this.#pingDue) this.#ping();
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      return;
    }
    if (frame.type === 'welcome') this.#welcomed(frame);
    if (frame.type === 'pong') this.#pingLater();
    // Out of the room (a ban, a kick, a leave on another device): a later join starts from where it joins.
    if (frame.type === 'left') this.#positions.delete(frame.room);
    if (frame.type === 'message') {
      this.#message(frame);
    } else if (frame.type === 'synced') {
      this.#synced(frame);
    }
    if (frame.ref) {
      this.#settle(frame.ref, frame);
    }
    if (frame.type !== 'message') {
      this.dispatchEvent(new CustomEvent(frame.type, { detail: frame }));
    }
  }

  #welcomed(welcome) {
    this.#attempt = 0;
    this.#setState('online');
    this.#startPinging(welcome.heartbeat);
    this.#epochs.clear();
    for (const room of welcome.rooms) {
      const position = this.#positions.get(room.room);
      // A room we hold nothing of is shown from history; the replay may bring what is in it already.
      if (!position) this.#positions.set(room.room, { seq: null, epoch: room.epoch });
      this.#epochs.set(room.room, room.epoch);
    }
    // A room it does not list is ours no more (left or lost on another device, or while offline): joined again,
    // it goes on from its seq then, not from where this page stopped (a gap to page through, live held back).
    const listed = new Set(welcome.rooms.map((room) => room.room));
    for (const room of [...this.#positions.keys()]) {
      if (!listed.has(room)) this.#positions.delete(room);
    }
    // Messages typed while offline, or never receipted, go out again with the same clientMsgId. Nobody waits
    // for these (they were typed before a reload): a refusal is told with 'refused'.
    for (const entry of this.#outbox.entries()) {
      if (!this.#sending.has(entry.clientMsgId)) {
        this.#deliver(entry).catch((error) => {
          this.dispatchEvent(new CustomEvent('refused', { detail: { ...entry, error } }));
        });
      }
    }
  }

  /**
   * Drops what was seen already; on a gap asks for what is missing and takes the rest from the pages. A page
   * read from the store (`stored`) may pass over seqs: what retention removed never comes, and is not waited for.
   */
  #message(message, stored = false) {
    const position = this.#positions.get(message.room);
    if (!position) {
      this.dispatchEvent(new CustomEvent('message', { detail: message }));
      return;
    }
    if (position.seq != null && message.seq <= position.seq) {
      // Sent again: the ack that would have stopped it was lost (refused for speed, say). Unanswered, the
      // server would send it again and at last close the connection as one that does not read.
      if (!stored) this.dispatchEvent(new CustomEvent('again', { detail: { room: message.room, seq: position.seq } }));
      return;
    }
    if (!stored && position.seq != null && message.seq > position.seq + 1) {
      this.#sync(message.room);
      return;
    }
    position.seq = message.seq;
    this.dispatchEvent(new CustomEvent('message', { detail: message }));
  }

  #synced(synced) {
    const position = this.#positions.get(synced.room);
    if (!synced.recovered) {
      // The room was made anew: from here on the resume names it as it is now (with the epoch it had, every
      // reconnect would find it not recovered again, and replay nothing of it).
      const epoch = this.#epochs.get(synced.room) ?? position?.epoch;
      this.#positions.set(synced.room, { seq: synced.seq, epoch });
      this.dispatchEvent(new CustomEvent('reload', { detail: { room: synced.room } }));
    } else if (synced.more) {
      // A room the client holds nothing of whose replay the server left to the pages (a quarter of the queue
      // was waiting for this client): they begin where the replay would have.
      if (position && position.seq == null) position.seq = synced.seq;
      this.#sync(synced.room);
    }
  }

  /**
   * Pages with `sync` from the highest contiguous seq until the room has no more. A page turned away for now
   * (too fast, or busy) is asked again after a growing pause, the room still marked as syncing meanwhile: the
   * server holds the room's live messages until a page says there are no more. Offline, the resume after
   * reconnecting takes over (and the close forgot which rooms were syncing).
   */
  async #sync(room) {
    if (this.#syncing.has(room)) return;
    this.#syncing.add(room);
    const socket = this.#socket;
    const turns = this.#syncTurns;
    await turns.take();
    try {
      await this.#page(room, socket);
    } finally {
      turns.give();
    }
    if (socket === this.#socket) this.#syncing.delete(room);
  }

  /**
   * The room's pages, while the socket they began on is the client's. A page turned away waits longer each time
   * in a row; one that comes resets the wait.
   */
  async #page(room, socket) {
    let refusedInARow = 0;
    while (socket === this.#socket) {
      const position = this.#positions.get(room);
      if (!position || position.seq == null) return;
      try {
        await this.#paced();
        if (socket !== this.#socket) return; // reconnected meanwhile: the new socket's resume takes over
        const page = await this.request({ type: 'sync', room, after: position.seq, limit: 500 });
        refusedInARow = 0;
        for (const message of page.items) this.#message(message, true);
        if (!page.more) return;
      } catch (error) {
        if (error.code !== 'rate_limited' && error.code !== 'internal') return;
        await new Promise((resolve) => setTimeout(resolve, backoff(1 + refusedInARow++)));
      }
    }
  }

  /** Waits for the next sync's time: {@link SYNCS_PER_SECOND} at most, for all rooms together. */
  async #paced() {
    const now = performance.now();
    const at = Math.max(now, this.#nextSyncAt);
    this.#nextSyncAt = at + 1000 / SYNCS_PER_SECOND;
    if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
  }

  /** The page read history into an empty room position: live messages continue from its newest. */
  positionFromHistory(room, seq) {
    const position = this.#positions.get(room);
    if (position && position.seq == null) position.seq = seq;
  }

  #emitOutbox() {
    this.dispatchEvent(new CustomEvent('outbox', { detail: this.#outbox.entries() }));
  }

  #settle(ref, frame) {
    const pending = this.#pending.get(ref);
    if (!pending) return;
    this.#pending.delete(ref);
    if (frame.type === 'error') {
      const error = new Error(frame.message);
      error.code = frame.code;
      pending.reject(error);
    } else {
      pending.resolve(frame);
    }
  }

  /**
   * A ping every `seconds`. One that nothing answered within `seconds` + 5 s (the server answers each with a
   * pong) means a dead path that the socket does not know of (a network that changed, or drops everything),
   * which the browser could take many minutes to tell: the client gives it up and connects again. Frames but no
   * pong (a ping refused for speed, a pong behind a long replay): the connection lives, it pings again. Each
   * ping is set from the pong before it, not by a repeating timer: Chromium wakes a hidden tab's repeating and
   * chained timers once a minute, later than the server waits (2 x `heartbeat` + 5 s), while a timer set from a
   * network event keeps to its time.
   */
  #startPinging(seconds) {
    this.#heartbeat = seconds;
    this.#pingedAt = performance.now();
    this.#pingLater();
  }

  #pingLater() {
    clearTimeout(this.#pinger);
    this.#pingDue = false;
    const wait = Math.max(0, this.#pingedAt + this.#heartbeat * 1000 - performance.now());
    this.#pinger = setTimeout(() => this.#ping(), wait);
  }

  #ping() {
    clearTimeout(this.#pinger);
    this.#pingDue = false;
    const sentAt = performance.now();
    this.#pingedAt = sentAt;
    this.notify({ type: 'ping', t: Date.now() });
    this.#pinger = setTimeout(() => {
      // Frames came but no pong: the next frame pings again (from its event, as a pong would), unless nothing
      // more comes within the same time.
      if (this.#lastHeard < sentAt) {
        this.#giveUp();
        return;
      }
      this.#pingDue = true;
      this.#pinger = setTimeout(() => this.#giveUp(), (this.#heartbeat + 5) * 1000);
    }, (this.#heartbeat + 5) * 1000);
  }

  /**
   * The hello, with each room's position in `resume`; rooms it has no room for (hundreds of them, past the frame
   * limit) are left out and replayed from the read marker, as the contract has it for a room missing there.
   */
  #hello() {
    const rooms = [...this.#positions].filter(([, position]) => position.seq != null);
    const hello = (count) => ({
      type: 'hello',
      token: this.#token,
      resume: Object.fromEntries(rooms.slice(0, count)
        .map(([room, position]) => [room, { seq: position.seq, epoch: position.epoch }])),
    });
    let count = rooms.length;
    while (count > 0 && tooBig(hello(count))) count = Math.floor(count * 0.9);
    return hello(count);
  }

  #giveUp() {
    const silent = this.#socket;
    this.#socket = null;
    silent?.close(4000, 'no answer');
    this.#closed({ code: 1006, reason: 'the server stopped answering' });
  }

  #setState(state) {
    this.state = state;
    this.dispatchEvent(new CustomEvent('state', { detail: state }));
  }
}

/** Places for so many at once (a socket's syncs, the client's sends); the others wait their turn. */
class Turns {
  #free;
  #waiting = [];

  constructor(places) {
    this.#free = places;
  }

  async take() {
    if (this.#free > 0) {
      this.#free--;
      return;
    }
    await new Promise((resolve) => this.#waiting.push(resolve));
  }

  /** Hands the place on to the next waiting, or frees it. */
  give() {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#free++;
  }

  /** The socket closed: those waiting go on, to find it closed. */
  release() {
    this.#waiting.splice(0).forEach((resolve) => resolve());
  }
}

/** Whether the frame, with a ref, is more than the server takes in one. */
function tooBig(frame) {
  return new TextEncoder().encode(JSON.stringify({ ...frame, ref: '0000000000' })).length > FRAME_BYTES;
}

function tooBigError() {
  return Object.assign(new Error(`the message is too long to send (more than ${FRAME_BYTES} bytes)`),
    { code: 'too_large' });
}

/** Messages not yet receipted, kept in localStorage per user so that a reload does not lose them. */
class Outbox {
  #storage;
  #key;

  constructor(storage, user) {
    this.#storage = storage;
    this.#key = `parley.outbox.${user}`;
  }

  entries() {
    try {
      return JSON.parse(this.#storage?.getItem(this.#key) ?? '[]');
    } catch {
      return [];
    }
  }

  add(entry) {
    this.#save([...this.entries().filter((e) => e.clientMsgId !== entry.clientMsgId), entry]);
  }

  remove(clientMsgId) {
    this.#save(this.entries().filter((e) => e.clientMsgId !== clientMsgId));
  }

  #save(entries) {
    this.#storage?.setItem(this.#key, JSON.stringify(entries));
  }
}
