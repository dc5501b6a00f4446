// Runs the peers' load generator (read-only, ../shared/peers/socketio/loadgen.js) unchanged and adds
// to its result line what it does not measure: the bytes its viewers read from their sockets while
// the messages were published (from /proc/self/io, so compressed bytes when deflate was negotiated)
// per delivery, and the Sec-WebSocket-Extensions answers the servers gave.
//   node wire.js loadgen.js PROTOCOL_MODULE N R D http://A [http://B]    (same arguments and env as loadgen.js)
const fs = require('fs');
const path = require('path');
// The same copy of ws the generator will load (resolved from its directory, then NODE_PATH).
const WebSocket = require(require.resolve('ws', { paths: [path.dirname(path.resolve(process.argv[2]))] }));

const rchar = () => Number(fs.readFileSync('/proc/self/io', 'utf8').match(/rchar:\s+(\d+)/)[1]);
const extensions = {};
let bytes0 = null;

// The generator calls fetch once, to start publishing: that is where the window opens.
const realFetch = global.fetch;
global.fetch = (...args) => { bytes0 = rchar(); return realFetch(...args); };

// Every viewer's upgrade answer, as the server wrote it.
const emit = WebSocket.prototype.emit;
WebSocket.prototype.emit = function (event, ...args) {
  if (event === 'upgrade') {
    const v = args[0].headers['sec-websocket-extensions'] || 'none';
    extensions[v] = (extensions[v] || 0) + 1;
  }
  return emit.call(this, event, ...args);
};

const log = console.log;
console.log = (line, ...rest) => {
  if (typeof line === 'string' && line.startsWith('{')) {
    const r = JSON.parse(line);
    if (bytes0 !== null) {
      r.wire_bytes_publish = rchar() - bytes0;
      if (r.delivered > 0) r.wire_bytes_per_delivery = +(r.wire_bytes_publish / r.delivered).toFixed(1);
    }
    r.deflate_offered = process.env.DEFLATE !== '0';
    r.negotiated_extensions = extensions;
    line = JSON.stringify(r);
  }
  log(line, ...rest);
};

process.argv.splice(1, 1); // the generator reads its arguments from argv[2]
process.argv[1] = path.resolve(process.argv[1]);
require(process.argv[1]);
