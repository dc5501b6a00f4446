// The WebSocket transport: one socket, frames in both directions, RTT pings and the server clock.
export class WebSocketTransport {
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
