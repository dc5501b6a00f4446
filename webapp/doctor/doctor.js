// Tally doctor: live checks from this browser through the real chain (load balancer → nginx →
// Tomcat → Redis). Speaks the wire protocol (docs/PROTOCOL.md) raw, so every failure can be named.
// All text reaches the page through textContent; nothing is parsed as HTML.

const WELCOME_TIMEOUT_MS = 8000;
const FETCH_TIMEOUT_MS = 10000;
const POLLS = 6;
const PINGS = 5;
const RTT_WARN_MS = 1000;
const BURST = 50;           // extra WebSockets of the capacity check (?burst=N)
const BURST_MAX = 200;
const BURST_PROBES = 3;     // requests made while they are open
const HOLD_S = 65;          // the silent request of the platform check (?hold=S): past the 60 s platform defaults
const HOLD_MAX_S = 330;     // the server's limit
const HOLD_GRACE_S = 20;
const params = new URLSearchParams(location.search);

const base = new URL('..', document.baseURI);         // the webapp root, whatever its context path
const api = path => new URL('doctor/api/' + path, base);

// ---- rendering -------------------------------------------------------------------------------

function check(id) {
  const el = document.getElementById('check-' + id);
  return {
    el,
    running(text) {
      el.dataset.status = 'running';
      el.querySelector('.badge').textContent = 'running';
      el.querySelector('.summary').textContent = text;
    },
    set(status, summary, fix, details = []) {
      el.dataset.status = status;
      el.querySelector('.badge').textContent = status;
      el.querySelector('.summary').textContent = summary;
      const f = el.querySelector('.fix');
      f.textContent = fix ? 'Fix: ' + fix : '';
      f.hidden = !fix;
      const ul = el.querySelector('.details');
      ul.replaceChildren(...details.filter(Boolean).map(d => {
        const li = document.createElement('li');
        li.textContent = d;
        return li;
      }));
    },
  };
}

function reset() {
  for (const el of document.querySelectorAll('.check')) {
    el.dataset.status = 'running';
    el.querySelector('.badge').textContent = 'running';
    el.querySelector('.fix').hidden = true;
    el.querySelector('.details').replaceChildren();
  }
}

function summarize() {
  const statuses = [...document.querySelectorAll('.check')].map(el => el.dataset.status);
  const count = s => statuses.filter(x => x === s).length;
  const worst = count('fail') ? 'fail' : count('warn') ? 'warn' : 'pass';
  const summary = document.getElementById('summary');
  summary.dataset.status = worst;
  summary.dataset.done = 'true';
  document.getElementById('summary-badge').textContent = worst;
  document.getElementById('summary-text').textContent =
    `${count('pass')} passed, ${count('warn')} warned, ${count('fail')} failed` +
    ` — checked ${new Date().toLocaleTimeString()} from ${location.origin}`;
  document.getElementById('rerun').disabled = false;
}

// ---- helpers ---------------------------------------------------------------------------------

const sleep = ms => new Promise(r => setTimeout(r, ms));
const median = xs => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor(s.length / 2)] : NaN; };
const now = () => performance.now();
const ms = x => `${Math.round(x)} ms`;
const numberParam = (name, dflt, max) => {
  const asked = params.get(name);
  return asked === null ? dflt : Math.min(max, Math.max(0, Math.floor(Number(asked)) || 0));
};

/** Who produced an HTTP answer: Tally (its answers are JSON), nginx (Server header or error page) or the load balancer. */
function answeredBy(res, text) {
  if ((res.headers.get('content-type') || '').toLowerCase().includes('json')) return 'Tally';
  if ((res.headers.get('server') || '').toLowerCase().startsWith('nginx') || /nginx/i.test(text || '')) return 'nginx';
  return 'the load balancer';
}

/** A shared fix text (GET /doctor/api/findings; the command line reads the same). */
const fixFor = (ctx, id) => ctx.findings?.[id] || `The fix text did not load (/doctor/api/findings): see "${id}" in docs/DOCTOR.md.`;

/** "HTTP 500 from nginx ×12, HTTP 502 from the load balancer ×3" */
function tally(refusals) {
  const counts = new Map();
  for (const r of refusals) {
    const what = r.status ? `HTTP ${r.status} from ${r.by}` : r.error;
    counts.set(what, (counts.get(what) || 0) + 1);
  }
  return [...counts].map(([what, n]) => `${what} ×${n}`).join(', ');
}

async function getJson(url, init = {}) {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), FETCH_TIMEOUT_MS);
  try {
    const res = await fetch(url, { cache: 'no-store', credentials: 'same-origin', ...init, signal: ctl.signal });
    let body = null;
    try { body = await res.json(); } catch { body = null; }
    return { status: res.status, body };
  } catch (e) {
    return { status: 0, body: null, error: e.name === 'AbortError' ? `no answer within ${FETCH_TIMEOUT_MS / 1000} s` : String(e.message || e) };
  } finally {
    clearTimeout(timer);
  }
}

// ---- WebSocket -------------------------------------------------------------------------------

/** Opens a raw protocol WebSocket; resolves with what happened up to the welcome frame. */
function openWebSocket(url) {
  return new Promise(resolve => {
    const t0 = now();
    let opened = false;
    let done = false;
    let ws;
    const finish = r => { if (!done) { done = true; clearTimeout(timer); resolve({ ...r, ws, openedAfter: opened ? r.openedAfter : undefined }); } };
    try {
      ws = new WebSocket(url);
    } catch (e) {
      resolve({ outcome: 'refused', error: String(e.message || e) });
      return;
    }
    const timer = setTimeout(() => finish({ outcome: opened ? 'no-welcome' : 'timeout' }), WELCOME_TIMEOUT_MS);
    let openedAfter;
    ws.onopen = () => { opened = true; openedAfter = now() - t0; };
    ws.onmessage = ev => {
      let frame;
      try { frame = JSON.parse(ev.data); } catch { return; }
      if (frame.type === 'welcome') finish({ outcome: 'welcome', welcome: frame, openedAfter, welcomeAfter: now() - t0 });
    };
    ws.onclose = ev => finish({ outcome: opened ? 'closed-before-welcome' : 'failed', code: ev.code, reason: ev.reason,
                                openedAfter, after: now() - t0 });
  });
}

/** Frames from a welcomed socket: answers server pings, routes our pongs by id. */
function protocol(ws) {
  const waiting = new Map();
  const stats = { serverPings: 0, lastFrameAt: now(), closed: null };
  let nextId = 1;
  ws.onmessage = ev => {
    stats.lastFrameAt = now();
    let frame;
    try { frame = JSON.parse(ev.data); } catch { return; }
    if (frame.type === 'ping') {
      stats.serverPings++;
      ws.send(JSON.stringify({ type: 'pong' }));
    } else if (frame.type === 'pong' && waiting.has(frame.id)) {
      waiting.get(frame.id)(now());
      waiting.delete(frame.id);
    }
  };
  ws.onclose = ev => { stats.closed = { code: ev.code, reason: ev.reason, at: now() }; };
  return {
    stats,
    ping(timeoutMs = 5000) {
      const id = nextId++;
      const t0 = now();
      return new Promise(resolve => {
        const timer = setTimeout(() => { waiting.delete(id); resolve(null); }, timeoutMs);
        waiting.set(id, t => { clearTimeout(timer); resolve(t - t0); });
        try { ws.send(JSON.stringify({ type: 'ping', id })); } catch { clearTimeout(timer); resolve(null); }
      });
    },
  };
}

async function checkWebSocket(ctx) {
  const c = check('websocket');
  const secure = location.protocol === 'https:';
  const probe = await getJson(api('upgrade-probe'));
  const nonce = probe.body?.nonce || Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
  const url = new URL('live/ws', base);
  url.protocol = secure ? 'wss:' : 'ws:';
  url.searchParams.set('doctor-probe', nonce);
  ctx.wsUrl = `${url.protocol}//${url.host}${url.pathname}`;
  c.running(`Opening ${ctx.wsUrl}…`);
  const r = await openWebSocket(url.href);
  ctx.ws = r;
  if (r.outcome === 'welcome') {
    ctx.wsInstance = r.welcome.instance;
    ctx.heartbeat = r.welcome.heartbeat;
    ctx.proto = protocol(r.ws);   // from now on server pings are answered
    c.set('pass', `Upgraded and welcomed by instance ${r.welcome.instance} in ${ms(r.welcomeAfter)}.`, null, [
      `URL: ${ctx.wsUrl}`,
      `Protocol v${r.welcome.v}, transport ${r.welcome.transport}, server heartbeat ${r.welcome.heartbeat} ms, dead-peer timeout ${r.welcome.timeout} ms`,
    ]);
    return;
  }
  // Failed: the browser hides the HTTP status, so ask the server what reached it.
  let record = null;
  if (probe.body) {
    const q = new URLSearchParams({ nonce });
    if (probe.body.since) { q.set('epoch', probe.body.since.epoch); q.set('offset', probe.body.since.offset); }
    for (let i = 0; i < 6 && !record; i++) {
      const found = await getJson(api('upgrade-probe?' + q));
      if (found.body?.seen) record = found.body;
      else await sleep(300);
    }
  }
  const details = [`URL: ${ctx.wsUrl}`];
  if (r.code !== undefined) details.push(`Browser saw close code ${r.code}${r.reason ? ' (' + r.reason + ')' : ''} after ${ms(r.after)}`);
  if (record) {
    details.push(`The handshake reached Tomcat on instance ${record.instance} with Upgrade: ${record.upgrade ?? '(missing)'}, ` +
                 `Connection: ${record.connection ?? '(missing)'}, Sec-WebSocket-Key ${record.webSocketKey ? 'present' : 'missing'}`);
    c.set('fail',
      'The proxy stripped the upgrade headers: the WebSocket handshake reached Tomcat as a plain request without "Upgrade: websocket", so it could not be upgraded. Viewers fall back to long-polling.',
      'In nginx, proxy /live/ with proxy_http_version 1.1, proxy_set_header Upgrade $http_upgrade and proxy_set_header Connection "upgrade" — ship Tally\'s .platform/nginx files in the bundle (AL2/AL2023 ignore .ebextensions/nginx). If the load balancer is a Classic LB with HTTP listeners, recreate the environment with an Application Load Balancer (LoadBalancerType: application).',
      details);
    return;
  }
  const who = ctx.whoami;
  if (who && who.originMatches === false) {
    details.push(`Tomcat sees this page's origin as ${who.originSeenAs}; the browser says ${location.origin}`);
    c.set('fail', 'The WebSocket was refused, most likely by the origin check: the Host or X-Forwarded-Proto reaching Tomcat does not match this page\'s address.',
      'Forward the browser\'s Host (with its port) and X-Forwarded-Proto to Tomcat for /live/ (Tally\'s .platform/nginx/conf.d/elasticbeanstalk/10-tally-live.conf does), or add this origin to TALLY_ALLOWED_ORIGINS.',
      details);
    return;
  }
  if (r.outcome === 'closed-before-welcome') {
    c.set('fail', `The upgrade succeeded but the connection closed (code ${r.code}) before the server's welcome frame.`,
      'Look at the instance\'s catalina.out for errors; a 1008/1013 close names the reason; a proxy that cuts upgraded connections at once (a WAF or an old Classic LB) needs to pass WebSockets through.',
      details);
  } else if (r.outcome === 'no-welcome' || r.outcome === 'timeout') {
    c.set('fail', r.outcome === 'timeout'
        ? `No answer to the WebSocket handshake within ${WELCOME_TIMEOUT_MS / 1000} s: something on the path holds it.`
        : `The WebSocket opened but no welcome frame arrived within ${WELCOME_TIMEOUT_MS / 1000} s.`,
      'Check that the load balancer passes upgrades (an Application Load Balancer does; a Classic LB needs TCP listeners) and that no proxy buffers /live/ (proxy_buffering off).',
      details);
  } else {
    c.set('fail', 'The WebSocket handshake failed before reaching Tally (the browser does not reveal the HTTP status; the command-line doctor prints it).',
      'Use an Application Load Balancer (a Classic LB with HTTP listeners answers upgrades with 400), keep nginx as the proxy with Tally\'s .platform/nginx files, and check the nginx error log on the instance.',
      details);
  }
}

// ---- long-polling ----------------------------------------------------------------------------

async function checkPolling(ctx) {
  const c = check('polling');
  const pollUrl = new URL('live/poll', base);
  ctx.polls = [];
  ctx.pollRtts = [];
  for (let i = 0; i < POLLS; i++) {
    const t0 = now();
    const r = await getJson(pollUrl);
    const rtt = now() - t0;
    if (r.status !== 200 || r.body?.type !== 'batch') {
      const problem = r.body?.detail || r.error || `HTTP ${r.status}`;
      c.set('fail', `GET /live/poll failed: ${problem}. Viewers whose WebSocket fails cannot fall back.`,
        r.status === 503 ? 'The instance is draining or over capacity; retry in a moment.'
          : r.status === 403 ? 'The origin check refused the poll: forward Host (with port) and X-Forwarded-Proto to Tomcat for /live/.'
          : 'Check that the load balancer routes /live/ to the instances and that nginx proxies it (see .platform/nginx).',
        [`Request ${i + 1} of ${POLLS}`]);
      return;
    }
    ctx.polls.push(r.body.instance);
    ctx.pollRtts.push(rtt);
  }
  // A real poll: hello plus one room. The server answers at once (a new room needs an ack).
  const t0 = now();
  const post = await getJson(pollUrl, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ v: 1, hello: true, rooms: { 'tally-doctor.echo': null } }),
  });
  const postRtt = now() - t0;
  const details = [`${POLLS} probes answered by: ${ctx.polls.join(', ')}`, `median ${ms(median(ctx.pollRtts))} per probe`];
  if (post.status === 200 && post.body?.type === 'batch') {
    const types = (post.body.frames || []).map(f => f.type);
    details.push(`POST /live/poll with a room answered in ${ms(postRtt)} by ${post.body.instance}: ${types.join(', ')}`);
    if (!types.includes('welcome') || !types.includes('ack')) {
      c.set('warn', 'Polling answers, but a poll with a room did not come back with welcome and ack.', 'Compare the server version with docs/PROTOCOL.md.', details);
      return;
    }
    c.set('pass', `Long-polling works: ${POLLS} probes and a poll with a room answered (median ${ms(median(ctx.pollRtts))}).`, null, details);
  } else if (post.status === 503 && post.body?.code === 'unavailable') {
    details.push(`POST /live/poll with a room: 503 unavailable (${post.body.detail || 'broker down'})`);
    c.set('pass', 'The polling transport works through the chain; polls that need history wait for the broker (see Redis).', null, details);
  } else {
    details.push(`POST /live/poll: ${post.status ? 'HTTP ' + post.status : post.error}${post.body?.detail ? ' — ' + post.body.detail : ''}`);
    c.set('fail', 'Polling probes answer, but a real poll (POST with a room) failed.',
      post.status === 403 ? 'The origin check refused the POST: forward Host (with port) and X-Forwarded-Proto to Tomcat for /live/.'
        : post.status === 413 ? 'nginx refused the body: raise client_max_body_size (Tally\'s .platform/nginx/conf.d/tally.conf).'
        : 'Check the nginx and Tomcat logs of the instance that answered.',
      details);
  }
}

// ---- derived checks --------------------------------------------------------------------------

function checkInstances(ctx) {
  const c = check('instances');
  const polls = ctx.polls || [];
  const all = new Set([...polls, ...(ctx.wsInstance ? [ctx.wsInstance] : [])]);
  // The server sees the cookie if the balancer passes it on; the page sees it unless it is HttpOnly.
  const jar = document.cookie.split(';').map(c => c.trim().split('=')[0]);
  const cookie = ctx.whoamiAfter?.awsalbCookie || ctx.whoami?.awsalbCookie || jar.includes('AWSALB');
  const cors = ctx.whoamiAfter?.awsalbcorsCookie || ctx.whoami?.awsalbcorsCookie || jar.includes('AWSALBCORS');
  const known = (ctx.redis?.instances || []).map(i => i.id);
  const details = [
    `WebSocket: ${ctx.wsInstance || '(no WebSocket)'}`,
    `Polls: ${polls.length ? polls.join(', ') : '(none answered)'}`,
    `Stickiness cookie sent by this browser: AWSALB ${cookie ? 'yes' : 'no'}, AWSALBCORS ${cors ? 'yes' : 'no'}`,
    known.length ? `Instances the broker saw recently: ${known.join(', ')}` : null,
  ];
  if (!all.size) {
    c.set('warn', 'No request told which instance served it (both transports failed).', 'Make the transport checks above pass first.', details);
    return;
  }
  const spread = new Set(polls).size > 1;
  const how = spread
    ? `Requests were spread over ${new Set(polls).size} instances${cookie ? ' despite the stickiness cookie' : ''}`
    : `All requests reached ${[...all][0]}${all.size > 1 ? ' (polls) and ' + ctx.wsInstance + ' (WebSocket)' : ''}${cookie ? ', pinned by the AWSALB stickiness cookie' : ''}`;
  c.set('pass', `${how}. Either way is fine for Tally: polls carry their own offsets, so any instance can answer any poll.`, null, details);
}

function checkRtt(ctx, wsRtts) {
  const c = check('rtt');
  const pollMedian = ctx.pollRtts?.length ? median(ctx.pollRtts) : NaN;
  const wsMedian = wsRtts.length ? median(wsRtts) : NaN;
  const details = [
    Number.isNaN(wsMedian) ? 'WebSocket: not measured' : `WebSocket ping/pong: median ${ms(wsMedian)} over ${wsRtts.length} (${wsRtts.map(x => Math.round(x)).join(', ')} ms)`,
    Number.isNaN(pollMedian) ? 'Long-polling: not measured' : `Long-poll request: median ${ms(pollMedian)} over ${ctx.pollRtts.length} (${ctx.pollRtts.map(x => Math.round(x)).join(', ')} ms)`,
  ];
  if (Number.isNaN(wsMedian) && Number.isNaN(pollMedian)) {
    c.set('warn', 'Nothing to measure: both transports failed.', 'Make the transport checks above pass first.', details);
  } else if (Number.isNaN(wsMedian)) {
    c.set('warn', `Long-polling round trip ${ms(pollMedian)}; WebSocket not measured (it failed).`, 'Make the WebSocket check above pass first.', details);
  } else if (Math.max(wsMedian, Number.isNaN(pollMedian) ? 0 : pollMedian) > RTT_WARN_MS) {
    c.set('warn', `Slow round trips: WebSocket ${ms(wsMedian)}, polling ${ms(pollMedian)}.`,
      'Check the instances\' CPU and the distance between viewers and the region; scores will feel late.', details);
  } else {
    c.set('pass', `WebSocket ${ms(wsMedian)}, long-polling ${ms(pollMedian)} (median round trips).`, null, details);
  }
}

async function checkIdle(ctx, proto) {
  const c = check('idle');
  const heartbeat = ctx.heartbeat || ctx.config?.heartbeatMs || 25000;
  const asked = params.get('idle');
  const seconds = asked === null ? Math.ceil(heartbeat / 1000) + 3 : asked === 'long' ? 70 : Number(asked);
  if (!proto) {
    c.set('warn', 'Not run: it needs a working WebSocket (see above).', 'Make the WebSocket check above pass first.');
    return;
  }
  if (!(seconds > 0)) {
    c.set('warn', 'Skipped (?idle=0).', 'Open the page without ?idle=0 to run it.');
    return;
  }
  const idleMs = seconds * 1000;
  const t0 = now();
  const tick = setInterval(() => {
    const left = Math.max(0, Math.ceil((idleMs - (now() - t0)) / 1000));
    c.running(`Keeping the WebSocket idle for ${seconds} s (server heartbeat ${heartbeat / 1000} s); ${left} s left…`);
  }, 1000);
  c.running(`Keeping the WebSocket idle for ${seconds} s…`);
  const pingsBefore = proto.stats.serverPings;
  while (now() - t0 < idleMs && !proto.stats.closed) await sleep(250);
  clearInterval(tick);
  const pings = proto.stats.serverPings - pingsBefore;
  const closed = proto.stats.closed;
  const timeouts = ctx.config ? `idle timeouts configured: nginx ${ctx.config.proxyIdleTimeoutS} s, load balancer ${ctx.config.lbIdleTimeoutS} s` : null;
  if (closed) {
    const after = Math.round((closed.at - t0) / 1000);
    c.set('fail', `The idle WebSocket was closed after ${after} s (code ${closed.code}${closed.reason ? ', ' + closed.reason : ''}) with ${pings} server ping(s) received.`,
      'An idle timeout on the path is shorter than the server heartbeat, or pings do not get through: lower TALLY_HEARTBEAT_MS or raise the ALB IdleTimeout (.ebextensions) and nginx proxy_read_timeout (.platform/nginx).',
      [timeouts]);
    return;
  }
  const rtt = await proto.ping();
  if (rtt === null) {
    c.set('fail', `After ${seconds} s idle the WebSocket is still open but no longer answers a ping.`,
      'Something on the path stalls quiet connections: check proxies between the browser and the load balancer.', [timeouts]);
    return;
  }
  const verified = `Kept idle ${seconds} s, past the ${heartbeat / 1000} s heartbeat: ${pings} server ping(s) arrived and were answered, ` +
    `and the connection still answered a ping (${ms(rtt)}).`;
  if (pings === 0) {
    c.set('warn', `${verified.replace(/: 0 server.*?answered, and/, ': no server ping arrived, but')}`,
      'The server heartbeat did not arrive within the interval: check that TALLY_HEARTBEAT_MS is what /doctor/api/config says.', [timeouts]);
    return;
  }
  c.set('pass', verified, null, [
    timeouts,
    seconds < 65 ? 'This shows the heartbeat flows through the chain. To hold a quiet connection past a 60 s idle timeout, open the page with ?idle=70.' : null,
  ]);
}

// ---- capacity: nginx worker_connections -----------------------------------------------------

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

// Every proxied WebSocket takes two of nginx's worker_connections (the viewer's and Tomcat's). A
// worker without a free one answers 500 or closes the connection (the balancer then answers 502).
async function checkCapacity(ctx, proto) {
  const c = check('capacity');
  const n = numberParam('burst', BURST, BURST_MAX);
  if (!proto) {
    c.set('warn', 'Not run: it needs a working WebSocket (see above).', 'Make the WebSocket check above pass first.');
    return;
  }
  if (!(n > 0)) {
    c.set('warn', 'Skipped (?burst=0).', 'Open the page without ?burst=0 to run it.');
    return;
  }
  c.running(`Opening ${n} extra WebSockets at once…`);
  const url = new URL('live/ws', base);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
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
    c.set('fail', `nginx ran out of connections (worker_connections): with ${open.length} of ${n} extra WebSockets open, ` +
      `the proxies refused ${byProxy.length} of ${BURST_PROBES} ordinary requests (${tally(byProxy)})` +
      `${failed ? ` and ${failed} WebSockets could not open` : ''}. Viewers beyond this point get errors; nginx's error log says "worker_connections are not enough".`,
      fixFor(ctx, 'capacity.nginx-connections'), details);
  } else if (failed) {
    // Viewers beyond this point cannot connect, whoever refuses them. (nginx frees idle keep-alive
    // connections for new requests, so the requests often pass while WebSockets cannot.)
    c.set('fail', `${failed} of ${n} extra WebSockets could not open while the instance still answered requests: most often nginx ` +
      'is out of worker_connections (every WebSocket holds two), which the browser cannot confirm.',
      fixFor(ctx, 'capacity.nginx-connections') + ' ' + fixFor(ctx, 'capacity.unexplained'), details);
  } else if (refusals.length) {
    c.set('warn', `${refusals.length} of ${BURST_PROBES} requests failed (${tally(refusals)}) while the extra WebSockets were open.`,
      fixFor(ctx, 'capacity.unexplained'), details);
  } else {
    c.set('pass', `${n} extra WebSockets opened at once and the instance still answered requests: nginx has room (worker_connections) for more viewers.`,
      null, details);
  }
}

// ---- platform: the real idle cut -------------------------------------------------------------

/** Sends GET /doctor/api/hold?s=N (answered after N s, nothing before) at once; the other checks run meanwhile. */
function startHold() {
  const s = numberParam('hold', HOLD_S, HOLD_MAX_S);
  if (!(s > 0)) return { seconds: 0, done: Promise.resolve(null) };
  const t0 = now();
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), (s + HOLD_GRACE_S) * 1000);
  const done = fetch(api('hold?s=' + s), { cache: 'no-store', credentials: 'same-origin', signal: ctl.signal })
    .then(async res => {
      const after = now() - t0;
      const text = await res.text();
      let body = null;
      try { body = JSON.parse(text); } catch { body = null; }
      return { status: res.status, by: answeredBy(res, text), after, body };
    }, e => ({ status: 0, after: now() - t0,
               error: e.name === 'AbortError' ? `no answer within ${s + HOLD_GRACE_S} s` : 'connection closed without an answer' }))
    .finally(() => clearTimeout(timer));
  return { seconds: s, t0, done };
}

async function checkPlatform(ctx, hold) {
  const c = check('platform');
  if (!hold.seconds) {
    c.set('warn', 'Skipped (?hold=0).', 'Open the page without ?hold=0 to measure the real idle cut.');
    return;
  }
  const tick = setInterval(() => {
    const left = Math.max(0, Math.ceil(hold.seconds - (now() - hold.t0) / 1000));
    c.running(`Holding a silent request for ${hold.seconds} s to see where the path cuts it; ${left} s left…`);
  }, 1000);
  const o = await hold.done;
  clearInterval(tick);
  const proxyS = ctx.config?.proxyIdleTimeoutS;
  const lbS = ctx.config?.lbIdleTimeoutS;
  const near = (cut, configured) => typeof configured === 'number' && Math.abs(cut - configured) <= Math.max(2, Math.floor(configured / 10));
  const details = [`Idle timeouts Tally was told: nginx ${proxyS ?? '?'} s (TALLY_PROXY_IDLE_TIMEOUT_S), load balancer ${lbS ?? '?'} s (TALLY_LB_IDLE_TIMEOUT_S)`];
  const cut = Math.round(o.after / 1000);
  if (o.status === 200 && o.by === 'Tally') {
    details.push(`Held on instance ${o.body?.instance}`);
    if (hold.seconds <= 60) details.push('A hold of 65 s or more (the default) tells the 60 s platform defaults from Tally\'s 300 s.');
    c.set('pass', `A request silent for ${hold.seconds} s came through: nothing on the path cuts a quiet request that soon` +
      (hold.seconds > 60 ? ', so neither nginx nor the load balancer runs on its 60 s default (.platform/nginx and the .ebextensions idle timeout are applied).' : '.'),
      null, details);
    return;
  }
  if (o.by === 'Tally') {
    details.push(`Answer: HTTP ${o.status}${o.body?.detail ? ' — ' + o.body.detail : ''}`);
    c.set('warn', `Could not measure the idle cut: /doctor/api/hold answered HTTP ${o.status}.`,
      o.status === 404 ? 'Deploy this version of Tally (older ones lack /doctor/api/hold).' : 'Run the doctor again in a minute.', details);
    return;
  }
  const how = o.status === 0 ? o.error : `HTTP ${o.status} from ${o.by}`;
  details.push(`Cut after ${ms(o.after)}: ${how}`);
  if (o.by === 'nginx' && o.status === 504) {
    if (near(cut, proxyS)) {
      c.set('pass', `nginx cut a request silent for ${cut} s, as TALLY_PROXY_IDLE_TIMEOUT_S says.`, null, details);
    } else {
      c.set('fail', `nginx cut a request that was silent for ${cut} s (HTTP 504): its proxy_read_timeout is about ${cut} s, not the ${proxyS ?? '?'} s ` +
        'Tally was told. Tally\'s .platform nginx files (proxy_read_timeout 300s) are not what nginx runs.',
        fixFor(ctx, 'platform.nginx-not-applied'), details);
    }
  } else if (near(cut, lbS)) {
    c.set('pass', `The load balancer cut a request silent for ${cut} s (${how}), as TALLY_LB_IDLE_TIMEOUT_S says.`, null, details);
  } else if (o.by === 'the load balancer' && o.status === 504) {
    c.set('fail', `The load balancer cut a request that was silent for ${cut} s (HTTP 504): its idle timeout is about ${cut} s, not the ${lbS ?? '?'} s Tally was told.`,
      fixFor(ctx, 'platform.balancer-timeout'), details);
  } else {
    c.set('fail', `A request that was silent for ${cut} s was cut (${how}) before the idle timeouts Tally was told about.`,
      fixFor(ctx, 'platform.cut'), details);
  }
}

function checkConfig(ctx) {
  const c = check('config');
  const cfg = ctx.config;
  if (!cfg) {
    c.set('fail', `Could not read /doctor/api/config (${ctx.configError}).`, 'Check that the WAR deployed and /doctor/api is routed to Tomcat.');
    return;
  }
  const v = cfg.verdict;
  c.set(v.status, v.summary, v.fix, [
    `Instance ${cfg.instance}${cfg.container ? ' on ' + cfg.container : ''}, Java ${cfg.java}`,
    `Heartbeat ${cfg.heartbeatMs} ms, dead-peer timeout ${cfg.peerTimeoutMs} ms, poll hold ${cfg.pollHoldMs} ms`,
    `Configured idle timeouts: nginx ${cfg.proxyIdleTimeoutS} s (TALLY_PROXY_IDLE_TIMEOUT_S), load balancer ${cfg.lbIdleTimeoutS} s (TALLY_LB_IDLE_TIMEOUT_S)`,
  ]);
}

function checkRedis(ctx) {
  const c = check('redis');
  const r = ctx.redis;
  if (!r) {
    c.set('fail', `Could not read /doctor/api/redis (${ctx.redisError}).`, 'Check that the WAR deployed and /doctor/api is routed to Tomcat.');
    return;
  }
  const observed = new Set([...(ctx.polls || []), ...(ctx.wsInstance ? [ctx.wsInstance] : [])]);
  const details = [
    `Mode ${r.mode}, ${r.available ? 'available' : 'unavailable'}, broker lag ${r.lagMs} ms, reconnects ${r.reconnects}`,
    r.publishMs >= 0 ? `A publish from ${r.instance} took ${r.publishMs} ms` : null,
    r.detail ? `Detail: ${r.detail}` : null,
    r.instances ? `Instances seen in the last ${r.windowS} s: ${r.instances.map(i => `${i.id} (${Math.round(i.lastSeenMs / 1000)} s ago)`).join(', ') || 'none'}`
      : 'Instances seen: unknown',
    r.presence === 'shared' && r.watchedS < r.windowS && (r.instances || []).length < 2 ? `(${r.instance} has watched for ${r.watchedS} s only)` : null,
  ];
  if (r.mode === 'memory' && observed.size > 1) {
    c.set('fail', `Several instances answer (${[...observed].join(', ')}) but they use the in-memory broker: viewers on different instances see different scores.`,
      'Set REDIS_URL (and REDIS_CLUSTER for cluster mode) as an environment property of the environment, so every instance shares rooms through Redis.',
      details);
    return;
  }
  c.set(r.verdict.status, r.verdict.summary, r.verdict.fix, details);
}

function checkTls(ctx) {
  const c = check('tls');
  const https = location.protocol === 'https:';
  const wsScheme = (ctx.wsUrl || '').split(':')[0] || (https ? 'wss' : 'ws');
  const who = ctx.whoami;
  const details = [
    `Page: ${location.protocol.replace(':', '')}, WebSocket: ${wsScheme}`,
    who ? `Tomcat saw X-Forwarded-Proto: ${who.forwardedProto ?? '(none)'}, Host: ${who.host ?? '(none)'}` : null,
  ];
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(location.hostname) || location.hostname.startsWith('127.');
  if (https) {
    if (who && who.forwardedProto && who.forwardedProto.split(',')[0].trim() !== 'https') {
      c.set('warn', `The page is served over https, but Tomcat is told the scheme was ${who.forwardedProto}.`,
        'Let the load balancer set X-Forwarded-Proto and nginx pass it on unchanged (Tally\'s .platform/nginx files do).', details);
    } else {
      c.set('pass', 'Page over https and WebSocket over wss: traffic is encrypted end to end to the load balancer.', null, details);
    }
  } else if (loopback) {
    c.set('pass', 'Served over plain http from a loopback address: fine for a local test; a public deployment should use https (then wss).', null, details);
  } else {
    c.set('warn', 'The page is served over plain http, so scores and the WebSocket (ws:) travel unencrypted.',
      'Add an HTTPS listener to the load balancer (aws:elbv2:listener:443 with an ACM certificate in .ebextensions) and open the https:// address; Tally then uses wss:// by itself.',
      details);
  }
}

// ---- run -------------------------------------------------------------------------------------

async function run() {
  document.getElementById('rerun').disabled = true;
  const summary = document.getElementById('summary');
  summary.dataset.status = 'running';
  summary.dataset.done = 'false';
  document.getElementById('summary-badge').textContent = 'running';
  document.getElementById('summary-text').textContent = 'Running checks…';
  reset();

  const ctx = {};
  const hold = startHold();   // the silent request runs while the other checks do
  const [config, whoami, redis, findings] = await Promise.all([
    getJson(api('config')),
    getJson(api('whoami?' + new URLSearchParams({ origin: location.origin }))),
    getJson(api('redis')),
    getJson(api('findings')),
  ]);
  if (findings.status === 200) ctx.findings = findings.body?.fixes;
  if (config.status === 200) ctx.config = config.body; else ctx.configError = config.error || `HTTP ${config.status}`;
  if (whoami.status === 200) ctx.whoami = whoami.body;
  if (redis.status === 200) ctx.redis = redis.body; else ctx.redisError = redis.error || `HTTP ${redis.status}`;
  checkConfig(ctx);

  // Both transports at once: the fallback must work while the WebSocket is (or is not) upgrading.
  await Promise.all([checkWebSocket(ctx), checkPolling(ctx)]);
  const after = await getJson(api('whoami'));
  if (after.status === 200) ctx.whoamiAfter = after.body;
  checkTls(ctx);
  checkInstances(ctx);
  checkRedis(ctx);

  const proto = ctx.proto || null;
  const wsRtts = [];
  if (proto) {
    for (let i = 0; i < PINGS; i++) {
      const rtt = await proto.ping();
      if (rtt !== null) wsRtts.push(rtt);
    }
  }
  checkRtt(ctx, wsRtts);
  await checkCapacity(ctx, proto);
  await checkIdle(ctx, proto);
  await checkPlatform(ctx, hold);
  if (ctx.ws?.ws && ctx.ws.ws.readyState <= 1) ctx.ws.ws.close(1000, 'doctor done');
  summarize();
}

document.getElementById('rerun').addEventListener('click', () => { run(); });
run().catch(e => {
  document.getElementById('summary-text').textContent = 'The doctor page itself failed: ' + (e && e.message ? e.message : e);
  const summary = document.getElementById('summary');
  summary.dataset.status = 'fail';
  summary.dataset.done = 'true';
  document.getElementById('summary-badge').textContent = 'fail';
});
