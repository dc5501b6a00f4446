// The all-games board: a snapshot of every game, then live updates from the "games" room. Each
// payload carries a game's whole summary and version (the board shows no log, so a summary is all of
// its state); anything not newer than what is shown is ignored, which is what makes the snapshot +
// live hand-off exact (see Scorekeeper.java).
import { getJson } from './api.js';
import { startLive } from './live.js';
import { showWatching } from './watching.js';
import { el, setText, statusLabel, wireFlashCleanup } from './render.js';

const list = document.getElementById('games');
const empty = document.getElementById('empty');
const message = document.getElementById('board-message');
const announcer = document.getElementById('announcer');
const shown = new Map(); // id -> {game, node}

function card(game) {
  const id = game.id;
  const team = (side) => el('div', { class: 'team ' + side },
    el('span', { class: 'name', 'data-testid': `${side}-name-${id}` }),
    el('span', { class: 'score', 'data-testid': `${side}-score-${id}`, id: `${side}-score-${id}` }));
  const node = el('li', { class: 'game', 'data-testid': `game-${id}`, id: `game-${id}` },
    el('a', { class: 'game-link', href: `game.html?id=${encodeURIComponent(id)}` },
      el('div', { class: 'meta' },
        el('span', { class: 'sport', 'data-testid': `sport-${id}` }),
        el('span', { class: 'status', 'data-testid': `status-${id}` }),
        el('span', { class: 'period', 'data-testid': `period-${id}` })),
      team('home'), team('away')));
  return node;
}

function fill(node, game, flash) {
  const q = (t) => node.querySelector(`[data-testid="${t}-${game.id}"]`);
  setText(q('sport'), game.sport, false);
  setText(q('status'), statusLabel(game.status), flash);
  setText(q('period'), game.period || '', flash);
  setText(q('home-name'), game.home.name, false);
  setText(q('away-name'), game.away.name, false);
  const homeChanged = setText(q('home-score'), game.home.score, flash);
  const awayChanged = setText(q('away-score'), game.away.score, flash);
  node.dataset.status = game.status;
  node.dataset.version = game.version;
  return homeChanged || awayChanged;
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
      message.textContent = 'Cannot load the games right now; retrying…';
      message.hidden = false;
      await new Promise((r) => setTimeout(r, delay * (0.5 + Math.random() / 2)));
    }
  }
}

async function main() {
  wireFlashCleanup(list);
  const livePromise = startLive(document.getElementById('connection'));
  const position = await loadWithRetry();
  const live = await livePromise;
  if (!live) {
    setInterval(() => loadSnapshot().catch(() => {}), 10000);
    return;
  }
  showWatching(live, 'games');
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
}

main();
