// The chosen game: the list of games, the scoreboard with its buttons, and following it live.
import { getJson } from '../api.js';
import { LiveGame } from '../livegame.js';
import { describeEvent, el, setText } from '../render.js';
import { $, KEYS, scorer, select, sportOf, state, statusLabel } from './state.js';
import { showError } from './feedback.js';
import { clockText, renderClock } from './clock.js';
import { loadScorers } from './admin.js';

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

export function addToList(game, atTop) {
  const existing = [...select.options].find((o) => o.value === game.id);
  if (existing) { existing.textContent = optionText(game); return; }
  const option = el('option', { value: game.id, text: optionText(game) });
  if (atTop) select.insertBefore(option, select.options[1] || null);
  else select.append(option);
}

export async function loadList() {
  const { games, position } = await getJson('/api/games');
  for (const g of games) addToList(g, false);
  return position;
}

// ---- the chosen game ----

/** Why scoring is refused right now, or null: the same rules the server applies. */
function scoringRefusal(game) {
  if (state.session && state.session.role === 'scorer' && state.session.game !== game.id) return `This scorer token may score game ${state.session.game} only.`;
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

export function render(game) {
  const flash = state.current !== null && state.current.id === game.id;
  state.current = game;
  const sport = sportOf(game.sport);
  if (!state.builtFor || state.builtFor !== sport.id) { buildButtons(sport); state.builtFor = sport.id; }
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
  const foreign = state.session && state.session.role === 'scorer' && state.session.game !== game.id;
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

const loadGame = async (id) => (await getJson('/api/games/' + encodeURIComponent(id))).game;

export async function choose(id) {
  if (state.roomSub) { state.roomSub.unsubscribe(); state.roomSub = null; }
  if (state.view) state.view.stop();
  state.current = null;
  state.view = null;
  state.builtFor = null;
  if (!id) { scorer.hidden = true; return; }
  try {
    const { game, position } = await getJson('/api/games/' + encodeURIComponent(id));
    state.view = new LiveGame(id, { load: () => loadGame(id), show: render });
    state.view.take(game);
    select.value = id;
    history.replaceState(null, '', '?id=' + encodeURIComponent(id));
    follow(position);
    $('scorer-issued').hidden = true;
    if (state.session && state.session.role === 'admin') loadScorers(id);
  } catch (e) {
    showError(e);
  }
}

function follow(position) {
  if (!state.live || !state.current || !$('follow').checked) return;
  const game = state.view;
  state.roomSub = state.live.subscribe('game-' + game.id, {
    since: position,
    onMessage: (data) => game.receive(data),
    onReset: () => game.reset(),
  });
}

select.addEventListener('change', () => choose(select.value));
$('follow').addEventListener('change', async () => {
  if (!state.current) return;
  if ($('follow').checked) {
    const id = state.current.id;
    state.current = null;
    await choose(id);
  } else if (state.roomSub) {
    state.roomSub.unsubscribe();
    state.roomSub = null;
  }
});
