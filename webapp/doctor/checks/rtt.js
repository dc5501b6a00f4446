// The round-trip check: median WebSocket ping/pong and long-poll request times.
import { check, median, ms } from '../page.js';

const PINGS = 5;
const RTT_WARN_MS = 1000;

export async function measureWebSocket(proto) {
  const rtts = [];
  if (!proto) return rtts;
  for (let i = 0; i < PINGS; i++) {
    const rtt = await proto.ping();
    if (rtt !== null) rtts.push(rtt);
  }
  return rtts;
}

export function checkRtt(ctx, wsRtts) {
  const c = check('rtt', ctx.findings);
  const pollMedian = ctx.pollRtts?.length ? median(ctx.pollRtts) : NaN;
  const wsMedian = wsRtts.length ? median(wsRtts) : NaN;
  const details = [
    Number.isNaN(wsMedian) ? 'WebSocket: not measured' : `WebSocket ping/pong: median ${ms(wsMedian)} over ${wsRtts.length} (${wsRtts.map(x => Math.round(x)).join(', ')} ms)`,
    Number.isNaN(pollMedian) ? 'Long-polling: not measured' : `Long-poll request: median ${ms(pollMedian)} over ${ctx.pollRtts.length} (${ctx.pollRtts.map(x => Math.round(x)).join(', ')} ms)`,
  ];
  if (Number.isNaN(wsMedian) && Number.isNaN(pollMedian)) {
    c.report('needs.transports', 'Nothing to measure: both transports failed.', details);
  } else if (Number.isNaN(wsMedian)) {
    c.report('needs.websocket', `Long-polling round trip ${ms(pollMedian)}; WebSocket not measured (it failed).`, details);
  } else if (Math.max(wsMedian, Number.isNaN(pollMedian) ? 0 : pollMedian) > RTT_WARN_MS) {
    c.report('rtt.slow', `Slow round trips: WebSocket ${ms(wsMedian)}, polling ${ms(pollMedian)}.`, details);
  } else {
    c.set('pass', `WebSocket ${ms(wsMedian)}, long-polling ${ms(pollMedian)} (median round trips).`, null, details);
  }
}
