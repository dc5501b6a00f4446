package io.tally.realtime.protocol;

import io.tally.json.Json;
import io.tally.json.JsonException;
import io.tally.realtime.Position;
import io.tally.realtime.Rooms;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a client's text frame into a {@link ClientFrame}, or a {@link ProtocolException} whose code
 * says exactly what was wrong. Never throws anything else, whatever the input.
 */
public final class FrameDecoder {
    public static final int VERSION = 1;
    private final int maxDepth;

    public FrameDecoder(int maxDepth) {
        this.maxDepth = maxDepth;
    }

    public ClientFrame decode(String text) {
        Map<String, Object> f;
        try {
            f = Json.parseObject(text, maxDepth);
        } catch (JsonException e) {
            throw new ProtocolException(ErrorCode.BAD_JSON, null, "frame is not valid JSON: " + e.getMessage());
        }
        Object type = f.get("type");
        if (!(type instanceof String t))
            throw new ProtocolException(ErrorCode.BAD_FRAME, null, "frame has no \"type\" string");
        switch (t) {
            case "hello": {
                Object v = f.get("v");
                if (!(v instanceof Long version))
                    throw new ProtocolException(ErrorCode.BAD_FRAME, null, "hello needs a numeric \"v\"");
                if (version != VERSION) {
                    throw new ProtocolException(
                            ErrorCode.BAD_VERSION,
                            null,
                            "protocol version " + version + " is not supported; this server speaks " + VERSION);
                }
                return new ClientFrame.Hello(VERSION);
            }
            case "subscribe": {
                long id = requestId(f, true);
                String room = room(f, id);
                Object since = f.get("since");
                Position position = null;
                if (since != null) {
                    try {
                        position = Position.fromJson(since);
                    } catch (IllegalArgumentException e) {
                        throw new ProtocolException(ErrorCode.BAD_POSITION, id, e.getMessage());
                    }
                }
                return new ClientFrame.Subscribe(id, room, position, optIn(f.get("conflate"), id));
            }
            case "unsubscribe": {
                long id = requestId(f, true);
                return new ClientFrame.Unsubscribe(id, room(f, id));
            }
            case "ping":
                return new ClientFrame.Ping(f.containsKey("id") ? requestId(f, true) : null);
            case "pong":
                return new ClientFrame.Pong();
            default:
                throw new ProtocolException(
                        ErrorCode.BAD_FRAME, optionalId(f), "unknown frame type \"" + truncate(t) + "\"");
        }
    }

    /** Decodes a poll body ({@code {"v":1,"hello":true,"rooms":{room: position|null}}}), enforcing {@code maxRooms}. */
    public PollRequest decodePoll(String text, int maxRooms) {
        Map<String, Object> f;
        try {
            f = Json.parseObject(text, maxDepth);
        } catch (JsonException e) {
            throw new ProtocolException(ErrorCode.BAD_JSON, null, "poll body is not valid JSON: " + e.getMessage());
        }
        Object v = f.get("v");
        if (v != null && !Long.valueOf(VERSION).equals(v)) {
            // Not echoed: "v" may be any value, up to the whole body.
            String given = v instanceof Long n ? "protocol version " + n : "a \"v\" that is not a version number";
            throw new ProtocolException(
                    ErrorCode.BAD_VERSION, null, given + " is not supported; this server speaks " + VERSION);
        }
        Object hello = f.get("hello");
        if (hello != null && !(hello instanceof Boolean))
            throw new ProtocolException(ErrorCode.BAD_FRAME, null, "\"hello\" must be true or false");
        Object rooms = f.get("rooms");
        if (rooms == null) rooms = Map.of();
        if (!(rooms instanceof Map<?, ?> roomMap))
            throw new ProtocolException(
                    ErrorCode.BAD_FRAME, null, "\"rooms\" must be an object of room → position or null");
        if (roomMap.size() > maxRooms)
            throw new ProtocolException(ErrorCode.TOO_MANY_ROOMS, null, "at most " + maxRooms + " rooms per poll");
        Map<String, Position> positions = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : roomMap.entrySet()) {
            String room = (String) e.getKey();
            if (!Rooms.isValid(room))
                throw new ProtocolException(ErrorCode.BAD_ROOM, null, "room name must match " + Rooms.RULE);
            Position p = null;
            if (e.getValue() != null) {
                try {
                    p = Position.fromJson(e.getValue());
                } catch (IllegalArgumentException ex) {
                    throw new ProtocolException(ErrorCode.BAD_POSITION, null, room + ": " + ex.getMessage());
                }
            }
            positions.put(room, p);
        }
        return new PollRequest(
                Boolean.TRUE.equals(hello),
                positions,
                counts(f.get("counts"), positions),
                optIn(f.get("conflate"), null));
    }

    /** {@code "conflate": true}: the client takes merged messages for conflatable rooms (absent: it does not). */
    private static boolean optIn(Object conflate, Long id) {
        if (conflate == null) return false;
        if (!(conflate instanceof Boolean b))
            throw new ProtocolException(ErrorCode.BAD_FRAME, id, "\"conflate\" must be true or false");
        return b;
    }

    /** {@code "counts": {room: n | null}}: the totals the client shows, for rooms of the poll only. */
    private static Map<String, Long> counts(Object counts, Map<String, Position> rooms) {
        if (counts == null) return Map.of();
        if (!(counts instanceof Map<?, ?> m))
            throw new ProtocolException(
                    ErrorCode.BAD_FRAME, null, "\"counts\" must be an object of room → number or null");
        Map<String, Long> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String room = (String) e.getKey();
            if (!rooms.containsKey(room))
                throw new ProtocolException(ErrorCode.BAD_FRAME, null, "\"counts\" may name only rooms of the poll");
            Object n = e.getValue();
            if (n != null && !(n instanceof Long))
                throw new ProtocolException(ErrorCode.BAD_FRAME, null, "a count must be an integer or null");
            out.put(room, n == null ? -1L : Math.max(-1L, (Long) n));
        }
        return out;
    }

    private static long requestId(Map<String, Object> f, boolean required) {
        Object id = f.get("id");
        if (id instanceof Long n && n > 0) return n;
        throw new ProtocolException(
                ErrorCode.BAD_FRAME, null, "\"" + f.get("type") + "\" needs a positive integer \"id\"");
    }

    private static Long optionalId(Map<String, Object> f) {
        return f.get("id") instanceof Long n && n > 0 ? n : null;
    }

    private static String room(Map<String, Object> f, long id) {
        Object room = f.get("room");
        if (!(room instanceof String r))
            throw new ProtocolException(ErrorCode.BAD_FRAME, id, "\"" + f.get("type") + "\" needs a \"room\" string");
        if (!Rooms.isValid(r))
            throw new ProtocolException(ErrorCode.BAD_ROOM, id, "room name must match " + Rooms.RULE);
        return r;
    }

    /**
     * Client text made safe to echo in an error frame: at most 40 characters, and no lone surrogate
     * (a cut pair, or one the client sent as a JSON escape), which cannot be encoded into a WebSocket text frame.
     */
    static String truncate(String s) {
        int limit = Math.min(s.length(), 40);
        StringBuilder out = new StringBuilder(limit + 1);
        for (int i = 0; i < limit; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < limit && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.append(c).append(s.charAt(++i));
            } else {
                out.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return s.length() > limit ? out.append('…').toString() : out.toString();
    }
}
