// The scorer token: checked with the server, kept for this tab or this device, and the role it gives.
import { ApiError, explain, getJson } from '../api.js';
import { $, state, TOKEN_KEY } from './state.js';
import { say, showError } from './feedback.js';
import { choose, render } from './game.js';
import { loadScorers } from './admin.js';

function keepToken(value) {
  forgetToken();
  ($('token-remember').checked ? localStorage : sessionStorage).setItem(TOKEN_KEY, value);
}

function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
  localStorage.removeItem(TOKEN_KEY);
  state.session = null;
  applyRole();
}

function showTokenState(state, text) {
  $('token-status').dataset.state = state;
  $('token-status').textContent = text;
}

export async function useToken(value) {
  try {
    const s = await getJson('/api/session', value);
    keepToken(value);
    state.session = s;
    if (s.role === 'scorer') {
      showTokenState('ok', `Scorer token accepted: it may score game ${s.game} only.`);
      say('Token accepted.');
      applyRole();
      if (!state.current || state.current.id !== s.game) await choose(s.game);
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
export function tokenRefused() {
  forgetToken();
  $('token').value = '';
  showTokenState('rejected', 'The server no longer accepts this token (it was revoked, or the server restarted with another one). Enter the token again.');
}

function applyRole() {
  const scorerOnly = state.session && state.session.role === 'scorer';
  $('create-panel').hidden = !!scorerOnly;
  $('scorer-links').hidden = !(state.session && state.session.role === 'admin');
  if (state.current) { state.builtFor = null; render(state.current); }
  if (state.session && state.session.role === 'admin' && state.current) loadScorers(state.current.id);
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

/** A scorer link carries its token in the fragment (#token=…), which no server ever sees. */
export function tokenFromLink() {
  const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (!m) return null;
  history.replaceState(null, '', location.pathname + location.search);
  return decodeURIComponent(m[1]);
}
