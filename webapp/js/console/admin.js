// New games and scorer links (admin).
import { ApiError, del, explain, getJson, post } from '../api.js';
import { el } from '../render.js';
import { $, state, token } from './state.js';
import { feedback, say, showError } from './feedback.js';
import { tokenRefused } from './token.js';
import { addToList, choose } from './game.js';

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

export async function loadScorers(id) {
  try {
    const { scorers } = await getJson(`/api/games/${encodeURIComponent(id)}/scorers`, token());
    if (!state.current || state.current.id !== id) return;
    $('scorer-list').replaceChildren(...scorers.map((s) => el('li', { 'data-scorer': s.id },
      el('span', { text: `${s.label} · ${s.id} · ${new Date(s.created).toLocaleString()}` }),
      el('button', { type: 'button', class: 'secondary', 'data-revoke': s.id, 'data-testid': `revoke-${s.id}`, text: 'Revoke' }))));
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) tokenRefused();
  }
}

$('scorer-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  if (!state.current) return;
  const id = state.current.id;
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
  if (!b || !state.current) return;
  const id = state.current.id;
  try {
    await del(`/api/games/${encodeURIComponent(id)}/scorers/${encodeURIComponent(b.dataset.revoke)}`, { token: token() });
    feedback('scorer-feedback', 'ok', `Scorer ${b.dataset.revoke} revoked: that link no longer works.`);
    loadScorers(id);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) tokenRefused();
    feedback('scorer-feedback', 'error', err instanceof ApiError ? explain(err) : String(err.message || err), err.code || 'error');
  }
});
