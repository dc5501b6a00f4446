// One game's state on a page: its REST snapshot (the whole game, log included), then its room's live
// messages. A message carries the change, not the world: the game's summary and the one log entry the
// event added (docs/API.md), so it applies only on top of the version just before it:
//  - a version not newer than the one shown: already included (the snapshot hand-off), ignored;
//  - the next version: its summary is taken and its entry appended (an undo marks the entry it undoes);
//  - a gap: something was missed or never published: the snapshot is reloaded, and messages arriving
//    meanwhile wait for it and are then applied by the same rule.
// A conflated message (a slow viewer was sent one in place of several: {"kind":"events","events":[…],
// "game":…}) applies by the same rule, its entries in order: those not newer than the one shown are
// dropped, and the first newer one must be the next version (or the list must be the whole kept log).
// A reset (the room's history was lost, versions may have gone back) reloads the snapshot and takes it
// whatever its version.

const LOG_LIMIT = 50; // the server keeps a game's last 50 entries
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The game after a live message, or 'old' or 'gap'. */
export function nextGame(game, data) {
  const summary = data && data.game;
  if (!game || !summary || summary.id !== game.id) return 'gap';
  if (summary.version <= game.version) return 'old';
  if (Array.isArray(data.events)) return nextGameOfMany(game, summary, data.events);
  const event = data.event;
  if (summary.version !== game.version + 1 || !event || event.version !== summary.version) return 'gap';
  const log = game.log.map((e) => (event.type === 'undo' && e.version === event.undoes ? { ...e, undone: true } : e));
  log.push(event);
  return { ...summary, log: log.slice(-LOG_LIMIT) };
}

function nextGameOfMany(game, summary, events) {
  const newer = events.filter((e) => e && e.version > game.version);
  const contiguous = newer.every((e, i) => i === 0 || e.version === newer[i - 1].version + 1);
  const joins = newer.length > 0 && (newer[0].version === game.version + 1 || newer.length >= LOG_LIMIT);
  if (!contiguous || !joins || newer[newer.length - 1].version !== summary.version) return 'gap';
  let log = game.log;
  for (const event of newer) {
    log = log.map((e) => (event.type === 'undo' && e.version === event.undoes ? { ...e, undone: true } : e));
    log.push(event);
  }
  return { ...summary, log: log.slice(-LOG_LIMIT) };
}

export class LiveGame {
  /** load(): the game's snapshot (a promise of the whole game); show(game): puts it on screen. */
  constructor(id, { load, show }) {
    this.id = id;
    this.game = null;
    this._load = load;
    this._show = show;
    this._held = null;    // messages waiting for a snapshot being loaded, or null
    this._takeAny = false; // after a reset: take the next snapshot whatever its version
    this._resets = 0;
    this._stopped = false;
    this._nextReload = 0;  // reloads are at least a second apart, whatever the messages say
  }

  /** A whole game (a snapshot or an API answer): shown if newer than the one shown. */
  take(game) {
    if (!game || game.id !== this.id || this._stopped) return false;
    if (this.game && !this._takeAny && game.version <= this.game.version) return false;
    this._takeAny = false;
    this.game = game;
    this._show(game);
    return true;
  }

  /** A message of the game's room. */
  receive(data) {
    if (this._stopped) return;
    if (this._held) { this._held.push(data); return; }
    const next = nextGame(this.game, data);
    if (next === 'gap') this._reload();
    else if (next !== 'old') { this.game = next; this._show(next); }
  }

  /** The room's history was lost. */
  reset() {
    this._takeAny = true;
    this._resets++;
    this._reload();
  }

  stop() {
    this._stopped = true;
  }

  async _reload() {
    if (this._held) return;
    this._held = [];
    const wait = this._nextReload - Date.now();
    if (wait > 0) await sleep(wait);
    for (let delay = 1000; !this._stopped;) {
      const resets = this._resets;
      try {
        const game = await this._load();
        if (resets !== this._resets) continue; // a reset came meanwhile: this snapshot may predate it
        this.take(game);
        break;
      } catch (e) {
        await sleep(delay * (0.5 + Math.random() / 2));
        delay = Math.min(delay * 2, 15000);
      }
    }
    this._nextReload = Date.now() + 1000;
    const held = this._held;
    this._held = null;
    for (const data of held) this.receive(data);
  }
}
