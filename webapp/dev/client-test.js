// Test page for webapp/js/tally.js: renders the connection state and every message into the DOM
// (data-* attributes for Selenium) and exposes the client as window.tallyClient and its
// subscriptions as window.tallySubscriptions for test scripts.
import { connect } from '../js/tally.js';

// Console output and uncaught errors, kept for the e2e artefacts: not every driver can read the log.
const consoleLog = (window.__tallyConsole = []);
for (const level of ['log', 'info', 'warn', 'error']) {
  const original = console[level].bind(console);
  console[level] = (...args) => {
    consoleLog.push(`${level}: ${args.map(String).join(' ')}`);
    original(...args);
  };
}
window.addEventListener('error', (e) => consoleLog.push(`uncaught: ${e.message}`));
window.addEventListener('unhandledrejection', (e) => consoleLog.push(`unhandled rejection: ${e.reason}`));

const params = new URLSearchParams(location.search);
const options = {};
if (params.has('transports')) options.transports = params.get('transports').split(',');
for (const name of ['url', 'wsUrl', 'pollUrl']) if (params.has(name)) options[name] = params.get(name);
for (const name of ['welcomeTimeout', 'probeInterval', 'probeMax', 'backoffBase', 'backoffMax', 'rttInterval']) {
  if (params.has(name)) options[name] = Number(params.get(name));
}
const since = new Map(params.getAll('since').map((s) => {
  const [room, epoch, offset] = s.split(':');
  return [room, { epoch, offset }];
}));

const $ = (id) => document.getElementById(id);
const item = (text, data) => {
  const li = document.createElement('li');
  li.textContent = text;
  Object.assign(li.dataset, data);
  return li;
};

const live = connect(options);
window.tallyClient = live;

const history = [];
let previous = null;
let connects = 0;
live.onState((s) => {
  const el = $('state');
  // Every arrival at "connected" (a reconnect, or a switch of transport) counts as one connect.
  if (s.status === 'connected' && (previous?.status !== 'connected' || previous.transport !== s.transport)) connects += 1;
  previous = s;
  el.dataset.connects = String(connects);
  el.dataset.status = s.status;
  el.dataset.transport = s.transport ?? '';
  el.dataset.instance = s.instance ?? '';
  el.dataset.rtt = s.rtt ?? '';
  el.textContent = `${s.status}${s.transport ? ` over ${s.transport}` : ''}`
    + `${s.instance ? ` to ${s.instance}` : ''}${s.rtt != null ? `, rtt ${s.rtt} ms` : ''}`;
  if (s.transport && history[history.length - 1] !== s.transport) {
    history.push(s.transport);
    $('transports').dataset.history = history.join(',');
    $('transports').textContent = history.join(' → ');
  }
});

let count = 0;
window.tallySubscriptions = [];
for (const room of (params.get('rooms') || 'game-1').split(',')) {
  window.tallySubscriptions.push(live.subscribe(room, {
    since: since.get(room),
    onMessage: (data, position) => {
      $('log').append(item(JSON.stringify(data), { room, epoch: position.epoch, offset: position.offset }));
      count += 1;
      $('count').dataset.count = String(count);
      $('count').textContent = String(count);
    },
    onReset: (position, reason) => {
      $('resets').append(item(`${room} ${reason} → ${position.epoch}:${position.offset}`,
        { room, epoch: position.epoch, offset: position.offset, reason: reason ?? '' }));
    },
    onError: (error) => $('errors').append(item(`${room}: ${error.code} ${error.message ?? ''}`, { room, code: error.code })),
  }));
}

$('force-websocket').addEventListener('click', () => live.debug.forceTransport('websocket'));
$('force-polling').addEventListener('click', () => live.debug.forceTransport('polling'));
$('drop').addEventListener('click', () => live.debug.drop());
document.body.dataset.ready = 'true';
