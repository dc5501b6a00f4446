// The server's clock as seen from here, NTP-style: a sample is the server's time in a reply plus half
// the round trip (the reply left the server about then), against our clock when the reply arrived;
// the estimate is the median of the last samples, so one slow round trip does not move it. Our own
// clock may be minutes off; the offset absorbs that.
export class ServerClock {
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
