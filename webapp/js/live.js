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

/**
 * Shows `banner` (and marks <body data-connection="lost">) while a page that was live is not: what
 * is on screen may be stale. A page that never connected says "Connecting…" in its indicator instead.
 */
export function staleWatcher(banner) {
  let wasLive = false;
  return (state) => {
    const live = state.status === 'connected';
    if (live) wasLive = true;
    const lost = wasLive && !live;
    if (banner) banner.hidden = !lost;
    document.body.dataset.connection = live ? 'live' : lost ? 'lost' : 'waiting';
  };
}

/** The live client, or null when tally.js is unavailable. `onState` also hears every state. */
export async function startLive(indicator, onState = () => {}) {
  showConnection(indicator, { status: 'connecting', transport: null });
  try {
    const { connect } = await import('./tally.js');
    const live = connect();
    live.onState((s) => { showConnection(indicator, s); onState(s); });
    return live;
  } catch (e) {
    showConnection(indicator, { status: 'offline', transport: null });
    onState({ status: 'offline', transport: null });
    return null;
  }
}

/** Server time in epoch ms: the client's estimate when it has one (tally.js serverNow), else this machine's. */
export function serverClock(live) {
  return () => (live && typeof live.serverNow === 'function' ? live.serverNow() : Date.now());
}
