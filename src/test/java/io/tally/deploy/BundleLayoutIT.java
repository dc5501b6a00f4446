package io.tally.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The artefacts `mvn package` leaves in target/ (Failsafe runs after package): what a user uploads
 * in the console must carry our deployment files at its root, hooks runnable.
 */
class BundleLayoutIT {
    private final Path project = Project.dir();
    private final Path war = project.resolve("target/tally.war");
    private final Path bundle = project.resolve("target/tally-bundle.zip");

    /** Our deployment files, as paths relative to the project (.ebextensions/…, .platform/…). */
    private Set<String> deploymentFiles() {
        Set<String> out = new HashSet<>();
        for (String dir : List.of(".ebextensions", ".platform")) {
            for (Path p : Project.files(project.resolve(dir), ""))
                out.add(project.relativize(p).toString().replace('\\', '/'));
        }
        return out;
    }

    private static Set<String> entries(ZipFile zip, String prefix) {
        return zip.stream()
                .filter(e -> !e.isDirectory() && e.getName().startsWith(prefix))
                .map(ZipEntry::getName)
                .collect(Collectors.toSet());
    }

    /** Unix mode bits of an entry (stored in the upper 16 bits of the external attributes). */
    static int unixMode(Path zipFile, String entry) throws IOException {
        byte[] all = Files.readAllBytes(zipFile);
        byte[] name = entry.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        // Walk the central directory: signature 0x02014b50, fixed header 46 bytes.
        for (int i = 0; i + 46 < all.length; i++) {
            if (all[i] == 0x50 && all[i + 1] == 0x4b && all[i + 2] == 0x01 && all[i + 3] == 0x02) {
                int nameLen = u16(all, i + 28);
                int extLen = u16(all, i + 30);
                int commentLen = u16(all, i + 32);
                long external = u32(all, i + 38);
                if (nameLen == name.length
                        && java.util.Arrays.equals(all, i + 46, i + 46 + nameLen, name, 0, nameLen)) {
                    return (int) (external >>> 16);
                }
                i += 45 + nameLen + extLen + commentLen;
            }
        }
        throw new AssertionError(entry + " not in the central directory of " + zipFile);
    }

    private static int u16(byte[] b, int o) {
        return (b[o] & 0xff) | (b[o + 1] & 0xff) << 8;
    }

    private static long u32(byte[] b, int o) {
        return (u16(b, o) | (long) u16(b, o + 2) << 16) & 0xffffffffL;
    }

    @Test
    void warCarriesDeploymentFilesAtItsRootNextToWebInf() throws IOException {
        assertTrue(Files.isRegularFile(war), "run mvn package first: " + war);
        try (ZipFile zip = new ZipFile(war.toFile())) {
            Set<String> inWar = entries(zip, ".");
            assertEquals(deploymentFiles(), inWar);
            assertTrue(zip.getEntry("WEB-INF/web.xml") != null);
            assertTrue(
                    entries(zip, "WEB-INF/").stream().noneMatch(n -> n.contains(".ebextensions")),
                    ".ebextensions must not sit inside WEB-INF");
            for (String f : inWar)
                assertArrayEquals(
                        Files.readAllBytes(project.resolve(f)),
                        zip.getInputStream(zip.getEntry(f)).readAllBytes(),
                        f);
        }
    }

    @Test
    void bundleIsRootWarPlusDeploymentFiles() throws IOException {
        assertTrue(Files.isRegularFile(bundle), "run mvn package first: " + bundle);
        try (ZipFile zip = new ZipFile(bundle.toFile())) {
            Set<String> files = entries(zip, "");
            Set<String> expected = new HashSet<>(deploymentFiles());
            expected.add("ROOT.war");
            assertEquals(expected, files, "nothing else at the root: no wrapping folder, no stray files");
            assertArrayEquals(
                    Files.readAllBytes(war),
                    zip.getInputStream(zip.getEntry("ROOT.war")).readAllBytes(),
                    "ROOT.war is the tally.war of this build");
        }
    }

    @Test
    void hooksAreExecutableWithShebangAndLfInBothArtefacts() throws IOException {
        List<String> hooks = deploymentFiles().stream()
                .filter(f -> f.startsWith(".platform/hooks/") || f.startsWith(".platform/confighooks/"))
                .sorted()
                .toList();
        assertFalse(hooks.isEmpty());
        for (String h : hooks) {
            String text = Files.readString(project.resolve(h));
            assertTrue(text.startsWith("#!"), h + " needs a #! line");
            assertFalse(text.contains("\r"), h + " has CRLF");
            assertTrue(Files.isExecutable(project.resolve(h)), h + " in the source tree");
            for (Path artefact : List.of(war, bundle)) {
                int mode = unixMode(artefact, h);
                assertEquals(
                        0755,
                        mode & 0777,
                        h + " in " + artefact.getFileName() + " has mode " + Integer.toOctalString(mode));
            }
        }
    }
}
