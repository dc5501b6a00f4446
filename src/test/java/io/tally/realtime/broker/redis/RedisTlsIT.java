package io.tally.realtime.broker.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tally.realtime.UnavailableException;
import io.tally.realtime.broker.RecordingListener;
import io.tally.redis.RedisTarget;
import io.tally.testing.Await;
import io.tally.testing.Ports;
import io.tally.testing.RedisServer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code rediss://} with a password, as ElastiCache with in-transit encryption and AUTH: a redis-server
 * with TLS on, its certificate issued by a throwaway CA for the name "localhost" only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisTlsIT {
    private static final String PASSWORD = "tls-s3cret";
    private Path certs;
    private int tlsPort;
    private RedisServer redis;
    private SSLSocketFactory trustingTestCa;

    @BeforeAll
    void startTlsRedis() throws Exception {
        certs = Files.createDirectories(Path.of("target", "redis-tls-" + System.nanoTime()));
        Files.writeString(certs.resolve("san.ext"), "subjectAltName=DNS:localhost\n");
        openssl(
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "ca.key",
                "-out",
                "ca.crt",
                "-days",
                "1",
                "-subj",
                "/CN=tally-test-ca");
        openssl(
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "server.key",
                "-out",
                "server.csr",
                "-subj",
                "/CN=localhost");
        openssl(
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                "ca.crt",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                "server.crt",
                "-days",
                "1",
                "-extfile",
                "san.ext");
        tlsPort = Ports.free();
        redis = RedisServer.start(
                "--requirepass",
                PASSWORD,
                "--tls-port",
                Integer.toString(tlsPort),
                "--tls-cert-file",
                abs("server.crt"),
                "--tls-key-file",
                abs("server.key"),
                "--tls-ca-cert-file",
                abs("ca.crt"),
                "--tls-auth-clients",
                "no");
        trustingTestCa = trustOnly(certs.resolve("ca.crt"));
    }

    @AfterAll
    void stopRedis() {
        if (redis != null) redis.close();
    }

    private RedisBroker broker(String url, SSLSocketFactory trust, RecordingListener listener) {
        RedisTarget target = RedisTarget.parse(url, false);
        RedisBroker b = new RedisBroker(trust == null ? target : target.trusting(trust), "tls", 1_000);
        b.start(listener);
        return b;
    }

    @Test
    void publishAndDeliveryWorkOverTlsWithAuth() {
        RecordingListener listener = new RecordingListener();
        try (RedisBroker b = broker("rediss://:" + PASSWORD + "@localhost:" + tlsPort, trustingTestCa, listener)) {
            assertEquals("redis-tls", b.status().mode());
            b.watch("tls-room");
            b.publish("tls-room", "{\"n\":1}");
            listener.awaitPayload("tls-room", "{\"n\":1}", Duration.ofSeconds(10));
            Await.until(Duration.ofSeconds(10), () -> b.status().available(), () -> b.status()
                    .toString());
            assertFalse(b.status().detail().contains(PASSWORD));
        }
    }

    @Test
    void aCertificateForAnotherNameIsRefused() {
        // The certificate names "localhost", not "127.0.0.1": a TLS client that skipped this check would
        // accept any server holding any certificate from a trusted CA.
        try (RedisBroker b =
                broker("rediss://:" + PASSWORD + "@127.0.0.1:" + tlsPort, trustingTestCa, new RecordingListener())) {
            UnavailableException e = assertThrows(UnavailableException.class, () -> b.publish("tls-room", "{}"));
            assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
            assertFalse(b.status().available());
        }
    }

    @Test
    void aCertificateFromAnUntrustedCaIsRefused() {
        try (RedisBroker b = broker("rediss://:" + PASSWORD + "@localhost:" + tlsPort, null, new RecordingListener())) {
            assertThrows(UnavailableException.class, () -> b.publish("tls-room", "{}"));
        }
    }

    @Test
    void aWrongPasswordIsRefusedWithoutShowingIt() {
        try (RedisBroker b =
                broker("rediss://:wrong-pw@localhost:" + tlsPort, trustingTestCa, new RecordingListener())) {
            UnavailableException e = assertThrows(UnavailableException.class, () -> b.publish("tls-room", "{}"));
            assertFalse(e.getMessage().contains("wrong-pw"), e.getMessage());
            Await.until(Duration.ofSeconds(10), () -> !b.status().available(), () -> b.status()
                    .toString());
            assertFalse(b.status().detail().contains("wrong-pw"), b.status().detail());
        }
    }

    private String abs(String name) {
        return certs.resolve(name).toAbsolutePath().toString();
    }

    private void openssl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .directory(certs.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "openssl failed: " + out);
    }

    private static SSLSocketFactory trustOnly(Path caCert) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(caCert)) {
            ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx.getSocketFactory();
    }
}
