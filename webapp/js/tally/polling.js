import { retryAfterMillis } from './wire.js';

// Long-polling carries no server-side session: every poll names its rooms and positions, so any
// instance can answer it. Exactly one poll is in flight at a time.
export class PollingTransport {
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
