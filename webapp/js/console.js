// The scorer console. Every change carries If-Match (the version on screen, so two scorers never
// overwrite each other silently) and an Idempotency-Key (so a retried click never scores twice).
// Changes are sent one after another, each with the version the previous one produced.
import { ApiError, explain, getJson, newKey, post } from './api.js';
import { LiveGame } from './livegame.js';
import { startLive } from './live.js';
import { describeEvent, el, gameIdFromLocation, setText, statusLabel, wireFlashCleanup } from './render.js';

const TOKEN_KEY = 'tally.scorer-token';
const $ = (x) => document.getElementById(x);
const errorBox = $('console-error');
const messageBox = $('console-message');
const select = $('game-select');
const scorer = $('scorer');

let live = null;
let current = null;      // the game on screen
let view = null;         // the chosen game's state (livegame.js: snapshot, live messages, API answers)
let roomSub = null;      // live subscription to the chosen game's room
let boardSub = null;     // live subscription to the games room (new games in the list)
let queue = Promise.resolve();

const token = () => sessionStorage.getItem(TOKEN_KEY);

function showError(err) {
  errorBox.textContent = err instanceof ApiError ? explain(err) : String(err.message || err);
  errorBox.dataset.code = err.code || '';
  errorBox.hidden = false;
  messageBox.textContent = '';
}

function say(text) {
  errorBox.hidden = true;
  errorBox.textContent = '';
  messageBox.textContent = text;
}

// ---- token ----

function showTokenState(state, text) {
  $('token-status').dataset.state = state;
  $('token-status').textContent = text;
}

async function useToken(value) {
  try {
    await getJson('/api/session', value);
    sessionStorage.setItem(TOKEN_KEY, value);
    showTokenState('ok', 'Token accepted. You can keep score.');
    say('Token accepted.');
    return true;
  } catch (e) {
    sessionStorage.removeItem(TOKEN_KEY);
    showTokenState('rejected', e instanceof ApiError ? explain(e) : 'Could not check the token.');
    showError(e);
    return false;
  }
}

$('token-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const value = $('token').value.trim();
  if (value) useToken(value);
});
$('token-forget').addEventListener('click', () => {
  sessionStorage.removeItem(TOKEN_KEY);
  $('token').value = '';
  showTokenState('none', 'Token forgotten.');
});

// ---- the game list ----

function optionFor(game) {
  return el('option', { value: game.id, text: `${game.home.name} – ${game.away.name} (${game.sport}, ${statusLabel(game.status)})` });
}

function addToList(game, atTop) {
  const existing = [...select.options].find((o) => o.value === game.id);
  if (existing) { existing.textContent = optionFor(game).textContent; return; }
  if (atTop) select.insertBefore(optionFor(game), select.options[1] || null);
  else select.append(optionFor(game));
}

async function loadList() {
  const { games, position } = await getJson('/api/games');
  for (const g of games) addToList(g, false);
  return position;
}

// ---- the chosen game ----

function render(game) {
  const flash = current !== null && current.id === game.id;
  current = game;
  scorer.hidden = false;
  scorer.dataset.version = game.version;
  setText($('c-sport'), game.sport, false);
  setText($('c-status'), statusLabel(game.status), flash);
  setText($('c-period'), game.period || '', flash);
  setText($('c-version'), game.version, false);
  setText($('c-home-name'), game.home.name, false);
  setText($('c-away-name'), game.away.name, false);
  setText($('c-home-score'), game.home.score, flash);
  setText($('c-away-score'), game.away.score, flash);
  $('c-view').href = 'game.html?id=' + encodeURIComponent(game.id);
  if (document.activeElement !== $('period')) $('period').value = game.period || '';
  for (const b of scorer.querySelectorAll('button[data-status]')) b.setAttribute('aria-pressed', String(b.dataset.status === game.status));
  $('c-log').replaceChildren(...game.log.slice(-10).reverse().map((e) =>
    el('li', { class: e.undone ? 'undone' : '', text: describeEvent(e, game) })));
  addToList(game, false);
}

const loadGame = async (id) => (await getJson('/api/games/' + encodeURIComponent(id))).game;

async function choose(id) {
  if (roomSub) { roomSub.unsubscribe(); roomSub = null; }
  if (view) view.stop();
  current = null;
  view = null;
  if (!id) { scorer.hidden = true; return; }
  try {
    const { game, position } = await getJson('/api/games/' + encodeURIComponent(id));
    select.value = id;
    view = new LiveGame(id, { load: () => loadGame(id), show: render });
    view.take(game);
    history.replaceState(null, '', '?id=' + encodeURIComponent(id));
    follow(position);
  } catch (e) {
    showError(e);
  }
}

function follow(position) {
  if (!live || !current || !$('follow').checked) return;
  const game = view;
  roomSub = live.subscribe('game-' + game.id, {
    since: position,
    onMessage: (data) => game.receive(data),
    onReset: () => game.reset(),
  });
}

select.addEventListener('change', () => choose(select.value));
$('follow').addEventListener('change', async () => {
  if (!current) return;
  if ($('follow').checked) {
    const id = current.id;
    current = null;
    await choose(id);
  } else if (roomSub) {
    roomSub.unsubscribe();
    roomSub = null;
  }
});

// ---- changes ----

/** Queues one change: sent after the previous one finished, with the version then on screen. */
function change(body, label) {
  if (!current) return;
  if (!token()) { showError(new ApiError(401, { code: 'token-missing' })); $('token').focus(); return; }
  const id = current.id;
  const key = newKey();
  scorer.setAttribute('aria-busy', 'true');
  queue = queue.then(async () => {
    try {
      const version = current && current.id === id ? current.version : undefined;
      const { game } = await post(`/api/games/${encodeURIComponent(id)}/events`, body, { token: token(), ifMatch: version, idempotencyKey: key });
      if (view) view.take(game);
      say(`${label} — saved (version ${game.version}).`);
    } catch (e) {
      if (e instanceof ApiError && e.game && view) view.take(e.game);
      showError(e);
    } finally {
      scorer.removeAttribute('aria-busy');
    }
  });
}

scorer.addEventListener('click', (e) => {
  const b = e.target.closest('button');
  if (!b || !current) return;
  if (b.dataset.points) {
    const points = Number(b.dataset.points);
    const team = b.dataset.team;
    const name = team === 'home' ? current.home.name : current.away.name;
    change({ type: 'score', team, points }, `${name} ${points > 0 ? '+' : ''}${points}`);
  } else if (b.dataset.status) {
    change({ type: 'status', status: b.dataset.status }, `Status ${statusLabel(b.dataset.status)}`);
  } else if (b.id === 'undo') {
    change({ type: 'undo' }, 'Undo');
  }
});

$('period-form').addEventListener('submit', (e) => {
  e.preventDefault();
  change({ type: 'period', period: $('period').value.trim() }, 'Period');
});

$('create-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  if (!token()) { showError(new ApiError(401, { code: 'token-missing' })); $('token').focus(); return; }
  const body = { sport: $('new-sport').value.trim(), home: $('new-home').value.trim(), away: $('new-away').value.trim(), status: 'scheduled' };
  try {
    const { game } = await post('/api/games', body, { token: token() });
    addToList(game, true);
    say(`Game created: ${game.home.name} – ${game.away.name}.`);
    $('new-home').value = '';
    $('new-away').value = '';
    await choose(game.id);
  } catch (err) {
    showError(err);
  }
});

// ---- start ----

async function start() {
  wireFlashCleanup(scorer);
  const saved = token();
  if (saved) {
    $('token').value = saved;
    showTokenState('ok', 'Using the token entered earlier in this tab.');
  }
  const livePromise = startLive($('connection'));
  let position = null;
  try {
    position = await loadList();
  } catch (e) {
    showError(e);
  }
  live = await livePromise;
  if (live && position) {
    boardSub = live.subscribe('games', { since: position, onMessage: (data) => { if (data && data.game) addToList(data.game, false); } });
  }
  const wanted = gameIdFromLocation();
  if (wanted) await choose(wanted);
}

start();
