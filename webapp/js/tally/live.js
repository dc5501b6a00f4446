// The session behind connect(): owns the rooms and their positions, the state, reconnects and
// transport switches (docs/CLIENT.md).
import { ServerClock } from './clock.js';
import { PollingTransport } from './polling.js';
import { WebSocketTransport } from './websocket.js';
import { ROOM, compareOffsets, isPosition, safely } from './wire.js';

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

// The session: owns the rooms and their positions, the state, reconnects and transport switches.
// Transports only move frames; members starting with `_` are the seam they call back through.
export class Live {
  /** moduleUrl: the URL of tally.js, the entry point; the app that served it is the default server. */
  constructor(options, moduleUrl) {
    this.options = { ...DEFAULTS, ...options };
    const page = globalThis.location?.href;
    // By default the server is the app that served tally.js (<app>/js/tally.js), so pages in
    // sub-folders and apps deployed under a context path find /live/* without configuration.
    const base = new URL(this.options.url ?? '..', this.options.url ? page : moduleUrl);
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
