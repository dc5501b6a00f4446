// The scorer console. Every change carries If-Match (the version on screen, so two scorers never
// overwrite each other silently) and an Idempotency-Key (so a retried click never scores twice).
// Changes are sent one after another, each with the version the previous one produced. The answer to
// a change is shown next to the control that made it (and announced: each feedback line is a live
// region), so on a phone it is where the thumb is, not at the top of the page.
import { ApiError, explain, getJson, newKey, post, del } from './api.js';
import { LiveGame } from './livegame.js';
import { startLive } from './live.js';
import { describeEvent, el, gameIdFromLocation, setText, wireFlashCleanup } from './render.js';

const TOKEN_KEY = 'tally.scorer-token';
const $ = (x) => document.getElementById(x);
const errorBox = $('console-error');
const messageBox = $('console-message');
const select = $('game-select');
const scorer = $('scorer');

// Keys for the score buttons, in button order (the last is the -1 correction).
const KEYS = { home: ['q', 'w', 'e', 'r', 't'], away: ['u', 'i', 'o', 'p', '['] };
const STATUS = { scheduled: 'Scheduled', live: 'Live', break: 'Break', final: 'Final' };
const statusLabel = (s) => STATUS[s] || s;
const FALLBACK_SPORT = { id: 'custom', name: 'Other', buttons: [1, 2, 3], periods: [], clock: { direction: 'up', periodMs: null }, sets: false };

let live = null;
let current = null;      // the game on screen
let view = null;         // the chosen game's state (livegame.js: snapshot, live messages, API answers)
let roomSub = null;      // live subscription to the chosen game's room
let queue = Promise.resolve();
let sports = [FALLBACK_SPORT];
let session = null;      // {role: 'admin'} or {role: 'scorer', game} once a token is accepted
let builtFor = null;     // the sport and status the score buttons were last built for

const sportOf = (id) => sports.find((s) => s.id === id) || sports.find((s) => s.id === 'custom') || FALLBACK_SPORT;
const serverNow = () => (live && typeof live.serverNow === 'function' ? live.serverNow() : Date.now());

// ---- token: this tab only (sessionStorage), or this device when asked (localStorage) ----

const token = () => sessionStorage.getItem(TOKEN_KEY) || localStorage.getItem(TOKEN_KEY);

function keepToken(value) {
  forgetToken();
  ($('token-remember').checked ? localStorage : sessionStorage).setItem(TOKEN_KEY, value);
}

function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
  localStorage.removeItem(TOKEN_KEY);
  session = null;
  applyRole();
}

function showTokenState(state, text) {
  $('token-status').dataset.state = state;
  $('token-status').textContent = text;
}

async function useToken(value) {
  try {
    const s = await getJson('/api/session', value);
    keepToken(value);
    session = s;
    if (s.role === 'scorer') {
      showTokenState('ok', `Scorer token accepted: it may score game ${s.game} only.`);
      say('Token accepted.');
      applyRole();
      if (!current || current.id !== s.game) await choose(s.game);
    } else {
      showTokenState('ok', 'Token accepted. You can keep score.');
      say('Token accepted.');
      applyRole();
    }
    return true;
  } catch (e) {
    forgetToken();
    showTokenState('rejected', e instanceof ApiError ? explain(e) : 'Could not check the token.');
    showError(e);
    return false;
  }
}

/** The token was refused by a write: say so where the scorer looks, and ask for it again. */
function tokenRefused() {
  forgetToken();
  $('token').value = '';
  showTokenState('rejected', 'The server no longer accepts this token (it was revoked, or the server restarted with another one). Enter the token again.');
}

function applyRole() {
  const scorerOnly = session && session.role === 'scorer';
  $('create-panel').hidden = !!scorerOnly;
  $('scorer-links').hidden = !(session && session.role === 'admin');
  if (current) { builtFor = null; render(current); }
  if (session && session.role === 'admin' && current) loadScorers(current.id);
}

$('token-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const value = $('token').value.trim();
  if (value) useToken(value);
});
$('token-forget').addEventListener('click', () => {
  forgetToken();
  $('token').value = '';
  showTokenState('none', 'Token forgotten.');
});

// ---- messages: one error or answer visible at a time ----

function clearFeedback() {
  for (const f of document.querySelectorAll('[data-feedback]')) {
    f.textContent = '';
    delete f.dataset.state;
    delete f.dataset.code;
  }
}

function showError(err) {
  clearFeedback();
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

/** Shows an answer in the feedback line next to the control used. */
function feedback(where, state, text, code) {
  clearFeedback();
  errorBox.hidden = true;
  const f = $(where);
  f.dataset.state = state;
  if (code) f.dataset.code = code;
  f.textContent = text;
}

// ---- the game list: teams, sport, start time, status and id, so two games never look alike ----

function when(game) {
  const t = game.startsAt || game.created;
  if (!t) return '';
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) return '';
  const fmt = { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' };
  return (game.startsAt ? '' : 'created ') + d.toLocaleString(undefined, fmt);
}

function optionText(game) {
  return `${game.home.name} – ${game.away.name} · ${sportOf(game.sport).name} · ${when(game)} · ${statusLabel(game.status)} · #${game.id}`;
}

function addToList(game, atTop) {
  const existing = [...select.options].find((o) => o.value === game.id);
  if (existing) { existing.textContent = optionText(game); return; }
  const option = el('option', { value: game.id, text: optionText(game) });
  if (atTop) select.insertBefore(option, select.options[1] || null);
  else select.append(option);
}

async function loadList() {
  const { games, position } = await getJson('/api/games');
  for (const g of games) addToList(g, false);
  return position;
}

// ---- the chosen game ----

/** Why scoring is refused right now, or null: the same rules the server applies. */
function scoringRefusal(game) {
  if (session && session.role === 'scorer' && session.game !== game.id) return `This scorer token may score game ${session.game} only.`;
  if (game.status === 'scheduled') return 'The game has not started: press Live to start scoring.';
  if (game.status === 'final') return 'The game is final: press Live to change the score again.';
  return null;
}

function buildButtons(sport) {
  for (const team of ['home', 'away']) {
    const box = $(team + '-buttons');
    const buttons = [];
    if (sport.sets) {
      buttons.push(el('button', { type: 'button', 'data-team': team, 'data-point': 'true', 'data-testid': `${team}-point`, text: 'Point' }));
    } else {
      for (const p of sport.buttons) {
        buttons.push(el('button', { type: 'button', 'data-team': team, 'data-points': String(p), 'data-testid': `${team}-plus-${p}`, text: `+${p}` }));
      }
      buttons.push(el('button', { type: 'button', class: 'secondary', 'data-team': team, 'data-points': '-1', 'data-testid': `${team}-minus-1`, 'aria-label': 'minus 1', text: '−1' }));
    }
    buttons.forEach((b, i) => {
      const key = KEYS[team][i];
      if (!key) return;
      b.dataset.key = key;
      b.setAttribute('aria-keyshortcuts', key.toUpperCase());
      b.append(el('kbd', { 'aria-hidden': 'true', text: key.toUpperCase() }));
    });
    box.replaceChildren(...buttons);
  }
  $('period-options').replaceChildren(...sport.periods.map((p) => el('option', { value: p })));
  const items = [];
  for (const team of ['home', 'away']) {
    for (const b of $(team + '-buttons').querySelectorAll('button[data-key]')) {
      const what = b.dataset.point ? 'point' : (b.dataset.points > 0 ? '+' : '−') + Math.abs(b.dataset.points);
      items.push(el('li', {}, el('kbd', { text: b.dataset.key.toUpperCase() }), ` ${team} ${what}`));
    }
  }
  if (sport.clock) items.push(el('li', {}, el('kbd', { text: 'Space' }), ' start or stop the clock'));
  items.push(el('li', {}, el('kbd', { text: 'Ctrl' }), '+', el('kbd', { text: 'Z' }), ' (', el('kbd', { text: '⌘' }), '+', el('kbd', { text: 'Z' }), ') undo the last event'));
  $('shortcut-list').replaceChildren(...items);
}

function setsText(game, team) {
  if (!game.sets || !game.sets.length) return '';
  const parts = game.sets.map((s) => s[team]);
  const point = game.point ? ` · game ${game.point[team]}` : '';
  return `Sets won ${game[team].score} · ${parts.join(' ')}${point}`;
}

function render(game) {
  const flash = current !== null && current.id === game.id;
  current = game;
  const sport = sportOf(game.sport);
  if (!builtFor || builtFor !== sport.id) { buildButtons(sport); builtFor = sport.id; }
  scorer.hidden = false;
  scorer.dataset.version = game.version;
  scorer.dataset.sport = sport.id;
  setText($('c-sport'), sport.name, false);
  setText($('c-status'), statusLabel(game.status), flash);
  setText($('c-period'), game.period || '', flash);
  setText($('c-version'), game.version, false);
  setText($('c-id'), game.id, false);
  for (const team of ['home', 'away']) {
    setText($(`c-${team}-name`), game[team].name, false);
    const shown = sport.sets && game.sets && game.sets.length ? game.sets[game.sets.length - 1][team] : game[team].score;
    setText($(`c-${team}-score`), shown, flash);
    $(`c-${team}-sets`).hidden = !sport.sets;
    $(`c-${team}-sets`).textContent = setsText(game, team);
  }
  $('c-view').href = 'game.html?id=' + encodeURIComponent(game.id);
  if (document.activeElement !== $('period')) $('period').value = game.period || '';

  const refusal = scoringRefusal(game);
  $('c-hint').hidden = !refusal;
  $('c-hint').textContent = refusal || '';
  for (const b of scorer.querySelectorAll('button[data-team]')) b.disabled = !!refusal;
  const foreign = session && session.role === 'scorer' && session.game !== game.id;
  for (const b of scorer.querySelectorAll('button[data-status], #undo, #period-form button')) b.disabled = !!foreign;
  $('period-form').querySelector('button').disabled = !!foreign || game.status === 'final';
  for (const b of scorer.querySelectorAll('button[data-status]')) b.setAttribute('aria-pressed', String(b.dataset.status === game.status));

  $('clock-panel').hidden = !sport.clock;
  renderClock();

  $('c-log').replaceChildren(...game.log.slice(-10).reverse().map((e) =>
    el('li', { class: e.undone ? 'undone' : '', text: describe(e, game) })));
  addToList(game, false);
}

/** One log entry in words: the shared wording, plus the kinds only set sports and clocks have. */
function describe(e, game) {
  const team = e.team ? game[e.team].name : '';
  if (e.type === 'point') return `Point ${team}`;
  if (e.type === 'clock') return e.action === 'set' ? `Clock set to ${clockText(e.ms, 'down')}` : `Clock ${e.action === 'start' ? 'started' : 'stopped'} at ${clockText(e.ms, 'down')}`;
  if (e.type === 'status') return `Status: ${statusLabel(e.status)}`;
  if (e.type === 'undo') return `Undo of #${e.undoes}`;
  return describeEvent(e, game);
}

// ---- the clock: drawn from the server's state and the server's time, never ticked by the server ----

function clockMs(clock) {
  if (!clock) return 0;
  if (!clock.running) return clock.ms;
  const elapsed = Math.max(0, serverNow() - clock.at);
  return clock.direction === 'down' ? Math.max(0, clock.ms - elapsed) : clock.ms + elapsed;
}

function clockText(ms, direction) {
  // A countdown shows tenths in its last minute; a count-up only whole seconds.
  if (direction === 'down' && ms < 60000) {
    const tenths = Math.ceil(ms / 100);
    return `${Math.floor(tenths / 10)}.${tenths % 10}`;
  }
  const s = direction === 'down' ? Math.ceil(ms / 1000) : Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function renderClock() {
  if (!current || $('clock-panel').hidden) return;
  const sport = sportOf(current.sport);
  const clock = current.clock || { running: false, direction: sport.clock.direction, ms: sport.clock.direction === 'down' ? sport.clock.periodMs || 0 : 0, at: 0 };
  const face = $('c-clock');
  face.textContent = clockText(clockMs(clock), clock.direction);
  face.dataset.running = String(clock.running);
  const toggle = $('clock-toggle');
  const label = clock.running ? 'Stop clock' : 'Start clock';
  if (toggle.firstChild === null || toggle.firstChild.textContent !== label) {
    toggle.replaceChildren(label, el('kbd', { 'aria-hidden': 'true', text: 'Space' }));
  }
  const foreign = session && session.role === 'scorer' && session.game !== current.id;
  toggle.disabled = foreign || (!clock.running && (current.status !== 'live' || (clock.direction === 'down' && clock.ms === 0)));
  toggle.title = !clock.running && current.status !== 'live' ? 'The clock runs only while the game is live' : '';
  $('clock-reset').hidden = !sport.clock.periodMs;
  $('clock-reset').disabled = foreign || current.status === 'final';
  $('clock-form').querySelector('button').disabled = foreign || current.status === 'final';
}

setInterval(renderClock, 100);

/** "10:00", "9:59.5", "45" (seconds) or "1:02:03" into milliseconds; null if it is not a time. */
function parseClock(text) {
  const m = /^(?:(\d{1,2}):)?(?:(\d{1,3}):)?(\d{1,4})(?:[.,](\d))?$/.exec(text.trim());
  if (!m) return null;
  const parts = [m[1], m[2], m[3]].filter((x) => x !== undefined).map(Number);
  let seconds = 0;
  for (const p of parts) seconds = seconds * 60 + p;
  return seconds * 1000 + (m[4] ? Number(m[4]) * 100 : 0);
}

const loadGame = async (id) => (await getJson('/api/games/' + encodeURIComponent(id))).game;

async function choose(id) {
  if (roomSub) { roomSub.unsubscribe(); roomSub = null; }
  if (view) view.stop();
  current = null;
  view = null;
  builtFor = null;
  if (!id) { scorer.hidden = true; return; }
  try {
    const { game, position } = await getJson('/api/games/' + encodeURIComponent(id));
    view = new LiveGame(id, { load: () => loadGame(id), show: render });
    view.take(game);
    select.value = id;
    history.replaceState(null, '', '?id=' + encodeURIComponent(id));
    follow(position);
    $('scorer-issued').hidden = true;
    if (session && session.role === 'admin') loadScorers(id);
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
function change(body, label, where) {
  if (!current) return;
  if (!token()) {
    feedback(where, 'error', explain(new ApiError(401, { code: 'token-missing' })), 'token-missing');
    return;
  }
  const id = current.id;
  const key = newKey();
  scorer.setAttribute('aria-busy', 'true');
  feedback(where, 'pending', `${label}…`);
  queue = queue.then(async () => {
    try {
      const version = current && current.id === id ? current.version : undefined;
      const { game } = await post(`/api/games/${encodeURIComponent(id)}/events`, body, { token: token(), ifMatch: version, idempotencyKey: key });
      if (view) view.take(game);
      feedback(where, 'ok', `${label} — saved (version ${game.version}).`);
    } catch (e) {
      if (e instanceof ApiError && e.game && view) view.take(e.game);
      if (e instanceof ApiError && e.status === 401) tokenRefused();
      feedback(where, 'error', e instanceof ApiError ? explainChange(e) : String(e.message || e), e.code || 'error');
    } finally {
      scorer.removeAttribute('aria-busy');
    }
  });
}

function explainChange(e) {
  switch (e.code) {
    case 'token-invalid': return 'The server no longer accepts this token. Enter the token again at the top of the page.';
    case 'token-missing': return explain(e);
    case 'game-not-started': return 'The game has not started: press Live first.';
    case 'points-not-allowed':
    case 'scored-by-points':
    case 'not-a-set-sport':
    case 'match-over':
    case 'clock-running':
    case 'clock-stopped':
    case 'clock-at-zero':
    case 'game-not-live':
    case 'other-game':
      return e.message.charAt(0).toUpperCase() + e.message.slice(1) + '.';
    default: return explain(e);
  }
}

function press(b) {
  if (!b || b.disabled || !current) return;
  const team = b.dataset.team;
  if (b.dataset.point) {
    change({ type: 'point', team }, `Point ${current[team].name}`, team + '-feedback');
  } else if (b.dataset.points) {
    const points = Number(b.dataset.points);
    change({ type: 'score', team, points }, `${current[team].name} ${points > 0 ? '+' : ''}${points}`, team + '-feedback');
  } else if (b.dataset.status) {
    change({ type: 'status', status: b.dataset.status }, `Status ${statusLabel(b.dataset.status)}`, 'status-feedback');
  } else if (b.id === 'undo') {
    change({ type: 'undo' }, 'Undo', 'undo-feedback');
  } else if (b.id === 'clock-toggle') {
    const running = current.clock && current.clock.running;
    change({ type: 'clock', action: running ? 'stop' : 'start' }, running ? 'Clock stopped' : 'Clock started', 'clock-feedback');
  } else if (b.id === 'clock-reset') {
    // Counting down: the period's length. Counting up: where the period starts (soccer's 2nd half at 45:00).
    const sport = sportOf(current.sport);
    const up = sport.clock.direction === 'up';
    const ms = up ? Math.max(0, sport.periods.indexOf(current.period)) * sport.clock.periodMs : sport.clock.periodMs;
    change({ type: 'clock', action: 'set', ms }, `Clock set to ${clockText(ms, sport.clock.direction)}`, 'clock-feedback');
  }
}

scorer.addEventListener('click', (e) => press(e.target.closest('button')));

$('period-form').addEventListener('submit', (e) => {
  e.preventDefault();
  change({ type: 'period', period: $('period').value.trim() }, 'Period', 'period-feedback');
});

$('clock-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const ms = parseClock($('clock-input').value);
  if (ms === null) { feedback('clock-feedback', 'error', 'Type the time as minutes:seconds, like 10:00 or 0:45.', 'invalid'); return; }
  change({ type: 'clock', action: 'set', ms }, `Clock set to ${$('clock-input').value.trim()}`, 'clock-feedback');
});

// Desktop shortcuts: never while typing, never with modifiers (except undo).
document.addEventListener('keydown', (e) => {
  if (!current || scorer.hidden) return;
  const t = e.target;
  if (t && (t.closest('input, select, textarea, [contenteditable]'))) return;
  if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'z') {
    e.preventDefault();
    press($('undo'));
    return;
  }
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.key === ' ' && !$('clock-panel').hidden) {
    if (t && t.closest('button, summary, a')) return; // Space activates the focused control itself
    e.preventDefault();
    press($('clock-toggle'));
    return;
  }
  const b = scorer.querySelector(`button[data-key="${CSS.escape(e.key.toLowerCase())}"]`);
  if (b) { e.preventDefault(); press(b); }
});

// ---- new games ----

for (const id of ['new-home-color', 'new-away-color']) $(id).addEventListener('input', (e) => { e.target.dataset.chosen = 'true'; });

function teamBody(side) {
  const name = $(`new-${side}`).value.trim();
  const short = $(`new-${side}-short`).value.trim();
  const color = $(`new-${side}-color`);
  if (!short && !color.dataset.chosen) return name;
  const team = { name };
  if (short) team.short = short;
  if (color.dataset.chosen) team.color = color.value;
  return team;
}

$('create-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  if (!token()) { showError(new ApiError(401, { code: 'token-missing' })); $('token').focus(); return; }
  // A game with a start time waits for it (scheduled); one without starts now (live).
  const starts = $('new-starts').value;
  const body = { sport: $('new-sport').value, home: teamBody('home'), away: teamBody('away'), status: starts ? 'scheduled' : 'live' };
  if (starts) body.startsAt = new Date(starts).toISOString();
  try {
    const { game } = await post('/api/games', body, { token: token() });
    addToList(game, true);
    say(`Game created: ${game.home.name} – ${game.away.name}.`);
    for (const id of ['new-home', 'new-away', 'new-home-short', 'new-away-short', 'new-starts']) $(id).value = '';
    await choose(game.id);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) tokenRefused();
    showError(err);
  }
});

// ---- scorer links (admin) ----

async function loadScorers(id) {
  try {
    const { scorers } = await getJson(`/api/games/${encodeURIComponent(id)}/scorers`, token());
    if (!current || current.id !== id) return;
    $('scorer-list').replaceChildren(...scorers.map((s) => el('li', { 'data-scorer': s.id },
      el('span', { text: `${s.label} · ${s.id} · ${new Date(s.created).toLocaleString()}` }),
      el('button', { type: 'button', class: 'secondary', 'data-revoke': s.id, 'data-testid': `revoke-${s.id}`, text: 'Revoke' }))));
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) tokenRefused();
  }
}

$('scorer-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  if (!current) return;
  const id = current.id;
  const label = $('scorer-label').value.trim();
  try {
    const answer = await post(`/api/games/${encodeURIComponent(id)}/scorers`, label ? { label } : {}, { token: token(), retries: 0 });
    $('scorer-link').value = new URL(answer.link, location.href).href;
    $('scorer-issued').hidden = false;
    $('scorer-label').value = '';
    feedback('scorer-feedback', 'ok', `Scorer link for “${answer.scorer.label}” created. Copy it now: it is not shown again.`);
    loadScorers(id);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) tokenRefused();
    feedback('scorer-feedback', 'error', err instanceof ApiError ? explain(err) : String(err.message || err), err.code || 'error');
  }
});

$('scorer-copy').addEventListener('click', async () => {
  try {
    await navigator.clipboard.writeText($('scorer-link').value);
    feedback('scorer-feedback', 'ok', 'Link copied.');
  } catch (e) {
    $('scorer-link').select();
    feedback('scorer-feedback', 'ok', 'Link selected: copy it with the keyboard or the menu.');
  }
});

$('scorer-list').addEventListener('click', async (e) => {
  const b = e.target.closest('button[data-revoke]');
  if (!b || !current) return;
  const id = current.id;
  try {
    await del(`/api/games/${encodeURIComponent(id)}/scorers/${encodeURIComponent(b.dataset.revoke)}`, { token: token() });
    feedback('scorer-feedback', 'ok', `Scorer ${b.dataset.revoke} revoked: that link no longer works.`);
    loadScorers(id);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) tokenRefused();
    feedback('scorer-feedback', 'error', err instanceof ApiError ? explain(err) : String(err.message || err), err.code || 'error');
  }
});

// ---- start ----

async function loadSports() {
  try {
    const answer = await getJson('/api/sports');
    sports = answer.sports;
  } catch (e) {
    return; // the console still works as "custom"
  }
  $('new-sport').replaceChildren(...sports.map((s) => el('option', { value: s.id, text: s.name })));
}

/** A scorer link carries its token in the fragment (#token=…), which no server ever sees. */
function tokenFromLink() {
  const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (!m) return null;
  history.replaceState(null, '', location.pathname + location.search);
  return decodeURIComponent(m[1]);
}

async function start() {
  wireFlashCleanup(scorer);
  const fromLink = tokenFromLink();
  const livePromise = startLive($('connection'));
  await loadSports();
  let position = null;
  try {
    position = await loadList();
  } catch (e) {
    showError(e);
  }
  live = await livePromise;
  if (live && position) {
    live.subscribe('games', { since: position, onMessage: (data) => { if (data && data.game) addToList(data.game, false); } });
  }
  const wanted = gameIdFromLocation();
  if (wanted) await choose(wanted);
  const saved = fromLink || token();
  if (saved) {
    $('token').value = saved;
    $('token-remember').checked = !fromLink && !!localStorage.getItem(TOKEN_KEY);
    // Checked with the server at once, so a token that stopped working says so before any click.
    await useToken(saved);
  }
}

start();
