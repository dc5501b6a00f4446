package io.tally.realtime.protocol;

import io.tally.json.JsonWriter;
import io.tally.realtime.Position;

import java.util.Map;

/** Builds the server's frames (docs/PROTOCOL.md). Message frames are built by the message itself. */
public final class Frames {
    public static final String PING = "{\"type\":\"ping\"}";

    private Frames() {
    }

    public static String welcome(String instance, String transport, int heartbeat, int timeout, Map<String, Object> limits) {
        return new JsonWriter().beginObject()
                .field("type", "welcome").field("v", FrameDecoder.VERSION)
                .field("instance", instance).field("transport", transport)
                .field("heartbeat", heartbeat).field("timeout", timeout)
                .field("limits", limits)
                .endObject().toString();
    }

    public static String ack(Long id, String room, Position position) {
        JsonWriter w = new JsonWriter().beginObject().field("type", "ack");
        if (id != null) w.field("id", id);
        w.field("room", room);
        if (position != null) w.field("position", position);
        return w.endObject().toString();
    }

    public static String reset(String room, String reason, Position position) {
        return new JsonWriter().beginObject().field("type", "reset").field("room", room)
                .field("reason", reason).field("position", position).endObject().toString();
    }

    public static String pong(Long id) {
        return id == null ? "{\"type\":\"pong\"}" : "{\"type\":\"pong\",\"id\":" + id + "}";
    }

    public static String error(ErrorCode code, Long id, String message) {
        JsonWriter w = new JsonWriter().beginObject().field("type", "error");
        if (id != null) w.field("id", id);
        return w.field("code", code.wire()).field("message", message).endObject().toString();
    }

    /** An error about one room (a subscribe's, or a poll's per-room answer). */
    public static String error(ErrorCode code, Long id, String room, String message) {
        JsonWriter w = new JsonWriter().beginObject().field("type", "error");
        if (id != null) w.field("id", id);
        return w.field("code", code.wire()).field("room", room).field("message", message).endObject().toString();
    }

    public static String reconnect(long afterMillis) {
        return "{\"type\":\"reconnect\",\"after\":" + afterMillis + "}";
    }
}
