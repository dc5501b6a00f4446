package io.tally.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local run's start checks: a taken port is named before Tomcat tries it; the token survives restarts. */
class LocalServerTest {
    @TempDir
    Path tmp;

    @Test
    void aTakenPortIsNamedWithTheReason() throws Exception {
        try (ServerSocket other = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            String why = LocalServer.portTaken("127.0.0.1", other.getLocalPort());
            assertTrue(why != null && why.contains("127.0.0.1:" + other.getLocalPort()), why);
        }
        int free;
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            free = s.getLocalPort();
        }
        assertNull(LocalServer.portTaken("127.0.0.1", free));
    }

    @Test
    void theLocalTokenIsKeptAcrossRestartsAndReadableOnlyByItsOwner() throws Exception {
        Path file = tmp.resolve("target/tally-local-token");
        String first = LocalServer.localToken(file);
        assertTrue(first.length() >= 16, first);
        assertEquals(first, LocalServer.localToken(file), "a restart reads the same token");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        Files.writeString(file, "short\n");
        assertNotEquals("short", LocalServer.localToken(file), "a token too short to be accepted is replaced");
    }
}
