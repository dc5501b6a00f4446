// The scorer console. Every change carries If-Match (the version on screen, so two scorers never
// overwrite each other silently) and an Idempotency-Key (so a retried click never scores twice).
// Changes are sent one after another, each with the version the previous one produced. The answer to
// a change is shown next to the control that made it (and announced: each feedback line is a live
// region), so on a phone it is where the thumb is, not at the top of the page. The parts live in
// ./console/ (state, feedback, token, game, clock, changes, admin); this entry loads them and starts.
import { getJson } from './api.js';
import { startLive } from './live.js';
import { el, gameIdFromLocation, wireFlashCleanup } from './render.js';
import { $, scorer, state, token, TOKEN_KEY } from './console/state.js';
import { showError } from './console/feedback.js';
import { tokenFromLink, useToken } from './console/token.js';
import { addToList, choose, loadList } from './console/game.js';
import './console/changes.js';
import './console/admin.js';

async function loadSports() {
  try {
    const answer = await getJson('/api/sports');
    state.sports = answer.sports;
  } catch (e) {
    return; // the console still works as "custom"
  }
  $('new-sport').replaceChildren(...state.sports.map((s) => el('option', { value: s.id, text: s.name })));
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
  state.live = await livePromise;
  if (state.live && position) {
    state.live.subscribe('games', { since: position, onMessage: (data) => { if (data && data.game) addToList(data.game, false); } });
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
