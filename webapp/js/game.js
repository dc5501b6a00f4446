// The single-game big-screen view: the game's snapshot, then its room's live events, each applied on
// top of what is shown (livegame.js: the version rules, gaps and resets).
import { ApiError, getJson } from './api.js';
import { LiveGame } from './livegame.js';
import { startLive } from './live.js';
import { showWatching } from './watching.js';
import { describeEvent, el, gameIdFromLocation, setText, statusLabel, wireFlashCleanup } from './render.js';

const id = gameIdFromLocation();
const main = document.getElementById('game');
const message = document.getElementById('game-message');
const announcer = document.getElementById('announcer');
const $ = (x) => document.getElementById(x);
let shown = null;

function render(game) {
  const flash = shown !== null;
  document.title = `${game.home.name} ${game.home.score}–${game.away.score} ${game.away.name} · Tally`;
  setText($('sport'), game.sport, false);
  setText($('status'), statusLabel(game.status), flash);
  setText($('period'), game.period || '', flash);
  setText($('home-name'), game.home.name, false);
  setText($('away-name'), game.away.name, false);
  const scored = setText($('home-score'), game.home.score, flash) | setText($('away-score'), game.away.score, flash);
  main.dataset.status = game.status;
  main.dataset.version = game.version;
  const log = $('log');
  log.replaceChildren(...game.log.slice(-12).reverse().map((e) =>
    el('li', { class: e.undone ? 'undone' : '', 'data-version': e.version, text: describeEvent(e, game) })));
  if (scored && flash) announcer.textContent = `${game.home.name} ${game.home.score}, ${game.away.name} ${game.away.score}`;
  shown = game;
  main.hidden = false;
}

const view = new LiveGame(id, {
  load: async () => (await getJson('/api/games/' + encodeURIComponent(id))).game,
  show: render,
});

async function loadSnapshot() {
  const { game, position } = await getJson('/api/games/' + encodeURIComponent(id));
  view.take(game);
  return position;
}

async function loadWithRetry() {
  for (let delay = 1000; ; delay = Math.min(delay * 2, 15000)) {
    try {
      const position = await loadSnapshot();
      message.hidden = true;
      return position;
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) throw e;
      message.textContent = 'Cannot load the game right now; retrying…';
      message.hidden = false;
      await new Promise((r) => setTimeout(r, delay * (0.5 + Math.random() / 2)));
    }
  }
}

async function start() {
  if (!id) {
    message.textContent = 'No game chosen. Pick one on the board.';
    message.hidden = false;
    return;
  }
  $('console-link').href = 'console.html?id=' + encodeURIComponent(id);
  wireFlashCleanup(main);
  const livePromise = startLive($('connection'));
  let position;
  try {
    position = await loadWithRetry();
  } catch (e) {
    message.textContent = 'There is no such game.';
    message.hidden = false;
    return;
  }
  const live = await livePromise;
  if (!live) {
    setInterval(() => loadSnapshot().catch(() => {}), 5000);
    return;
  }
  showWatching(live, 'game-' + id);
  live.subscribe('game-' + id, {
    since: position,
    onMessage: (data) => view.receive(data),
    onReset: () => view.reset(),
  });
}

start();
