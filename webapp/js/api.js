// Talking to Tally's REST API: JSON in and out, problems (RFC 9457) turned into errors people can read.

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.code = problem.code || 'http-' + status;
    this.game = problem.game || null;
    this.retryAfter = null;
  }
}

async function parse(response) {
  const type = response.headers.get('Content-Type') || '';
  const body = type.includes('json') ? await response.json() : {};
  if (!response.ok) {
    const err = new ApiError(response.status, body);
    err.retryAfter = Number(response.headers.get('Retry-After')) || null;
    throw err;
  }
  return body;
}

export async function getJson(path, token) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = 'Bearer ' + token;
  return parse(await fetch(path, { headers, cache: 'no-store', credentials: 'same-origin' }));
}

/**
 * A write. The same Idempotency-Key is reused when a network failure forces a retry, so a POST that
 * did reach the server is never applied twice.
 */
export async function post(path, body, { token, ifMatch, idempotencyKey = newKey(), retries = 1 } = {}) {
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json', 'Idempotency-Key': idempotencyKey };
  if (token) headers.Authorization = 'Bearer ' + token;
  if (ifMatch !== undefined && ifMatch !== null) headers['If-Match'] = `"${ifMatch}"`;
  for (let attempt = 0; ; attempt++) {
    let response;
    try {
      response = await fetch(path, { method: 'POST', headers, body: JSON.stringify(body ?? {}), credentials: 'same-origin' });
    } catch (networkError) {
      if (attempt < retries) { await sleep(500 * (attempt + 1)); continue; }
      const err = new ApiError(0, { code: 'network', detail: 'Cannot reach the server. Check the connection; the change may not have been saved.' });
      throw err;
    }
    if ((response.status === 503 || (response.status === 409 && response.headers.get('Retry-After'))) && attempt < retries) {
      await sleep(1000 * (Number(response.headers.get('Retry-After')) || 1));
      continue;
    }
    return parse(response);
  }
}

/** A DELETE (revoking a scorer token): 204 without a body, or a problem. */
export async function del(path, { token } = {}) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = 'Bearer ' + token;
  let response;
  try {
    response = await fetch(path, { method: 'DELETE', headers, credentials: 'same-origin' });
  } catch (networkError) {
    throw new ApiError(0, { code: 'network', detail: 'Cannot reach the server. Check the connection and try again.' });
  }
  if (response.status === 204) return {};
  return parse(response);
}

export function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Words for the scorer, by problem code; the server's detail otherwise. */
export function explain(err) {
  switch (err.code) {
    case 'token-missing': return 'Enter the scorer token first.';
    case 'token-invalid': return 'That scorer token is not correct. Check it and enter it again.';
    case 'admin-only': return 'This scorer token may only score its own game; this needs the admin token.';
    case 'other-game': return 'This scorer token may only score its own game.';
    case 'game-not-started': return 'The game has not started. Set its status to Live to score.';
    case 'points-not-allowed': return err.message.charAt(0).toUpperCase() + err.message.slice(1) + '.';
    case 'too-many-scorers': return 'This game has too many scorer links: revoke one first.';
    case 'origin-forbidden': return 'This page is not allowed to make changes (it is not on the Tally site).';
    case 'rate-limited': return `Too many changes at once. Wait ${err.retryAfter || 1} s and try again.`;
    case 'version-mismatch': return 'Someone else changed this game just now. The screen shows the latest score: check it, then try again.';
    case 'game-final': return 'This game is final. Set its status back to Live to change the score or period.';
    case 'score-negative': return 'A score cannot go below 0.';
    case 'nothing-to-undo': return 'There is nothing left to undo.';
    case 'status-unchanged': return err.message.charAt(0).toUpperCase() + err.message.slice(1) + '.';
    case 'store-unavailable':
    case 'broker-unavailable': return 'The server cannot save changes right now. Nothing was changed; try again in a moment.';
    case 'game-not-found': return 'This game no longer exists.';
    default: return err.message || 'Something went wrong.';
  }
}
