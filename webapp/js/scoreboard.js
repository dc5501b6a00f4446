// The all-games board: a snapshot of every game, then live updates from the "games" room. Each
// payload carries a game's whole summary and version (the board shows no log, so a summary is all of
// its state); anything not newer than what is shown is ignored, which is what makes the snapshot +
// live hand-off exact (see Scorekeeper.java).
import { ApiError, getJson } from './api.js';
import { serverClock, staleWatcher, startLive } from './live.js';
import { badge, clockMs, el, formatClock, paintTeam, setText, setsText, shortName, sportName, wireFlashCleanup } from './render.js';
import { showWatching } from './watching.js';

const list = document.getElementById('games');
const empty = document.getElementById('empty');
const message = document.getElementById('board-message');
const announcer = document.getElementById('announcer');
const shown = new Map(); // id -> {game, node}
let now = serverClock(null);

function card(game) {
  const id = game.id;
  const team = (side) => el('div', { class: 'team ' + side },
    el('span', { class: 'short', 'aria-hidden': 'true', 'data-testid': `${side}-short-${id}` }),
    el('span', { class: 'name', 'data-testid': `${side}-name-${id}` }),
    el('span', { class: 'score', 'data-testid': `${side}-score-${id}`, id: `${side}-score-${id}` }));
  const node = el('li', { class: 'game', 'data-testid': `game-${id}`, id: `game-${id}` },
    el('a', { class: 'game-link', href: `game.html?id=${encodeURIComponent(id)}` },
      el('div', { class: 'meta' },
        el('span', { class: 'sport', 'data-testid': `sport-${id}` }),
        el('span', { class: 'badge', 'data-testid': `status-${id}` }),
        el('span', { class: 'period', 'data-testid': `period-${id}` }),
        el('span', { class: 'clock', 'data-testid': `clock-${id}`, hidden: true })),
      team('home'), team('away'),
      el('p', { class: 'sets', 'data-testid': `sets-${id}`, hidden: true })));
  return node;
}

function fill(node, game, flash) {
  const q = (t) => node.querySelector(`[data-testid="${t}-${game.id}"]`);
  setText(q('sport'), sportName(game.sport), false);
  setText(q('status'), badge(game), flash);
  q('status').dataset.status = game.status;
  setText(q('period'), game.period || '', flash);
  for (const side of ['home', 'away']) {
    setText(q(`${side}-name`), game[side].name, false);
    setText(q(`${side}-short`), shortName(game[side]), false);
    paintTeam(node.querySelector('.team.' + side), game[side]);
  }
  // Set scores, and a tennis game's points after them.
  const point = game.point && game.point.home != null ? `  (${game.point.home}–${game.point.away})` : '';
  const sets = setsText(game) + (setsText(game) ? point : '');
  q('sets').hidden = !sets;
  setText(q('sets'), sets, flash);
  const homeChanged = setText(q('home-score'), game.home.score, flash);
  const awayChanged = setText(q('away-score'), game.away.score, flash);
  node.dataset.status = game.status;
  node.dataset.version = game.version;
  drawClock(node, game);
  return homeChanged || awayChanged;
}

function drawClock(node, game) {
  const clock = node.querySelector('.clock');
  const ms = clockMs(game.clock, now());
  clock.hidden = ms === null;
  if (ms !== null) clock.textContent = formatClock(ms, game.clock.direction);
  return ms !== null && game.clock.running;
}

// Running clocks are redrawn every frame from the server's state; nothing runs when none is.
let ticking = false;
function tick() {
  let running = false;
  for (const { node, game } of shown.values()) running = drawClock(node, game) || running;
  ticking = running;
  if (running) requestAnimationFrame(tick);
}
function ensureTicking() {
  if (!ticking) { ticking = true; requestAnimationFrame(tick); }
}

/** Shows a game if it is newer than what is on screen; returns whether it was. */
function upsert(game, { flash = true, atTop = true } = {}) {
  const current = shown.get(game.id);
  if (current && current.baseline >= game.version) return false;
  if (current) {
    const scored = fill(current.node, game, flash);
    current.game = game;
    current.baseline = game.version;
    if (scored && flash) announcer.textContent = `${game.home.name} ${game.home.score}, ${game.away.name} ${game.away.score}`;
  } else {
    const node = card(game);
    fill(node, game, false);
    if (atTop) list.prepend(node); else list.append(node);
    shown.set(game.id, { game, node, baseline: game.version });
    if (flash) node.classList.add('arrived');
  }
  empty.hidden = shown.size > 0;
  if (game.clock && game.clock.running) ensureTicking();
  return true;
}

async function loadSnapshot() {
  const { games, position } = await getJson('/api/games');
  // The snapshot is newest first; appending keeps that order on the first load. Only later loads
  // (after a reset) highlight what changed.
  const firstLoad = shown.size === 0;
  for (const g of games) upsert(g, { flash: !firstLoad, atTop: false });
  empty.hidden = shown.size > 0;
  return position;
}

async function loadWithRetry() {
  for (let delay = 1000; ; delay = Math.min(delay * 2, 15000)) {
    try {
      const position = await loadSnapshot();
      message.hidden = true;
      return position;
    } catch (e) {
      if (e instanceof ApiError && e.status >= 400 && e.status < 500 && e.status !== 408 && e.status !== 429) {
        message.textContent = `The games cannot be shown: ${e.message}`;
        message.hidden = false;
        throw e; // an answer, not an outage: retrying cannot change it
      }
      message.textContent = 'Cannot load the games right now; retrying…';
      message.hidden = false;
      await new Promise((r) => setTimeout(r, delay * (0.5 + Math.random() / 2)));
    }
  }
}

async function main() {
  wireFlashCleanup(list);
  const livePromise = startLive(document.getElementById('connection'), staleWatcher(document.getElementById('stale')));
  const position = await loadWithRetry();
  const live = await livePromise;
  now = serverClock(live);
  if (!live) {
    setInterval(() => loadSnapshot().catch(() => {}), 10000);
    return;
  }
  // From the snapshot's position first; "N watching" then joins it (a join's `since` is ignored).
  live.subscribe('games', {
    since: position,
    onMessage: (data) => { if (data && data.game) upsert(data.game); },
    // History was lost (e.g. Redis restarted): versions may have gone back, so take the next state
    // of each game that arrives, snapshot or message, and go on from there.
    onReset: () => {
      for (const entry of shown.values()) entry.baseline = -1;
      loadSnapshot().catch(() => {});
    },
  });
  showWatching(live, 'games');
}

main();
