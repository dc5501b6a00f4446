// The console's messages: one error or answer visible at a time, next to the control used.
import { ApiError, explain } from '../api.js';
import { $, errorBox, messageBox } from './state.js';

function clearFeedback() {
  for (const f of document.querySelectorAll('[data-feedback]')) {
    f.textContent = '';
    delete f.dataset.state;
    delete f.dataset.code;
  }
}

export function showError(err) {
  clearFeedback();
  errorBox.textContent = err instanceof ApiError ? explain(err) : String(err.message || err);
  errorBox.dataset.code = err.code || '';
  errorBox.hidden = false;
  messageBox.textContent = '';
}

export function say(text) {
  errorBox.hidden = true;
  errorBox.textContent = '';
  messageBox.textContent = text;
}

/** Shows an answer in the feedback line next to the control used. */
export function feedback(where, state, text, code) {
  clearFeedback();
  errorBox.hidden = true;
  const f = $(where);
  f.dataset.state = state;
  if (code) f.dataset.code = code;
  f.textContent = text;
}
