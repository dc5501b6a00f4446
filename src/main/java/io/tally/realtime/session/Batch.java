package io.tally.realtime.session;

import io.tally.realtime.broker.Message;
import java.util.List;

/**
 * Messages of one room that reached this instance together, in offset order. Usually one; several
 * when they piled up while the previous fan-out ran. Its frame is built once and shared by every
 * viewer it goes to.
 */
final class Batch {
    private final List<Message> messages;
    private String frame; // built on first use; batches live on the fan-out thread only

    Batch(List<Message> messages) {
        if (messages.isEmpty()) throw new IllegalArgumentException("empty batch");
        this.messages = List.copyOf(messages);
    }

    List<Message> messages() {
        return messages;
    }

    int size() {
        return messages.size();
    }

    /** The same messages from index {@code from} on. */
    Batch from(int from) {
        return from == 0 ? this : new Batch(messages.subList(from, messages.size()));
    }

    /** One message's own frame, or a JSON array of message frames for several (clients opt in). */
    String frame() {
        String f = frame;
        if (f == null) {
            if (messages.size() == 1) {
                f = messages.get(0).frame();
            } else {
                int length = 2;
                for (Message m : messages) length += m.frame().length() + 1;
                StringBuilder sb = new StringBuilder(length).append('[');
                for (Message m : messages) {
                    if (sb.length() > 1) sb.append(',');
                    sb.append(m.frame());
                }
                f = sb.append(']').toString();
            }
            frame = f;
        }
        return f;
    }
}
