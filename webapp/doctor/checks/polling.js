// The long-polling check: GET probes of /live/poll (which instance, how fast), then one real poll
// with a room, as a viewer whose WebSocket failed would send it.
import { check, getJson, median, ms, now, base } from '../page.js';

const POLLS = 6;

/** Leaves ctx.polls (instances that answered) and ctx.pollRtts. */
export async function checkPolling(ctx) {
  const c = check('polling', ctx.findings);
  const pollUrl = new URL('live/poll', base);
  ctx.polls = [];
  ctx.pollRtts = [];
  for (let i = 0; i < POLLS; i++) {
    const t0 = now();
    const r = await getJson(pollUrl);
    const rtt = now() - t0;
    if (r.status !== 200 || r.body?.type !== 'batch') {
      const problem = r.body?.detail || r.error || `HTTP ${r.status}`;
      c.report(r.status === 503 ? 'polling.busy' : r.status === 403 ? 'polling.origin-refused' : 'polling.unrouted',
        `GET /live/poll failed: ${problem}. Viewers whose WebSocket fails cannot fall back.`,
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
      c.report('polling.protocol-mismatch', 'Polling answers, but a poll with a room did not come back with welcome and ack.', details);
      return;
    }
    c.set('pass', `Long-polling works: ${POLLS} probes and a poll with a room answered (median ${ms(median(ctx.pollRtts))}).`, null, details);
  } else if (post.status === 503 && post.body?.code === 'unavailable') {
    details.push(`POST /live/poll with a room: 503 unavailable (${post.body.detail || 'broker down'})`);
    c.set('pass', 'The polling transport works through the chain; polls that need history wait for the broker (see Redis).', null, details);
  } else {
    details.push(`POST /live/poll: ${post.status ? 'HTTP ' + post.status : post.error}${post.body?.detail ? ' — ' + post.body.detail : ''}`);
    c.report(post.status === 403 ? 'polling.origin-refused' : post.status === 413 ? 'polling.body-too-large' : 'polling.post-failed',
      'Polling probes answer, but a real poll (POST with a room) failed.', details);
  }
}
