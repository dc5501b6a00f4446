// Tally browser client: one live connection (WebSocket first, HTTP long-polling as the fallback)
// that resumes every room from the last position it saw, so the app gets each message once, in
// order, across reconnects and transport switches. Wire protocol: docs/PROTOCOL.md. Usage:
// docs/CLIENT.md. No dependencies, no build step: Chromium and WebKit load this file as it is.
//
// This file is the entry point (import { connect } from '<app>/js/tally.js'); the session and
// its transports live in ./tally/. It stays at this URL: the server is found from it.
import { Live } from './tally/live.js';

export { compareOffsets } from './tally/wire.js';

/** Opens a live connection. See docs/CLIENT.md for the options. */
export function connect(options = {}) {
  return new Live(options, import.meta.url);
}
