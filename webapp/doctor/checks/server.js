// The config and redis checks: verdicts the server judged itself (its timing against the idle
// timeouts, its broker), shown with what the transports saw.
import { check } from '../page.js';

export function checkConfig(ctx) {
  const c = check('config', ctx.findings);
  const cfg = ctx.config;
  if (!cfg) {
    c.report('doctor.unreachable', `Could not read /doctor/api/config (${ctx.configError}).`);
    return;
  }
  c.verdict(cfg.verdict, [
    `Instance ${cfg.instance}${cfg.container ? ' on ' + cfg.container : ''}, Java ${cfg.java}`,
    `Heartbeat ${cfg.heartbeatMs} ms, dead-peer timeout ${cfg.peerTimeoutMs} ms, poll hold ${cfg.pollHoldMs} ms`,
    `Configured idle timeouts: nginx ${cfg.proxyIdleTimeoutS} s (TALLY_PROXY_IDLE_TIMEOUT_S), load balancer ${cfg.lbIdleTimeoutS} s (TALLY_LB_IDLE_TIMEOUT_S)`,
  ]);
}

export function checkRedis(ctx) {
  const c = check('redis', ctx.findings);
  const r = ctx.redis;
  if (!r) {
    c.report('doctor.unreachable', `Could not read /doctor/api/redis (${ctx.redisError}).`);
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
    c.report('redis.memory-multi', `Several instances answer (${[...observed].join(', ')}) but they use the in-memory broker: viewers on different instances see different scores.`,
      details);
    return;
  }
  c.verdict(r.verdict, details);
}
