// The idle check: keeps the welcomed WebSocket quiet past the server's heartbeat and sees that the
// server's pings got through and the connection still answers.
import { check, ms, now, params, sleep } from '../page.js';

export async function checkIdle(ctx, proto) {
  const c = check('idle', ctx.findings);
  const heartbeat = ctx.heartbeat || ctx.config?.heartbeatMs || 25000;
  const asked = params.get('idle');
  const seconds = asked === null ? Math.ceil(heartbeat / 1000) + 3 : asked === 'long' ? 70 : Number(asked);
  if (!proto) {
    c.report('needs.websocket', 'Not run: it needs a working WebSocket (see above).');
    return;
  }
  if (!(seconds > 0)) {
    c.report('skipped', 'Skipped (?idle=0).');
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
    c.report('idle.closed', `The idle WebSocket was closed after ${after} s (code ${closed.code}${closed.reason ? ', ' + closed.reason : ''}) with ${pings} server ping(s) received.`,
      [timeouts]);
    return;
  }
  const rtt = await proto.ping();
  if (rtt === null) {
    c.report('idle.stalled', `After ${seconds} s idle the WebSocket is still open but no longer answers a ping.`, [timeouts]);
    return;
  }
  const verified = `Kept idle ${seconds} s, past the ${heartbeat / 1000} s heartbeat: ${pings} server ping(s) arrived and were answered, ` +
    `and the connection still answered a ping (${ms(rtt)}).`;
  if (pings === 0) {
    c.report('idle.no-heartbeat', verified.replace(/: 0 server.*?answered, and/, ': no server ping arrived, but'), [timeouts]);
    return;
  }
  c.set('pass', verified, null, [
    timeouts,
    seconds < 65 ? 'This shows the heartbeat flows through the chain. To hold a quiet connection past a 60 s idle timeout, open the page with ?idle=70.' : null,
  ]);
}
