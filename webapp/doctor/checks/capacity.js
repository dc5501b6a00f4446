// The capacity check: nginx's worker_connections. Every proxied WebSocket takes two of them (the
// viewer's and Tomcat's). A worker without a free one answers 500 or closes the connection (the
// balancer then answers 502).
import { FETCH_TIMEOUT_MS, WELCOME_TIMEOUT_MS, answeredBy, api, check, liveWsUrl, numberParam } from '../page.js';

const BURST = 50;           // extra WebSockets (?burst=N)
const BURST_MAX = 200;
const BURST_PROBES = 3;     // requests made while they are open

/** Opens a WebSocket and reports only whether it opened (within the welcome timeout). */
function openQuiet(url) {
  return new Promise(resolve => {
    let ws;
    try { ws = new WebSocket(url); } catch { resolve({ ok: false }); return; }
    const timer = setTimeout(() => { resolve({ ok: false }); try { ws.close(); } catch { /* closing anyway */ } }, WELCOME_TIMEOUT_MS);
    ws.onopen = () => { clearTimeout(timer); resolve({ ok: true, ws }); };
    ws.onclose = () => { clearTimeout(timer); resolve({ ok: false }); };
  });
}

/** One ordinary request; null when it was answered 200, else who refused it. */
async function probeRequest() {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), FETCH_TIMEOUT_MS);
  try {
    const res = await fetch(api('whoami'), { cache: 'no-store', credentials: 'same-origin', signal: ctl.signal });
    const text = await res.text();
    return res.status === 200 ? null : { status: res.status, by: answeredBy(res, text) };
  } catch (e) {
    return { status: 0, error: e.name === 'AbortError' ? `no answer within ${FETCH_TIMEOUT_MS / 1000} s` : 'no answer (connection closed)' };
  } finally {
    clearTimeout(timer);
  }
}

/** "HTTP 500 from nginx ×12, HTTP 502 from the load balancer ×3" */
function tally(refusals) {
  const counts = new Map();
  for (const r of refusals) {
    const what = r.status ? `HTTP ${r.status} from ${r.by}` : r.error;
    counts.set(what, (counts.get(what) || 0) + 1);
  }
  return [...counts].map(([what, n]) => `${what} ×${n}`).join(', ');
}

export async function checkCapacity(ctx, proto) {
  const c = check('capacity', ctx.findings);
  const n = numberParam('burst', BURST, BURST_MAX);
  if (!proto) {
    c.report('needs.websocket', 'Not run: it needs a working WebSocket (see above).');
    return;
  }
  if (!(n > 0)) {
    c.report('skipped', 'Skipped (?burst=0).');
    return;
  }
  c.running(`Opening ${n} extra WebSockets at once…`);
  const url = liveWsUrl();
  const opened = await Promise.all(Array.from({ length: n }, () => openQuiet(url.href)));
  const open = opened.filter(r => r.ok).map(r => r.ws);
  const failed = n - open.length;
  const refusals = [];
  try {
    // While they are all open: can the instance still take an ordinary request?
    for (let i = 0; i < BURST_PROBES; i++) {
      const r = await probeRequest();
      if (r) refusals.push(r);
    }
  } finally {
    for (const ws of open) ws.close(1000, 'doctor burst done');
  }
  const details = [
    `${open.length} of ${n} extra WebSockets opened at once${failed ? `; ${failed} failed to open (the browser does not say why)` : ''}`,
    `Requests made while they were open: ${BURST_PROBES - refusals.length} of ${BURST_PROBES} answered${refusals.length ? '; refused: ' + tally(refusals) : ''}`,
  ];
  const byProxy = refusals.filter(r => r.status >= 500 && r.by !== 'Tally');
  if (byProxy.length) {
    c.report('capacity.nginx-connections', `nginx ran out of connections (worker_connections): with ${open.length} of ${n} extra WebSockets open, ` +
      `the proxies refused ${byProxy.length} of ${BURST_PROBES} ordinary requests (${tally(byProxy)})` +
      `${failed ? ` and ${failed} WebSockets could not open` : ''}. Viewers beyond this point get errors; nginx's error log says "worker_connections are not enough".`,
      details);
  } else if (failed) {
    // Viewers beyond this point cannot connect, whoever refuses them. (nginx frees idle keep-alive
    // connections for new requests, so the requests often pass while WebSockets cannot.)
    c.report('capacity.nginx-connections', `${failed} of ${n} extra WebSockets could not open while the instance still answered requests: most often nginx ` +
      'is out of worker_connections (every WebSocket holds two), which the browser cannot confirm.',
      details, ['capacity.unexplained']);
  } else if (refusals.length) {
    c.report('capacity.unexplained', `${refusals.length} of ${BURST_PROBES} requests failed (${tally(refusals)}) while the extra WebSockets were open.`, details);
  } else {
    c.set('pass', `${n} extra WebSockets opened at once and the instance still answered requests: nginx has room (worker_connections) for more viewers.`,
      null, details);
  }
}
