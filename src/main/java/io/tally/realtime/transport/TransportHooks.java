package io.tally.realtime.transport;

import java.util.concurrent.Executor;

/**
 * Everything the transports are given by the core: their settings, the protocol behind persistent
 * connections and polls, the gate's admission, and an executor for closing connections off the
 * container's threads. Not part of the application's API: only the wiring passes it on.
 */
public record TransportHooks(
        TransportSettings settings,
        ConnectionHandler connections,
        PollHandler polls,
        Admission admission,
        Executor closer) {}
