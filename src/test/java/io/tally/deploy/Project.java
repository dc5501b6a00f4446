package io.tally.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Locates the project's deployment files from the working directory (Maven runs tests in the basedir). */
final class Project {
    private Project() {}

    static Path dir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve(".ebextensions"))) return p;
        }
        throw new IllegalStateException(
                "project with .ebextensions/ not found above " + Path.of("").toAbsolutePath());
    }

    static List<Path> ebextensions() {
        return files(dir().resolve(".ebextensions"), ".config");
    }

    /** Regular files under {@code root} whose names end with {@code suffix}, sorted. */
    static List<Path> files(Path root, String suffix) {
        if (!Files.isDirectory(root)) return List.of();
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(suffix))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
