package io.tally.realtime.session;

import io.tally.realtime.Conflation;
import io.tally.realtime.broker.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Messages of a conflatable room merged into one, through the application's {@link Conflation}. */
final class Merging {
    private static final Logger LOG = Logger.getLogger(Merging.class.getName());

    private Merging() {}

    /**
     * The messages as one at the last one's position (one message stays as it is), or null when the
     * application's merge failed: the caller then sends them one by one.
     */
    static Message merge(Conflation how, String room, List<Message> messages) {
        if (messages.size() == 1) return messages.get(0);
        List<String> payloads = new ArrayList<>(messages.size());
        for (Message m : messages) payloads.add(m.payload());
        try {
            return new Message(room, messages.get(messages.size() - 1).position(), how.merge(payloads));
        } catch (RuntimeException e) {
            LOG.log(
                    Level.WARNING,
                    "conflation of " + messages.size() + " messages of " + room + " failed; sending them one by one",
                    e);
            return null;
        }
    }
}
