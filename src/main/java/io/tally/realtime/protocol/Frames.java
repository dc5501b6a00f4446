package io.tally.realtime.protocol;

import io.tally.json.JsonWriter;
import io.tally.realtime.Position;
import java.util.Map;

/** Builds the server's frames (docs/PROTOCOL.md). Message frames are built by the message itself. */
public final class Frames {

    private Frames() {}

    /** {@code time}: the server's clock (epoch ms) as the frame is built, a sample for the client's clock offset. */
    public static String welcome(
            String instance, String transport, int heartbeat, int timeout, Map<String, Object> limits, long time) {
        return new JsonWriter()
                .beginObject()
                .field("type", "welcome")
                .field("v", FrameDecoder.VERSION)
                .field("instance", instance)
                .field("transport", transport)
                .field("heartbeat", heartbeat)
                .field("timeout", timeout)
                .field("limits", limits)
                .field("time", time)
                .endObject()
                .toString();
    }

    /** The server's heartbeat, with its clock (epoch ms). */
    public static String ping(long time) {
        return "{\"type\":\"ping\",\"time\":" + time + "}";
    }

    /** A room's viewer total over every instance ("N watching"). */
    public static String count(String room, long viewers) {
        return new JsonWriter()
                .beginObject()
                .field("type", "count")
                .field("room", room)
                .field("n", viewers)
                .endObject()
                .toString();
    }

    /**
     * A {@code message} that stands for several of the room's messages (a viewer that fell behind):
     * {@code data} is their merged payload, {@code position} the last one's.
     */
    public static String conflated(String room, Position position, String payloadJson) {
        return new JsonWriter(new StringBuilder(payloadJson.length() + room.length() + 112))
                .beginObject()
                .field("type", "message")
                .field("room", room)
                .field("position", position)
                .field("conflated", true)
                .rawField("data", payloadJson)
                .endObject()
                .toString();
    }

    public static String ack(Long id, String room, Position position) {
        JsonWriter w = new JsonWriter().beginObject().field("type", "ack");
        if (id != null) w.field("id", id);
        w.field("room", room);
        if (position != null) w.field("position", position);
        return w.endObject().toString();
    }

    public static String reset(String room, String reason, Position position) {
        return new JsonWriter()
                .beginObject()
                .field("type", "reset")
                .field("room", room)
                .field("reason", reason)
                .field("position", position)
                .endObject()
                .toString();
    }

    /** The answer to a client's ping; {@code time} is the server's clock (epoch ms), for the client's clock offset. */
    public static String pong(Long id, long time) {
        return id == null ? "{\"type\":\"pong\"}" : "{\"type\":\"pong\",\"id\":" + id + ",\"time\":" + time + "}";
    }

    public static String error(ErrorCode code, Long id, String message) {
        JsonWriter w = new JsonWriter().beginObject().field("type", "error");
        if (id != null) w.field("id", id);
        return w.field("code", code.wire())
                .field("message", message)
                .endObject()
                .toString();
    }

    /** An error about one room (a subscribe's, or a poll's per-room answer). */
    public static String error(ErrorCode code, Long id, String room, String message) {
        JsonWriter w = new JsonWriter().beginObject().field("type", "error");
        if (id != null) w.field("id", id);
        return w.field("code", code.wire())
                .field("room", room)
                .field("message", message)
                .endObject()
                .toString();
    }

    public static String reconnect(long afterMillis) {
        return "{\"type\":\"reconnect\",\"after\":" + afterMillis + "}";
    }
}
