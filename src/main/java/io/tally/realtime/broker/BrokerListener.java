package io.tally.realtime.broker;

import io.tally.realtime.Position;

/** Receives the messages of the rooms this instance watches. */
public interface BrokerListener {
    /**
     * A message of a watched room. Per room, calls come in offset order and each message once; calls
     * for one room never overlap.
     */
    void onMessage(Message message);

    /**
     * The room's history was lost and restarted (new epoch), or this instance missed messages it
     * could not back-fill. Subscribers must be told to reset; delivery continues after {@code tip}.
     */
    void onReset(String room, String reason, Position tip);
}
