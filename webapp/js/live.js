// Starts the live connection (tally.js) and keeps the connection indicator current. If the client
// cannot be loaded, pages still work from snapshots; the indicator says "offline".

const LABELS = {
  connecting: 'Connecting…',
  connected: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
};
const TRANSPORTS = { websocket: 'WebSocket', polling: 'long-polling' };

export function showConnection(el, state) {
  if (!el) return;
  const status = state.status || 'offline';
  const transport = state.transport || 'none';
  el.dataset.status = status;
  el.dataset.transport = transport;
  let text = LABELS[status] || status;
  if (status === 'connected' && TRANSPORTS[transport]) text += ' · ' + TRANSPORTS[transport];
  const label = el.querySelector('.connection-label') || el;
  label.textContent = text;
  el.title = state.instance ? `server ${state.instance}${state.rtt != null ? `, ${Math.round(state.rtt)} ms` : ''}` : '';
}

/** The live client, or null when tally.js is unavailable. */
export async function startLive(indicator) {
  showConnection(indicator, { status: 'connecting', transport: null });
  try {
    const { connect } = await import('./tally.js');
    const live = connect();
    live.onState((s) => showConnection(indicator, s));
    return live;
  } catch (e) {
    showConnection(indicator, { status: 'offline', transport: null });
    return null;
  }
}
