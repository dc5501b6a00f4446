// Tally doctor: live checks from this browser through the real chain (load balancer → nginx →
// Tomcat → Redis). Speaks the wire protocol (docs/PROTOCOL.md) raw, so every failure can be named.
// One module per check under checks/; the fix texts come from the server's catalogue
// (GET /doctor/api/findings), the same one the command-line doctor reads.
import { api, getJson, reset, summarize } from './page.js';
import { checkWebSocket } from './checks/websocket.js';
import { checkPolling } from './checks/polling.js';
import { checkInstances } from './checks/instances.js';
import { checkRtt, measureWebSocket } from './checks/rtt.js';
import { checkCapacity } from './checks/capacity.js';
import { checkIdle } from './checks/idle.js';
import { checkPlatform, startHold } from './checks/platform.js';
import { checkConfig, checkRedis } from './checks/server.js';
import { checkTls } from './checks/tls.js';

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
  if (findings.status === 200) ctx.findings = findings.body?.findings;
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
  checkRtt(ctx, await measureWebSocket(proto));
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
