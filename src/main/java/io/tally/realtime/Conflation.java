package io.tally.realtime;

import java.util.List;

/**
 * How a conflatable room's run of messages becomes one, for a viewer that fell behind: the app merges
 * their payloads into one that leaves the viewer exactly where applying them all, in order, would
 * have (the latest state plus whatever of the events the viewer still needs). The merged message
 * takes the last one's position, so a viewer resuming from it misses nothing and repeats nothing.
 */
@FunctionalInterface
public interface Conflation {
    /**
     * Merges consecutive payloads of one room (JSON text, oldest first, at least two) into one
     * payload (JSON text). May be handed an earlier merge's result among them. Must not throw for
     * payloads the app itself published; if it does, the viewer gets the messages one by one.
     */
    String merge(List<String> payloads);

    /** For rooms whose every message is the whole state: the newest stands for them all. */
    Conflation LATEST = payloads -> payloads.get(payloads.size() - 1);
}
