package io.tally.observability;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Reads Prometheus text in tests: samples by their full name with labels, and a check of the format. */
final class Exposition {
    private final Map<String, Double> samples = new LinkedHashMap<>();

    Exposition(String text) {
        Set<String> typed = new HashSet<>();
        Set<String> helped = new HashSet<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ")) {
                helped.add(line.split(" ")[2]);
            } else if (line.startsWith("# TYPE ")) {
                String[] p = line.split(" ");
                if (!Set.of("counter", "gauge", "histogram", "summary").contains(p[3]))
                    throw new AssertionError("bad type: " + line);
                typed.add(p[2]);
            } else if (!line.isBlank()) {
                int space = line.lastIndexOf(' ');
                String key = line.substring(0, space);
                String name = key.contains("{") ? key.substring(0, key.indexOf('{')) : key;
                String family = typed.contains(name) ? name : name.replaceFirst("_(bucket|sum|count)$", "");
                if (!typed.contains(family) || !helped.contains(family))
                    throw new AssertionError("sample without HELP/TYPE: " + line);
                if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) throw new AssertionError("bad metric name: " + line);
                String v = line.substring(space + 1);
                samples.put(key, v.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(v));
            }
        }
    }

    /** The value of a sample, e.g. {@code tally_connections{transport="websocket"}}; fails if absent. */
    double get(String key) {
        Double v = samples.get(key);
        if (v == null) throw new AssertionError("no sample " + key + " in " + samples.keySet());
        return v;
    }

    boolean has(String key) {
        return samples.containsKey(key);
    }
}
