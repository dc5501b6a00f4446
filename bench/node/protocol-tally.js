// Tally's wire protocol (docs/PROTOCOL.md, version 1) for the peers' protocol-neutral load generator
// (../shared/peers/socketio/loadgen.js): the same generator then measures Tally and Socket.IO.
// Exports what the generator needs: wsUrl(base) and onFrame(ws, text, events).
//   welcome  -> subscribe to room game-1 from now (no position)
//   ack id 1 -> events.joined()
//   message  -> events.message(data)   (data is the publisher's payload: seq, t, ...)
//   [ ... ]  -> a batch of message frames: events.message(data) for each
//   ping     -> pong (server heartbeat)
exports.wsUrl = base => `${base.replace(/^http/, 'ws')}/live/ws?batch=1`;

const SUBSCRIBE = JSON.stringify({ type: 'subscribe', id: 1, room: 'game-1' });
const PONG = '{"type":"pong"}';

exports.onFrame = (ws, text, events) => {
  // Fast path for the hot frame: a message frame starts with its type.
  if (text.startsWith('{"type":"message"')) { events.message(JSON.parse(text).data); return; }
  // A batch (we ask for them with batch=1): message frames of one room, in order.
  if (text.startsWith('[')) { for (const f of JSON.parse(text)) events.message(f.data); return; }
  const f = JSON.parse(text);
  switch (f.type) {
    case 'welcome': ws.send(SUBSCRIBE); return;
    case 'ack': if (f.id === 1) events.joined(); return;
    case 'ping': if (f.id === undefined) ws.send(PONG); return;
    case 'error': console.error(`tally error: ${text}`); return;
    case 'reset': console.error(`tally reset: ${text}`); return;
    default: return; // reconnect and others: a benchmark run ends before they matter
  }
};
