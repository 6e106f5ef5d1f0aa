// Parley protocol client: one WebSocket, the hello handshake, requests matched to replies by ref,
// and a ping every `heartbeat` seconds. No UI code here; the page listens to its events.

const SUBPROTOCOL = 'parley.v1';

/** Asks the server for a guest token: {token, user, expiresAt}. */
export function guestLogin(nickname, base = document.baseURI) {
  return postJson('api/auth/guest', { nickname }, base);
}

/** Signs in a registered user: {token, user, expiresAt}. */
export function accountLogin(username, password, base = document.baseURI) {
  return postJson('api/auth/login', { username, password }, base);
}

/** Creates an account: {user}. */
export function register(username, password, base = document.baseURI) {
  return postJson('api/auth/register', { username, password }, base);
}

async function postJson(path, body, base) {
  const response = await fetch(new URL(path, base), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
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
 * Events: 'state' (detail: 'connecting' | 'online' | 'closed'), 'close' (detail: {code, reason}),
 * and one event per server frame type ('welcome', 'message', 'presence', 'typing', ...) with the frame as detail.
 */
export class ParleyClient extends EventTarget {
  #url;
  #token;
  #socket = null;
  #pending = new Map();
  #nextRef = 1;
  #pinger = null;

  constructor({ url = socketUrl(), token }) {
    super();
    this.#url = url;
    this.#token = token;
    this.state = 'closed';
  }

  /** Opens the socket and says hello; resolves with the welcome frame. */
  connect() {
    this.#setState('connecting');
    const socket = new WebSocket(this.#url, SUBPROTOCOL);
    this.#socket = socket;
    socket.addEventListener('open', () => {
      this.request({ type: 'hello', token: this.#token }).catch(() => {});
    });
    socket.addEventListener('message', (event) => this.#receive(event.data));
    socket.addEventListener('close', (event) => {
      clearInterval(this.#pinger);
      for (const { reject } of this.#pending.values()) {
        reject(new Error('connection closed'));
      }
      this.#pending.clear();
      this.#setState('closed');
      this.dispatchEvent(new CustomEvent('close', { detail: { code: event.code, reason: event.reason } }));
    });
    return new Promise((resolve, reject) => {
      const onWelcome = (event) => { cleanup(); resolve(event.detail); };
      const onClose = (event) => { cleanup(); reject(new Error(`closed ${event.detail.code} ${event.detail.reason}`)); };
      const cleanup = () => {
        this.removeEventListener('welcome', onWelcome);
        this.removeEventListener('close', onClose);
      };
      this.addEventListener('welcome', onWelcome);
      this.addEventListener('close', onClose);
    });
  }

  close() {
    this.#socket?.close(1000, 'bye');
  }

  /** Sends a frame with a fresh ref; resolves with the reply carrying that ref, rejects on `error`. */
  request(frame) {
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

  join(room, password) { return this.request({ type: 'join', room, ...(password ? { password } : {}) }); }
  leave(room) { return this.request({ type: 'leave', room }); }
  history(room, before, limit = 50) {
    return this.request({ type: 'history', room, limit, ...(before ? { before } : {}) });
  }
  send(room, text, clientMsgId = crypto.randomUUID(), replyTo) {
    return this.request({ type: 'send', room, text, clientMsgId, ...(replyTo ? { replyTo } : {}) });
  }
  ack(room, seq) { this.notify({ type: 'ack', room, seq }); }
  typing(room) { this.notify({ type: 'typing', room }); }

  #send(frame) {
    if (this.#socket?.readyState === WebSocket.OPEN) {
      this.#socket.send(JSON.stringify(frame));
    } else if (frame.ref) {
      this.#settle(frame.ref, { type: 'error', code: 'unavailable', message: 'not connected' });
    }
  }

  #receive(data) {
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      return;
    }
    if (frame.type === 'welcome') {
      this.#setState('online');
      this.#startPinging(frame.heartbeat);
    }
    if (frame.ref) {
      this.#settle(frame.ref, frame);
    }
    this.dispatchEvent(new CustomEvent(frame.type, { detail: frame }));
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

  #startPinging(seconds) {
    clearInterval(this.#pinger);
    this.#pinger = setInterval(() => this.notify({ type: 'ping', t: Date.now() }), seconds * 1000);
  }

  #setState(state) {
    this.state = state;
    this.dispatchEvent(new CustomEvent('state', { detail: state }));
  }
}
