// The TLS check: https end to end, and Tomcat told the scheme the browser used.
import { check } from '../page.js';

export function checkTls(ctx) {
  const c = check('tls', ctx.findings);
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
      c.report('tls.forwarded-proto', `The page is served over https, but Tomcat is told the scheme was ${who.forwardedProto}.`, details);
    } else {
      c.set('pass', 'Page over https and WebSocket over wss: traffic is encrypted end to end to the load balancer.', null, details);
    }
  } else if (loopback) {
    c.set('pass', 'Served over plain http from a loopback address: fine for a local test; a public deployment should use https (then wss).', null, details);
  } else {
    c.report('tls.plain-http', 'The page is served over plain http, so scores and the WebSocket (ws:) travel unencrypted.', details);
  }
}
