// The single-game big-screen view (and the embeddable widget, /embed/{id}): the game's snapshot,
// then its room's live events, each applied on top of what is shown (livegame.js: the version
// rules, gaps and resets).
import { ApiError, getJson } from './api.js';
import { LiveGame } from './livegame.js';
import { serverClock, staleWatcher, startLive } from './live.js';
import {
  badge, clockMs, describeEvent, el, formatClock, gameRef, paintTeam, setText, setsText, shortName, sportName, wireFlashCleanup,
} from './render.js';
import { showWatching } from './watching.js';

const ref = gameRef();
const id = ref.id;
const embed = document.body.classList.contains('embed');
const main = document.getElementById('game');
const message = document.getElementById('game-message');
const announcer = document.getElementById('announcer');
const $ = (x) => document.getElementById(x);
const app = new URL('..', import.meta.url); // the app's root, wherever this page is served from
let shown = null;
let now = serverClock(null);

function render(game) {
  const flash = shown !== null;
  document.title = `${game.home.name} ${game.home.score}–${game.away.score} ${game.away.name} · Tally`;
  setText($('sport'), sportName(game.sport), false);
  setText($('status'), badge(game), flash);
  $('status').dataset.status = game.status;
  setText($('period'), game.period || '', flash);
  for (const side of ['home', 'away']) {
    const team = game[side];
    setText($(`${side}-name`), team.name, false);
    const short = $(`${side}-short`);
    setText(short, shortName(team), false);
    short.title = team.name;
    paintTeam($(side), team);
  }
  const scored = setText($('home-score'), game.home.score, flash) | setText($('away-score'), game.away.score, flash);
  const sets = setsText(game);
  $('sets').hidden = !sets;
  setText($('sets'), sets ? `Sets ${sets}` : '', flash);
  const point = game.point && game.point.home != null ? `Game ${game.point.home}–${game.point.away}` : '';
  $('points').hidden = !point;
  setText($('points'), point, flash);
  main.dataset.status = game.status;
  main.dataset.version = game.version;
  const log = $('log');
  // Each entry is numbered by its version, so "Undo" and the list speak of the same entries.
  log.replaceChildren(...game.log.slice(-12).reverse().map((e) =>
    el('li', { class: e.undone ? 'undone' : '', 'data-version': e.version, value: e.version, text: describeEvent(e, game) })));
  if (scored && flash) announcer.textContent = `${game.home.name} ${game.home.score}, ${game.away.name} ${game.away.score}`;
  shown = game;
  main.hidden = false;
  drawClock();
}

// The clock: from the server's state and the server's time, redrawn every frame while it runs.
let frame = 0;
function drawClock() {
  cancelAnimationFrame(frame);
  const node = $('clock');
  const clock = shown && shown.clock;
  const ms = clockMs(clock, now());
  node.hidden = ms === null;
  if (ms === null) return;
  node.dataset.running = String(!!clock.running);
  node.dataset.ms = String(Math.round(ms)); // the reading drawn, for tests comparing screens to the millisecond
  node.textContent = formatClock(ms, clock.direction);
  if (clock.running) frame = requestAnimationFrame(drawClock);
}

function showProblem(text, { home = true } = {}) {
  message.replaceChildren(text, ' ', home ? el('a', { href: new URL('./', app).href, text: 'See all games' }) : '');
  message.hidden = false;
  main.hidden = true;
  $('connection').hidden = true;
}

function link() {
  return new URL('games/' + encodeURIComponent(id), app).href;
}

function wireButtons() {
  const tv = $('tv');
  const setTv = (on) => {
    document.body.classList.toggle('tv', on);
    tv.setAttribute('aria-pressed', String(on));
    tv.textContent = on ? 'Leave TV mode' : 'TV mode';
  };
  // TV mode fills the window; fullscreen is asked for as well where the browser allows it. Leaving
  // fullscreen (Esc) does not leave TV mode: a kiosk TV may have no way back into fullscreen.
  tv.addEventListener('click', async () => {
    const on = !document.body.classList.contains('tv');
    setTv(on);
    try {
      if (on && document.documentElement.requestFullscreen && !document.fullscreenElement) await document.documentElement.requestFullscreen();
      if (!on && document.fullscreenElement) await document.exitFullscreen();
    } catch (e) {
      // Fullscreen refused (an iframe, a kiosk browser, no gesture): TV mode still fills the window.
    }
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !document.fullscreenElement && document.body.classList.contains('tv')) setTv(false);
  });
  if (new URLSearchParams(location.search).get('tv') === '1') setTv(true);

  $('share').addEventListener('click', async () => {
    const status = $('share-status');
    const url = link();
    const text = shown ? `${shown.home.name} ${shown.home.score}–${shown.away.score} ${shown.away.name}` : 'Live score';
    if (navigator.share) {
      try {
        await navigator.share({ title: document.title, text, url });
        status.textContent = 'Shared.';
        return;
      } catch (e) {
        if (e && e.name === 'AbortError') return; // the viewer closed the share sheet
      }
    }
    try {
      await navigator.clipboard.writeText(url);
      status.textContent = 'Link copied.';
    } catch (e) {
      // No clipboard (insecure origin, permission refused): show the link to copy by hand.
      status.textContent = 'Copy this link:';
    }
    $('share-link').value = url;
    $('share-link-row').hidden = false;
    status.dataset.url = url;
  });
}

const view = new LiveGame(id, {
  load: async () => (await getJson(new URL('api/games/' + encodeURIComponent(id), app).href)).game,
  show: render,
});

async function loadSnapshot() {
  const { game, position } = await getJson(new URL('api/games/' + encodeURIComponent(id), app).href);
  view.take(game);
  return position;
}

/** A 4xx other than 408/429 is an answer (no such game, a bad id): retrying cannot change it. */
const final = (e) => e instanceof ApiError && e.status >= 400 && e.status < 500 && e.status !== 408 && e.status !== 429;

async function loadWithRetry() {
  for (let delay = 1000; ; delay = Math.min(delay * 2, 15000)) {
    try {
      const position = await loadSnapshot();
      message.hidden = true;
      return position;
    } catch (e) {
      if (final(e)) throw e;
      message.textContent = 'Cannot load the game right now; retrying…';
      message.hidden = false;
      await new Promise((r) => setTimeout(r, delay * (0.5 + Math.random() / 2)));
    }
  }
}

async function start() {
  if (!id) {
    showProblem(ref.error === 'missing'
      ? 'No game chosen: this link names no game.'
      : 'This link’s game id is not valid (ids are letters, digits and dashes).');
    return;
  }
  $('full-link').href = link();
  $('console-link').href = new URL('console.html?id=' + encodeURIComponent(id), app).href;
  wireFlashCleanup(main);
  wireButtons();
  const livePromise = startLive($('connection'), staleWatcher($('stale')));
  let position;
  try {
    position = await loadWithRetry();
  } catch (e) {
    showProblem(e.status === 404 ? 'There is no such game: it may have been deleted, or the link is mistyped.'
      : `This game cannot be shown: ${e.message}`);
    const live = await livePromise;
    if (live) live.close();
    return;
  }
  const live = await livePromise;
  if (!live) {
    setInterval(() => loadSnapshot().catch(() => {}), 5000);
    return;
  }
  now = serverClock(live);
  // The game's subscription first: a later subscribe to the same room joins it where it is, so
  // "N watching" subscribing first would start the room from now, not from the snapshot, and an
  // event saved meanwhile would never arrive.
  live.subscribe('game-' + id, {
    since: position,
    onMessage: (data) => view.receive(data),
    onReset: () => view.reset(),
  });
  showWatching(live, 'game-' + id);
}

if (embed) for (const a of document.querySelectorAll('a')) a.target = '_blank';
start();
