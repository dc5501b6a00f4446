// The instances check: which instances answered, and whether the balancer pinned this browser to one.
import { check } from '../page.js';

export function checkInstances(ctx) {
  const c = check('instances', ctx.findings);
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
    c.report('needs.transports', 'No request told which instance served it (both transports failed).', details);
    return;
  }
  const spread = new Set(polls).size > 1;
  const how = spread
    ? `Requests were spread over ${new Set(polls).size} instances${cookie ? ' despite the stickiness cookie' : ''}`
    : `All requests reached ${[...all][0]}${all.size > 1 ? ' (polls) and ' + ctx.wsInstance + ' (WebSocket)' : ''}${cookie ? ', pinned by the AWSALB stickiness cookie' : ''}`;
  c.set('pass', `${how}. Either way is fine for Tally: polls carry their own offsets, so any instance can answer any poll.`, null, details);
}
