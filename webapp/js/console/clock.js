// The game clock: drawn from the server's state and the server's time, never ticked by the server.
import { el } from '../render.js';
import { $, serverNow, sportOf, state } from './state.js';

function clockMs(clock) {
  if (!clock) return 0;
  if (!clock.running) return clock.ms;
  const elapsed = Math.max(0, serverNow() - clock.at);
  return clock.direction === 'down' ? Math.max(0, clock.ms - elapsed) : clock.ms + elapsed;
}

export function clockText(ms, direction) {
  // A countdown shows tenths in its last minute; a count-up only whole seconds.
  if (direction === 'down' && ms < 60000) {
    const tenths = Math.ceil(ms / 100);
    return `${Math.floor(tenths / 10)}.${tenths % 10}`;
  }
  const s = direction === 'down' ? Math.ceil(ms / 1000) : Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function renderClock() {
  if (!state.current || $('clock-panel').hidden) return;
  const sport = sportOf(state.current.sport);
  const clock = state.current.clock || { running: false, direction: sport.clock.direction, ms: sport.clock.direction === 'down' ? sport.clock.periodMs || 0 : 0, at: 0 };
  const face = $('c-clock');
  face.textContent = clockText(clockMs(clock), clock.direction);
  face.dataset.running = String(clock.running);
  const toggle = $('clock-toggle');
  const label = clock.running ? 'Stop clock' : 'Start clock';
  if (toggle.firstChild === null || toggle.firstChild.textContent !== label) {
    toggle.replaceChildren(label, el('kbd', { 'aria-hidden': 'true', text: 'Space' }));
  }
  const foreign = state.session && state.session.role === 'scorer' && state.session.game !== state.current.id;
  toggle.disabled = foreign || (!clock.running && (state.current.status !== 'live' || (clock.direction === 'down' && clock.ms === 0)));
  toggle.title = !clock.running && state.current.status !== 'live' ? 'The clock runs only while the game is live' : '';
  $('clock-reset').hidden = !sport.clock.periodMs;
  $('clock-reset').disabled = foreign || state.current.status === 'final';
  $('clock-form').querySelector('button').disabled = foreign || state.current.status === 'final';
}

setInterval(renderClock, 100);

/** "10:00", "9:59.5", "45" (seconds) or "1:02:03" into milliseconds; null if it is not a time. */
export function parseClock(text) {
  const m = /^(?:(\d{1,2}):)?(?:(\d{1,3}):)?(\d{1,4})(?:[.,](\d))?$/.exec(text.trim());
  if (!m) return null;
  const parts = [m[1], m[2], m[3]].filter((x) => x !== undefined).map(Number);
  let seconds = 0;
  for (const p of parts) seconds = seconds * 60 + p;
  return seconds * 1000 + (m[4] ? Number(m[4]) * 100 : 0);
}
