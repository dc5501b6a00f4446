package io.tally.realtime.broker;

import io.tally.realtime.Position;
import io.tally.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A listener that records every call, per room, and notices calls for one room that overlap (which
 * the contract forbids).
 */
public final class RecordingListener implements BrokerListener {
    public record Reset(String room, String reason, Position tip) {}

    private final List<Message> messages = new ArrayList<>();
    private final List<Reset> resets = new ArrayList<>();
    private final Set<String> inside = ConcurrentHashMap.newKeySet();
    private final List<String> overlaps = new ArrayList<>();
    private final List<String> events = new ArrayList<>();

    @Override
    public void onMessage(Message message) {
        enter(message.room());
        try {
            synchronized (this) {
                messages.add(message);
                events.add(message.room() + " " + message.payload());
            }
        } finally {
            inside.remove(message.room());
        }
    }

    @Override
    public void onReset(String room, String reason, Position tip) {
        enter(room);
        try {
            synchronized (this) {
                resets.add(new Reset(room, reason, tip));
                events.add(room + " reset:" + reason);
            }
        } finally {
            inside.remove(room);
        }
    }

    private void enter(String room) {
        if (!inside.add(room)) {
            synchronized (this) {
                overlaps.add(room);
            }
        }
    }

    public synchronized List<Message> messages(String room) {
        return messages.stream().filter(m -> m.room().equals(room)).toList();
    }

    public synchronized List<String> payloads(String room) {
        return messages(room).stream().map(Message::payload).toList();
    }

    public synchronized List<Reset> resets(String room) {
        return resets.stream().filter(r -> r.room().equals(room)).toList();
    }

    /** Every call in arrival order, as "room payload" or "room reset:reason". */
    public synchronized List<String> events(String room) {
        return events.stream()
                .filter(e -> e.startsWith(room + " "))
                .map(e -> e.substring(room.length() + 1))
                .toList();
    }

    public synchronized List<String> overlaps() {
        return List.copyOf(overlaps);
    }

    /** Waits until a message with this payload arrived in the room. */
    public void awaitPayload(String room, String payload, Duration timeout) {
        Await.until(
                timeout,
                () -> payloads(room).contains(payload),
                () -> "no " + payload + " in " + room + "; got " + payloads(room) + ", resets " + resets(room));
    }

    public void awaitCount(String room, int count, Duration timeout) {
        Await.until(
                timeout,
                () -> messages(room).size() >= count,
                () -> "expected " + count + " messages in " + room + ", got " + payloads(room) + ", resets "
                        + resets(room));
    }
}
