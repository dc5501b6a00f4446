// Tally browser client: one live connection (WebSocket first, HTTP long-polling as the fallback)
// that resumes every room from the last position it saw, so the app gets each message once, in
// order, across reconnects and transport switches. Wire protocol: docs/PROTOCOL.md. Usage:
// docs/CLIENT.md. No dependencies, no build step: Chromium and WebKit load this file as it is.

const ROOM = /^[A-Za-z0-9_.-]{1,100}$/;
const OFFSET = /^\d{1,20}(-\d{1,20})?$/;

const DEFAULTS = {
  transports: ['websocket', 'polling'],
  welcomeTimeout: 4000,   // an upgrade that never says welcome (a proxy holding it) counts as failed
  backoffBase: 500,       // reconnect delays: full jitter, random(0, min(max, base * 2^attempt))
  backoffMax: 30000,
  probeInterval: 30000,   // while polling, try WebSocket again after this, doubling up to probeMax
  probeMax: 300000,
  rttInterval: 30000,     // how often to measure round-trip time (and a server clock sample) on WebSocket
  clockSamples: 4,        // extra quick samples of the server clock right after connecting, a second apart
};

// What the server says in its welcome; these stand in until one arrives.
const SERVER_DEFAULTS = { heartbeat: 25000, timeout: 20000, pollHold: 25000 };

/** Compares two offsets of one room numerically: MAJOR first, then MINOR (a missing MINOR is 0). */
export function compareOffsets(a, b) {
  const [a1, a2 = '0'] = a.split('-');
  const [b1, b2 = '0'] = b.split('-');
  const cmp = (x, y) => (x < y ? -1 : x > y ? 1 : 0);
  return cmp(BigInt(a1), BigInt(b1)) || cmp(BigInt(a2), BigInt(b2));
}

function isPosition(p) {
  return p != null && typeof p === 'object' && typeof p.epoch === 'string' && p.epoch !== ''
    && typeof p.offset === 'string' && OFFSET.test(p.offset);
}

// An app callback that throws must not break the connection; report it like an uncaught error.
function safely(fn, ...args) {
  try {
    if (typeof fn === 'function') fn(...args);
  } catch (e) {
    (typeof reportError === 'function' ? reportError : console.error)(e);
  }
}

// Retry-After is seconds or an HTTP date.
function retryAfterMillis(value) {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

// The server's clock as seen from here, NTP-style: a sample is the server's time in a reply plus half
// the round trip (the reply left the server about then), against our clock when the reply arrived;
// the estimate is the median of the last samples, so one slow round trip does not move it. Our own
// clock may be minutes off; the offset absorbs that.
class ServerClock {
  static KEEP = 9;
  samples = [];   // offsets (server - local), newest last
  coarse = null;  // from a reply whose round trip is unknown (a welcome): used until a real sample

  sample(serverTime, roundTrip) {
    if (!Number.isFinite(serverTime) || !Number.isFinite(roundTrip) || roundTrip < 0) return;
    this.samples.push(serverTime + roundTrip / 2 - Date.now());
    if (this.samples.length > ServerClock.KEEP) this.samples.shift();
  }

  rough(serverTime) {
    if (Number.isFinite(serverTime)) this.coarse = serverTime - Date.now();
  }

  get offset() {
    if (this.samples.length === 0) return this.coarse ?? 0;
    const sorted = [...this.samples].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  now() { return Date.now() + this.offset; }
}

/** Opens a live connection. See docs/CLIENT.md for the options. */
export function connect(options = {}) {
  return new Live(options);
}

// The session: owns the rooms and their positions, the state, reconnects and transport switches.
// Transports only move frames; members starting with `_` are the seam they call back through.
class Live {
  constructor(options) {
    this.options = { ...DEFAULTS, ...options };
    const page = globalThis.location?.href;
    // By default the server is the app that served this file (<app>/js/tally.js), so pages in
    // sub-folders and apps deployed under a context path find /live/* without configuration.
    const base = new URL(this.options.url ?? '..', this.options.url ? page : import.meta.url);
    // `url` may also name the WebSocket endpoint itself (ws(s)://host/app/live/ws): accept both.
    base.protocol = base.protocol.replace(/^ws/, 'http');
    base.pathname = base.pathname.replace(/live\/ws$/, '').replace(/\/?$/, '/');
    const ws = new URL(this.options.wsUrl ?? 'live/ws', this.options.wsUrl ? page : base);
    ws.protocol = ws.protocol.replace(/^http/, 'ws'); // http: -> ws:, https: -> wss:
    // Accept batches: a busy server may send several message frames as one JSON array (PROTOCOL.md).
    ws.searchParams.set('batch', '1');
    this._wsUrl = ws.href;
    this._pollUrl = new URL(this.options.pollUrl ?? 'live/poll', this.options.pollUrl ? page : base).href;
    this._rooms = new Map();          // name -> {name, position, listeners, count}
    this._clock = new ServerClock();
    this._stateListeners = new Set();
    this._state = Object.freeze({ status: 'connecting', transport: null, instance: null, rtt: null });
    this._server = { ...SERVER_DEFAULTS };
    this._timers = new Map();
    this._transport = null;           // the one transport whose frames count
    this._prober = null;              // a WebSocket trying to get a welcome while we poll
    this._attempts = 0;
    this._everConnected = false;
    this._wsBroken = false;           // polling works where WebSocket did not: start on polling
    this._probeDelay = this.options.probeInterval;
    this._closed = false;
    this._lastId = 0;
    // Coming back online is the best moment to retry: skip the rest of the backoff.
    this._onOnline = () => this._timers.has('reconnect') && this._use(this._preferred());
    globalThis.addEventListener?.('online', this._onOnline);
    this.debug = {
      /** Switches now: 'polling' stops the WebSocket and polls; 'websocket' probes and upgrades. */
      forceTransport: (kind) => this._force(kind),
      /** Breaks the current transport as a network failure would (it then reconnects and resumes). */
      drop: () => this._transport?.fail(),
      urls: { ws: this._wsUrl, poll: this._pollUrl },
      /** The server clock estimate: offset (ms to add to Date.now()) and the samples behind it. */
      clock: () => ({ offset: this._clock.offset, samples: [...this._clock.samples] }),
    };
    this._use(this._preferred());
  }

  get state() { return this._state; }

  /** The server's clock (epoch ms), estimated from replies; Date.now() until the first one. */
  serverNow() { return this._clock.now(); }

  /** Calls fn with the state now and on every change; returns a function that stops it. */
  onState(fn) {
    this._stateListeners.add(fn);
    safely(fn, this._state);
    return () => this._stateListeners.delete(fn);
  }

  /**
   * Subscribes to a room, from `since` (a position, e.g. from a REST snapshot) or from now. A second
   * subscription to a room already subscribed joins it where it is (its `since` is ignored).
   */
  subscribe(room, { since, onMessage, onReset, onError, onCount } = {}) {
    if (typeof room !== 'string' || !ROOM.test(room)) throw new TypeError('room name must match [A-Za-z0-9_.-]{1,100}');
    if (since != null && !isPosition(since)) throw new TypeError('since must be {epoch: "…", offset: "17" or "1-0"}');
    const listener = { onMessage, onReset, onError, onCount };
    let r = this._rooms.get(room);
    if (r) {
      r.listeners.add(listener);
      if (r.count != null) safely(onCount, r.count);
    } else {
      r = { name: room, position: since ? Object.freeze({ epoch: since.epoch, offset: since.offset }) : null,
        listeners: new Set([listener]), count: null };
      this._rooms.set(room, r);
      this._transport?.subscribe(r);
    }
    return {
      get position() { return r.position; },
      unsubscribe: () => {
        if (!r.listeners.delete(listener) || r.listeners.size > 0 || this._rooms.get(room) !== r) return;
        this._rooms.delete(room);
        this._transport?.unsubscribe(r);
      },
    };
  }

  /** Closes the connection for good; status becomes 'offline'. */
  close() {
    if (this._closed) return;
    this._closed = true;
    for (const id of this._timers.values()) clearTimeout(id);
    this._timers.clear();
    this._prober?.stop();
    this._transport?.stop();
    this._prober = this._transport = null;
    globalThis.removeEventListener?.('online', this._onOnline);
    this._setState({ status: 'offline', transport: null, instance: null, rtt: null });
  }

  // ---- internals --------------------------------------------------------------------------------

  _allows(kind) { return this.options.transports.includes(kind); }

  _preferred() {
    return this._allows('websocket') && !(this._wsBroken && this._allows('polling')) ? 'websocket' : 'polling';
  }

  _id() { return ++this._lastId; }

  _timer(name, ms, fn) {
    this._clearTimer(name);
    this._timers.set(name, setTimeout(() => { this._timers.delete(name); fn(); }, ms));
  }

  _clearTimer(name) { clearTimeout(this._timers.get(name)); this._timers.delete(name); }

  _setState(patch) {
    const next = { ...this._state, ...patch };
    if (Object.keys(next).every((k) => next[k] === this._state[k])) return;
    this._state = Object.freeze(next);
    for (const fn of [...this._stateListeners]) safely(fn, this._state);
  }

  _use(kind) {
    if (this._closed) return;
    this._clearTimer('reconnect');
    const t = kind === 'websocket' ? new WebSocketTransport(this, this._wsUrl) : new PollingTransport(this, this._pollUrl);
    this._transport = t;
    t.start();
  }

  _force(kind) {
    if (this._closed || !this._allows(kind)) throw new Error(`transport ${kind} is not enabled`);
    this._clearTimer('probe');
    if (kind === 'websocket') {
      if (this._transport?.kind !== 'websocket') this._probe(); // it takes over on its welcome
      return;
    }
    this._prober?.stop();
    this._prober = null;
    this._wsBroken = true;
    if (this._transport?.kind === 'polling') return;
    // A switch is a resume: stop the WebSocket first, then poll from the positions we hold.
    this._transport?.stop();
    this._setState({ status: 'reconnecting', transport: null, instance: null, rtt: null });
    this._use('polling');
  }

  _probe() {
    if (this._closed || this._prober) return;
    (this._prober = new WebSocketTransport(this, this._wsUrl)).start();
  }

  _scheduleProbe() {
    if (this._closed || this._prober || this._timers.has('probe') || !this._allows('websocket')) return;
    const d = this._probeDelay;
    this._probeDelay = Math.min(d * 2, this.options.probeMax);
    this._timer('probe', d / 2 + (Math.random() * d) / 2, () => this._probe());
  }

  // A transport got its welcome (WebSocket) or answered its hello poll.
  _onOpen(t, welcome, rtt = null) {
    if (t === this._prober) {
      // The probe works, so WebSocket works again: stop polling first, then resume on WebSocket.
      this._prober = null;
      if (this._closed || this._transport?.kind === 'websocket') return t.stop();
      this._transport?.stop();
      this._clearTimer('reconnect');
      this._transport = t;
    }
    if (t !== this._transport) return;
    this._attempts = 0;
    this._everConnected = true;
    this._server = {
      heartbeat: welcome?.heartbeat ?? SERVER_DEFAULTS.heartbeat,
      timeout: welcome?.timeout ?? SERVER_DEFAULTS.timeout,
      pollHold: welcome?.limits?.pollHold ?? SERVER_DEFAULTS.pollHold,
    };
    if (t.kind === 'websocket') {
      this._wsBroken = false;
      this._probeDelay = this.options.probeInterval;
      this._clearTimer('probe');
    } else if (this._allows('websocket')) {
      this._wsBroken = true;
      this._scheduleProbe();
    }
    this._setState({ status: 'connected', transport: t.kind, instance: welcome?.instance ?? null, rtt });
    for (const r of this._rooms.values()) t.subscribe(r);
  }

  // A transport stopped working. `final`: do not reconnect; `delay`: the server said when to come back.
  _onDown(t, { final = false, delay = null } = {}) {
    if (t === this._prober) {
      this._prober = null;
      return this._scheduleProbe();
    }
    if (t !== this._transport || this._closed) return;
    this._transport = null;
    if (final) return this.close();
    if (t.kind === 'websocket' && !t.welcomed && delay == null && this._allows('polling')) {
      // The upgrade failed or never said welcome: typically a proxy that breaks WebSocket. Poll now;
      // if polling fails too, the server is down and the next attempt starts on WebSocket again.
      return this._use('polling');
    }
    this._setState({ status: this._everConnected ? 'reconnecting' : 'connecting', transport: null, instance: null, rtt: null });
    const backoff = Math.random() * Math.min(this.options.backoffMax, this.options.backoffBase * 2 ** this._attempts++);
    this._timer('reconnect', delay ?? backoff, () => this._use(this._preferred()));
  }

  _onFrame(t, f) {
    if (t !== this._transport) return; // a stopped transport's late frames, or a probe's
    const r = this._rooms.get(f.room);
    switch (f.type) {
      case 'message':
        return this._onMessage(r, f);
      case 'ack':
        // A subscription "from now" learns where now is; one with a position keeps it.
        if (r && !r.position && isPosition(f.position)) r.position = Object.freeze({ ...f.position });
        return;
      case 'reset':
        // History no longer reaches our position (trimmed, or a new epoch): continue from the
        // server's position and tell the app to reload, since it missed messages.
        if (!r || !isPosition(f.position)) return;
        r.position = Object.freeze({ epoch: f.position.epoch, offset: f.position.offset });
        for (const l of [...r.listeners]) safely(l.onReset, r.position, f.reason);
        return;
      case 'count':
        // "N watching": the room's viewers over every instance, sent again whenever it changes.
        if (!r || !Number.isSafeInteger(f.n) || f.n < 0 || f.n === r.count) return;
        r.count = f.n;
        for (const l of [...r.listeners]) safely(l.onCount, f.n);
        return;
      case 'reconnect':
        // The instance is draining; the server spreads clients out with `after`.
        t.stop();
        this._onDown(t, { delay: Math.max(0, Number(f.after) || 0) });
        return;
      default:
    }
  }

  _onMessage(r, f) {
    const p = f.position;
    // A room subscribed "from now" has no position until its ack says where now is; anything
    // earlier is a leftover of a previous subscription to the room.
    if (!r || !r.position || !isPosition(p)) return;
    // Within one history only strictly later offsets are new (this drops replays that overlap
    // live messages); a different epoch is announced by a reset, never by a message.
    if (p.epoch !== r.position.epoch || compareOffsets(p.offset, r.position.offset) <= 0) return;
    r.position = Object.freeze({ epoch: p.epoch, offset: p.offset });
    // conflated: this message stands for several the viewer fell behind on (PROTOCOL.md); the app
    // applies it like any other.
    const info = { conflated: f.conflated === true };
    for (const l of [...r.listeners]) safely(l.onMessage, f.data, r.position, info);
  }

  // A request about a room was refused: retry what may pass later, report the rest.
  _onRequestError(t, roomName, f) {
    const r = this._rooms.get(roomName);
    if (!r || t !== this._transport) return;
    if (f.code === 'unavailable' || f.code === 'rate-limited') {
      const ms = this.options.backoffBase + Math.random() * this.options.backoffMax / 10;
      return this._timer(`retry:${roomName}`, ms, () => this._rooms.get(roomName) === r && this._transport === t && t.subscribe(r));
    }
    this._rooms.delete(roomName);
    for (const l of [...r.listeners]) safely(l.onError, { code: f.code, message: f.message });
  }

  // RTT and instance updates from the current transport.
  _update(t, patch) { if (t === this._transport) this._setState(patch); }
}

class WebSocketTransport {
  kind = 'websocket';
  welcomed = false;
  stopped = false;
  pending = new Map(); // request id -> room, to route an error to its subscription
  ping = null;         // the RTT ping in flight: {id, at}

  constructor(live, url) {
    this.live = live;
    this.url = url;
  }

  start() {
    this.opened = null;
    try {
      this.ws = new WebSocket(this.url);
    } catch {
      return queueMicrotask(() => this.fail()); // a malformed URL fails like a refused upgrade
    }
    this.deadline = setTimeout(() => this.fail(), this.live.options.welcomeTimeout);
    this.ws.onmessage = (e) => this.receive(e.data);
    this.ws.onopen = () => { this.opened = performance.now(); };
    // `error` is always followed by `close`, which carries the code: handle only that.
    this.ws.onclose = (e) => this.closed(e.code, e.reason);
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.deadline);
    clearTimeout(this.resendTimer);
    clearInterval(this.rttTimer);
    clearTimeout(this.quickTimer);
    try { this.ws?.close(1000); } catch { /* already closing */ }
  }

  fail() {
    if (this.stopped) return;
    this.stop();
    this.live._onDown(this);
  }

  closed(code, reason) {
    if (this.stopped) return;
    this.stop();
    // Per PROTOCOL.md: 1000 means "stay away", a version or origin refusal will not change on
    // retry; every other code (1001 going-away, 1006 lost, 1008, 1009, 1013 …) is a resume.
    const final = (this.welcomed && code === 1000) || code === 1002 || (code === 1008 && reason === 'origin-forbidden');
    this.live._onDown(this, { final });
  }

  send(frame) {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  // The server is dead once silent for heartbeat + timeout; every frame proves it alive.
  alive() {
    clearTimeout(this.deadline);
    const { heartbeat, timeout } = this.live._server;
    this.deadline = setTimeout(() => this.fail(), heartbeat + timeout);
  }

  receive(text) {
    if (this.stopped) return;
    let f;
    try { f = JSON.parse(text); } catch { return; }
    if (!f || typeof f !== 'object') return;
    if (Array.isArray(f)) { // a batch: message frames of one room, in order
      if (!this.welcomed) return;
      this.alive();
      for (const m of f) if (m && typeof m === 'object' && !this.stopped) this.live._onFrame(this, m);
      return;
    }
    if (f.type === 'welcome') {
      this.welcomed = true;
      this.live._clock.rough(f.time);
      this.live._onOpen(this, f);
      if (this.stopped) return;
      this.alive();
      this.measure();
      // A few quick samples of the server clock first, then one per RTT measurement.
      let quick = this.live.options.clockSamples;
      const again = () => { if (!this.stopped && quick-- > 0) { this.measure(); this.quickTimer = setTimeout(again, 1000); } };
      this.quickTimer = setTimeout(again, 1000);
      this.rttTimer = setInterval(() => this.measure(), this.live.options.rttInterval);
      return;
    }
    if (!this.welcomed) return;
    this.alive();
    switch (f.type) {
      case 'ping':
        this.send(f.id == null ? { type: 'pong' } : { type: 'pong', id: f.id });
        return;
      case 'pong':
        if (this.ping && f.id === this.ping.id) {
          const rtt = performance.now() - this.ping.at;
          this.ping = null;
          this.live._clock.sample(f.time, rtt);
          this.live._update(this, { rtt: Math.round(rtt) });
        }
        return;
      case 'ack':
        this.pending.delete(f.id);
        break;
      case 'error': {
        const room = this.pending.get(f.id);
        this.pending.delete(f.id);
        if (room) this.live._onRequestError(this, room, f);
        else if (f.code === 'rate-limited') this.resendUnanswered();
        else console.warn(`tally: server error ${f.code}: ${f.message ?? ''}`);
        return;
      }
      default:
    }
    this.live._onFrame(this, f);
  }

  // An over-rate refusal may not name its request (the server refuses before reading the frame):
  // once things calm down, send again every subscribe still unanswered. A duplicate is harmless,
  // as a subscribe replaces the room's previous one and the session drops overlapping messages.
  resendUnanswered() {
    if (this.resendTimer) return;
    this.resendTimer = setTimeout(() => {
      this.resendTimer = null;
      const rooms = new Set(this.pending.values());
      this.pending.clear();
      for (const name of rooms) if (this.live._rooms.has(name)) this.subscribe(this.live._rooms.get(name));
    }, 1000 + Math.random() * 1000);
  }

  measure() {
    this.ping = { id: this.live._id(), at: performance.now() };
    this.send({ type: 'ping', id: this.ping.id });
  }

  subscribe(r) {
    if (!this.welcomed) return; // sent for every room once the welcome arrives
    const id = this.live._id();
    this.pending.set(id, r.name);
    // conflate: this client passes merged messages on (onMessage's third argument says so).
    this.send(r.position ? { type: 'subscribe', id, room: r.name, since: r.position, conflate: true }
      : { type: 'subscribe', id, room: r.name, conflate: true });
  }

  unsubscribe(r) {
    if (this.welcomed) this.send({ type: 'unsubscribe', id: this.live._id(), room: r.name });
  }
}

// Long-polling carries no server-side session: every poll names its rooms and positions, so any
// instance can answer it. Exactly one poll is in flight at a time.
class PollingTransport {
  kind = 'polling';
  open = false;     // the hello poll has been answered
  stopped = false;
  inFlight = null;  // {controller, rooms} of the poll being held
  reissue = false;

  constructor(live, url) {
    this.live = live;
    this.url = url;
  }

  start() { this.loop(); }

  stop() {
    this.stopped = true;
    this.inFlight?.controller.abort();
  }

  fail(info = {}) {
    if (this.stopped) return;
    this.stop();
    this.live._onDown(this, info);
  }

  // A held poll does not name a room subscribed since: abort it and ask again. Nothing is lost,
  // because positions only move when a response is processed.
  subscribe(r) {
    if (this.open && this.inFlight && !this.inFlight.rooms.has(r.name)) {
      this.reissue = true;
      this.inFlight.controller.abort();
    }
  }

  unsubscribe() {} // the next poll leaves the room out; the session drops its frames meanwhile

  async loop() {
    const live = this.live;
    while (!this.stopped) {
      const rooms = {};
      const counts = {}; // the totals shown, for rooms someone wants counts of: the server answers when they change
      for (const r of live._rooms.values()) {
        rooms[r.name] = r.position;
        if ([...r.listeners].some((l) => typeof l.onCount === 'function')) counts[r.name] = r.count ?? -1;
      }
      const body = this.open ? { v: 1, rooms, conflate: true } : { v: 1, hello: true, rooms, conflate: true };
      if (Object.keys(counts).length > 0) body.counts = counts;
      const controller = new AbortController();
      this.inFlight = { controller, rooms: new Set(Object.keys(rooms)) };
      // The hold is the heartbeat: no answer within pollHold + timeout means the path is dead.
      const deadline = setTimeout(() => controller.abort(), live._server.pollHold + live._server.timeout);
      const sent = performance.now();
      let res = null, batch = null;
      try {
        res = await fetch(this.url, {
          method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
          signal: controller.signal, cache: 'no-store', credentials: 'same-origin',
        });
        if (res.ok) batch = await res.json();
      } catch {
        // network error, abort or malformed JSON: told apart below
      }
      clearTimeout(deadline);
      this.inFlight = null;
      if (this.stopped) return;
      const reissued = this.reissue;
      this.reissue = false;
      if (reissued && !batch) continue;
      if (!batch || batch.type !== 'batch' || !Array.isArray(batch.frames)) return this.fail(this.failure(res));
      // The answer left the server at `time`, after holding the poll `held` ms: the rest was the round trip.
      if (Number.isFinite(batch.held)) live._clock.sample(batch.time, performance.now() - sent - batch.held);
      if (!this.open) {
        this.open = true;
        const welcome = batch.frames.find((f) => f && f.type === 'welcome') ?? { instance: batch.instance };
        live._onOpen(this, welcome, Math.round(performance.now() - sent));
      }
      if (batch.instance) live._update(this, { instance: batch.instance });
      for (const f of batch.frames) {
        if (this.stopped) return;
        if (!f || typeof f !== 'object' || f.type === 'welcome') continue;
        // A per-room refusal (e.g. unknown-room): the room leaves the polls and its subscriber hears why.
        if (f.type === 'error' && typeof f.room === 'string') live._onRequestError(this, f.room, f);
        else live._onFrame(this, f);
      }
    }
  }

  failure(res) {
    if (res?.status === 403) return { final: true }; // origin refused: retrying will not help
    if (res?.status === 503 || res?.status === 429) {
      const after = retryAfterMillis(res.headers.get('Retry-After'));
      // Many clients read the same Retry-After: add jitter so they do not return together.
      if (after != null) return { delay: after + Math.random() * this.live.options.backoffBase * 2 };
    }
    return {};
  }
}
