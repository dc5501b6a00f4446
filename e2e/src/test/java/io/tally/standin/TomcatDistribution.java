package io.tally.standin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The official Apache Tomcat distribution ({@code org.apache.tomcat:tomcat:VERSION:zip} from Maven
 * Central), unpacked once as a shared CATALINA_HOME. Each instance gets its own CATALINA_BASE.
 */
public final class TomcatDistribution {
    private static final Pattern ZIP = Pattern.compile("tomcat-(\\d+)\\.(\\d+)\\.(\\d+)\\.zip");

    private final String version;
    private final Path home;

    private TomcatDistribution(String version, Path home) {
        this.version = version;
        this.home = home;
    }

    public String version() {
        return version;
    }

    public int major() {
        return Integer.parseInt(version.substring(0, version.indexOf('.')));
    }

    public Path home() {
        return home;
    }

    /**
     * Finds the newest zip of a line ("11" or "10.1") in {@code distDir} (filled by the pom's
     * maven-dependency-plugin during test-compile) and unpacks it under {@code unpackDir}.
     */
    public static TomcatDistribution of(String line, Path distDir, Path unpackDir) {
        Path zip = newest(line, distDir)
                .orElseThrow(() -> new IllegalStateException("no Tomcat " + line + " zip in " + distDir
                        + ": run `mvn -q test-compile` (it copies" + " org.apache.tomcat:tomcat zips there)"));
        Matcher m = ZIP.matcher(zip.getFileName().toString());
        if (!m.matches()) throw new IllegalStateException("unexpected file name " + zip);
        String version = m.group(1) + "." + m.group(2) + "." + m.group(3);
        Path home = unpackDir.resolve("apache-tomcat-" + version);
        if (!Files.isRegularFile(home.resolve("bin/catalina.sh"))) unpack(zip, home);
        return new TomcatDistribution(version, home);
    }

    static Optional<Path> newest(String line, Path distDir) {
        if (!Files.isDirectory(distDir)) return Optional.empty();
        try (Stream<Path> s = Files.list(distDir)) {
            return s.filter(p -> {
                        Matcher m = ZIP.matcher(p.getFileName().toString());
                        return m.matches() && (m.group(1) + "." + m.group(2) + ".").startsWith(line + ".");
                    })
                    .max(Comparator.comparing(TomcatDistribution::versionKey));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long versionKey(Path p) {
        Matcher m = ZIP.matcher(p.getFileName().toString());
        if (!m.matches()) return -1;
        return Long.parseLong(m.group(1)) * 1_000_000 + Long.parseLong(m.group(2)) * 1_000 + Long.parseLong(m.group(3));
    }

    /** Unpacks into a temp dir next to the target, then renames: concurrent runs never see half a Tomcat. */
    private static void unpack(Path zip, Path home) {
        try {
            Files.createDirectories(home.getParent());
            Path tmp = Files.createTempDirectory(home.getParent(), "unpack-");
            try (InputStream raw = Files.newInputStream(zip);
                    ZipInputStream in = new ZipInputStream(raw)) {
                ZipEntry e;
                while ((e = in.getNextEntry()) != null) {
                    // The zip holds one top-level folder apache-tomcat-VERSION/: strip it.
                    String name = e.getName();
                    int slash = name.indexOf('/');
                    String rel = slash >= 0 ? name.substring(slash + 1) : name;
                    if (rel.isEmpty()) continue;
                    Path out = tmp.resolve(rel).normalize();
                    if (!out.startsWith(tmp)) throw new IOException("zip entry escapes: " + name);
                    if (e.isDirectory()) {
                        Files.createDirectories(out);
                    } else {
                        Files.createDirectories(out.getParent());
                        Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            // Zip entries carry no run bit for java.util.zip: the scripts need it.
            try (Stream<Path> scripts = Files.list(tmp.resolve("bin"))) {
                for (Path sh : scripts.filter(p -> p.toString().endsWith(".sh")).toList())
                    sh.toFile().setExecutable(true, false);
            }
            try {
                Files.move(tmp, home, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException raced) {
                deleteTree(tmp); // another run unpacked it first
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, home);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + zip, e);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
