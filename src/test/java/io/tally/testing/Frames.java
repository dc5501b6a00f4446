package io.tally.testing;

import io.tally.json.Json;
import java.util.List;
import java.util.Map;

/** Reading protocol frames in tests. */
public final class Frames {
    private Frames() {}

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    public static String offset(Map<String, Object> frame) {
        return (String) map(frame.get("position")).get("offset");
    }

    public static String epoch(Map<String, Object> frame) {
        return (String) map(frame.get("position")).get("epoch");
    }

    /** The {@code data} of a message frame, as a map. */
    public static Map<String, Object> data(Map<String, Object> frame) {
        return map(frame.get("data"));
    }

    public static Map<String, Object> parse(String json) {
        return map(Json.parse(json));
    }

    /** The frames of a poll's batch response. */
    public static List<Map<String, Object>> batch(String json) {
        Map<String, Object> b = parse(json);
        if (!"batch".equals(b.get("type"))) throw new AssertionError("not a batch: " + json);
        return list(b.get("frames")).stream().map(Frames::map).toList();
    }

    /** A position as JSON text for subscribe/poll frames. */
    public static String position(String epoch, String offset) {
        return "{\"epoch\":\"" + epoch + "\",\"offset\":\"" + offset + "\"}";
    }
}
