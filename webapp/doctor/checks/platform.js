// The platform check: where the path really cuts a quiet request. GET /doctor/api/hold?s=N is
// answered after N s and not before (default 65: past the 60 s that nginx's proxy_read_timeout and
// the ALB's idle timeout keep when Tally's .platform and .ebextensions settings are not applied).
import { answeredBy, api, check, ms, now, numberParam } from '../page.js';

const HOLD_S = 65;          // ?hold=S
const HOLD_MAX_S = 330;     // the server's limit
const HOLD_GRACE_S = 20;

/** Sends the silent request at once; the other checks run meanwhile. */
export function startHold() {
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

export async function checkPlatform(ctx, hold) {
  const c = check('platform', ctx.findings);
  if (!hold.seconds) {
    c.report('skipped', 'Skipped (?hold=0).');
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
    c.report(o.status === 404 ? 'platform.hold-missing' : 'platform.hold-failed',
      `Could not measure the idle cut: /doctor/api/hold answered HTTP ${o.status}.`, details);
    return;
  }
  const how = o.status === 0 ? o.error : `HTTP ${o.status} from ${o.by}`;
  details.push(`Cut after ${ms(o.after)}: ${how}`);
  if (o.by === 'nginx' && o.status === 504) {
    if (near(cut, proxyS)) {
      c.set('pass', `nginx cut a request silent for ${cut} s, as TALLY_PROXY_IDLE_TIMEOUT_S says.`, null, details);
    } else {
      c.report('platform.nginx-not-applied', `nginx cut a request that was silent for ${cut} s (HTTP 504): its proxy_read_timeout is about ${cut} s, not the ${proxyS ?? '?'} s ` +
        'Tally was told. Tally\'s .platform nginx files (proxy_read_timeout 300s) are not what nginx runs.', details);
    }
  } else if (near(cut, lbS)) {
    c.set('pass', `The load balancer cut a request silent for ${cut} s (${how}), as TALLY_LB_IDLE_TIMEOUT_S says.`, null, details);
  } else if (o.by === 'the load balancer' && o.status === 504) {
    c.report('platform.balancer-timeout', `The load balancer cut a request that was silent for ${cut} s (HTTP 504): its idle timeout is about ${cut} s, not the ${lbS ?? '?'} s Tally was told.`,
      details);
  } else {
    c.report('platform.cut', `A request that was silent for ${cut} s was cut (${how}) before the idle timeouts Tally was told about.`, details);
  }
}
