// The WebSocket check: opens /live/ws raw (docs/PROTOCOL.md) and waits for the welcome; when the
// handshake fails, asks the server what reached it, since the browser hides the HTTP status.
import { WELCOME_TIMEOUT_MS, api, check, getJson, liveWsUrl, ms, now, sleep } from '../page.js';

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

/** What reached Tomcat of our handshake (GET /doctor/api/upgrade-probe), or null. */
async function handshakeRecord(probe, nonce) {
  if (!probe.body) return null;
  const q = new URLSearchParams({ nonce });
  if (probe.body.since) { q.set('epoch', probe.body.since.epoch); q.set('offset', probe.body.since.offset); }
  for (let i = 0; i < 6; i++) {
    const found = await getJson(api('upgrade-probe?' + q));
    if (found.body?.seen) return found.body;
    await sleep(300);
  }
  return null;
}

/** Leaves ctx.proto (pings, server ping count) when the socket was welcomed. */
export async function checkWebSocket(ctx) {
  const c = check('websocket', ctx.findings);
  const probe = await getJson(api('upgrade-probe'));
  const nonce = probe.body?.nonce || Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
  const url = liveWsUrl();
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
  const record = await handshakeRecord(probe, nonce);
  const details = [`URL: ${ctx.wsUrl}`];
  if (r.code !== undefined) details.push(`Browser saw close code ${r.code}${r.reason ? ' (' + r.reason + ')' : ''} after ${ms(r.after)}`);
  if (record) {
    details.push(`The handshake reached Tomcat on instance ${record.instance} with Upgrade: ${record.upgrade ?? '(missing)'}, ` +
                 `Connection: ${record.connection ?? '(missing)'}, Sec-WebSocket-Key ${record.webSocketKey ? 'present' : 'missing'}`);
    c.report('websocket.upgrade-stripped',
      'The proxy stripped the upgrade headers: the WebSocket handshake reached Tomcat as a plain request without "Upgrade: websocket", so it could not be upgraded. Viewers fall back to long-polling.',
      details);
    return;
  }
  const who = ctx.whoami;
  if (who && who.originMatches === false) {
    details.push(`Tomcat sees this page's origin as ${who.originSeenAs}; the browser says ${location.origin}`);
    c.report('websocket.origin-refused',
      'The WebSocket was refused, most likely by the origin check: the Host or X-Forwarded-Proto reaching Tomcat does not match this page\'s address.',
      details);
  } else if (r.outcome === 'closed-before-welcome') {
    c.report('websocket.closed-before-welcome',
      `The upgrade succeeded but the connection closed (code ${r.code}) before the server's welcome frame.`, details);
  } else if (r.outcome === 'no-welcome' || r.outcome === 'timeout') {
    c.report('websocket.stalled', r.outcome === 'timeout'
      ? `No answer to the WebSocket handshake within ${WELCOME_TIMEOUT_MS / 1000} s: something on the path holds it.`
      : `The WebSocket opened but no welcome frame arrived within ${WELCOME_TIMEOUT_MS / 1000} s.`, details);
  } else {
    c.report('websocket.handshake-failed',
      'The WebSocket handshake failed before reaching Tally (the browser does not reveal the HTTP status; the command-line doctor prints it).',
      details);
  }
}
