package io.tally.realtime.broker;

import io.tally.json.JsonWriter;
import io.tally.realtime.Position;

/**
 * One published message: its room, its position in the room's history and its payload (JSON text,
 * encoded once by the publisher). The wire frame is built once per message and shared by every
 * viewer it is delivered to.
 */
public final class Message {
    private final String room;
    private final Position position;
    private final String payload;
    private volatile String frame;
    private volatile int frameBytes = -1;

    public Message(String room, Position position, String payload) {
        this.room = room;
        this.position = position;
        this.payload = payload;
    }

    public String room() {
        return room;
    }

    public Position position() {
        return position;
    }

    public String payload() {
        return payload;
    }

    /** The protocol's {@code message} frame for this message; computed once (a benign race at worst builds it twice). */
    public String frame() {
        String f = frame;
        if (f == null) {
            f = new JsonWriter(new StringBuilder(payload.length() + room.length() + 96))
                    .beginObject()
                    .field("type", "message")
                    .field("room", room)
                    .field("position", position)
                    .rawField("data", payload)
                    .endObject()
                    .toString();
            frame = f;
        }
        return f;
    }

    /** The UTF-8 size of {@link #frame()}; computed once. */
    public int frameBytes() {
        int n = frameBytes;
        if (n < 0) {
            n = utf8Length(frame());
            frameBytes = n;
        }
        return n;
    }

    public static int utf8Length(CharSequence s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) n++;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else n += 3;
        }
        return n;
    }

    @Override
    public String toString() {
        return room + "@" + position;
    }
}
