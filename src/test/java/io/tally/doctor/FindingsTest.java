package io.tally.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The catalogue and its clients agree: every id a client names exists, every entry is named by one. */
class FindingsTest {
    /** A quoted string that looks like a finding id: a check's prefix, a dot, a name. */
    private static final Pattern ID = Pattern.compile(
            "[\"'](skipped|(?:websocket|polling|needs|rtt|capacity|idle|platform|doctor|config|redis|tls)\\.[a-z-]+)[\"']");

    @Test
    void everyFindingHasASeverityATitleAndAFix() {
        Map<String, Findings.Finding> all = Findings.all();
        assertTrue(all.size() > 20, all.keySet().toString());
        for (Findings.Finding f : all.values()) {
            assertTrue(Set.of("warn", "fail").contains(f.severity()), f.id() + ": " + f.severity());
            assertTrue(!f.title().isBlank() && !f.fix().isBlank(), f.id());
            for (String link : f.docs()) assertTrue(link.startsWith("https://"), f.id() + ": " + link);
        }
        assertThrows(IllegalArgumentException.class, () -> Findings.fix("no.such-finding"));
    }

    @Test
    void theClientsNameOnlyFindingsOfTheCatalogueAndEachIsNamed() throws IOException {
        Set<String> named = new TreeSet<>();
        named.addAll(idsIn(Path.of("src/main/java/io/tally/doctor"), ".java"));
        Set<String> page = idsIn(Path.of("webapp/doctor"), ".js");
        assertTrue(page.contains("websocket.upgrade-stripped"), page.toString());
        named.addAll(page);
        // Constants of Findings name their ids once, in Findings itself.
        for (String id : named) assertTrue(Findings.all().containsKey(id), "not in findings.json: " + id);
        Set<String> unused = new TreeSet<>(Findings.all().keySet());
        unused.removeAll(named);
        assertEquals(Set.of(), unused, "findings no client reports");
    }

    @Test
    void theApiServesTheCatalogueAndItsFixTexts() {
        Map<String, Object> json = Findings.json();
        assertTrue(json.get("findings") instanceof Map<?, ?> m && m.containsKey(Findings.PLATFORM_NGINX));
        assertEquals(Findings.fix(Findings.PLATFORM_CUT), ((Map<?, ?>) json.get("fixes")).get(Findings.PLATFORM_CUT));
    }

    private static Set<String> idsIn(Path dir, String suffix) throws IOException {
        Set<String> ids = new TreeSet<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(p -> p.toString().endsWith(suffix)).toList()) {
                Matcher m = ID.matcher(Files.readString(p));
                while (m.find()) ids.add(m.group(1));
            }
        }
        return ids;
    }
}
