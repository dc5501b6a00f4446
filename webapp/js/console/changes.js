// Changes: every one carries If-Match and an Idempotency-Key and is sent after the previous one.
import { ApiError, explain, newKey, post } from '../api.js';
import { $, scorer, sportOf, state, statusLabel, token } from './state.js';
import { feedback } from './feedback.js';
import { tokenRefused } from './token.js';
import { clockText, parseClock } from './clock.js';

/** Queues one change: sent after the previous one finished, with the version then on screen. */
function change(body, label, where) {
  if (!state.current) return;
  if (!token()) {
    feedback(where, 'error', explain(new ApiError(401, { code: 'token-missing' })), 'token-missing');
    return;
  }
  const id = state.current.id;
  const key = newKey();
  scorer.setAttribute('aria-busy', 'true');
  feedback(where, 'pending', `${label}…`);
  state.queue = state.queue.then(async () => {
    try {
      const version = state.current && state.current.id === id ? state.current.version : undefined;
      const { game } = await post(`/api/games/${encodeURIComponent(id)}/events`, body, { token: token(), ifMatch: version, idempotencyKey: key });
      if (state.view) state.view.take(game);
      feedback(where, 'ok', `${label} — saved (version ${game.version}).`);
    } catch (e) {
      if (e instanceof ApiError && e.game && state.view) state.view.take(e.game);
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
  if (!b || b.disabled || !state.current) return;
  const team = b.dataset.team;
  if (b.dataset.point) {
    change({ type: 'point', team }, `Point ${state.current[team].name}`, team + '-feedback');
  } else if (b.dataset.points) {
    const points = Number(b.dataset.points);
    change({ type: 'score', team, points }, `${state.current[team].name} ${points > 0 ? '+' : ''}${points}`, team + '-feedback');
  } else if (b.dataset.status) {
    change({ type: 'status', status: b.dataset.status }, `Status ${statusLabel(b.dataset.status)}`, 'status-feedback');
  } else if (b.id === 'undo') {
    change({ type: 'undo' }, 'Undo', 'undo-feedback');
  } else if (b.id === 'clock-toggle') {
    const running = state.current.clock && state.current.clock.running;
    change({ type: 'clock', action: running ? 'stop' : 'start' }, running ? 'Clock stopped' : 'Clock started', 'clock-feedback');
  } else if (b.id === 'clock-reset') {
    // Counting down: the period's length. Counting up: where the period starts (soccer's 2nd half at 45:00).
    const sport = sportOf(state.current.sport);
    const up = sport.clock.direction === 'up';
    const ms = up ? Math.max(0, sport.periods.indexOf(state.current.period)) * sport.clock.periodMs : sport.clock.periodMs;
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
  if (!state.current || scorer.hidden) return;
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
