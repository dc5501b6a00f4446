package io.tally.standin;

import io.tally.testing.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One Tomcat from the official distribution with the WAR as webapps/ROOT.war, as on a Beanstalk
 * instance, in its own CATALINA_BASE with templated ports. Runs in the foreground
 * ({@code catalina.sh run}, which execs java) so the stand-in owns the JVM process.
 */
public final class TomcatInstance {
    private final String name;
    private final TomcatDistribution dist;
    private final Path base;
    private final int port;
    private final Map<String, String> env;
    private final String healthPath;
    private Proc proc;
    private long logOffset; // where this run's part of catalina.out starts (restarts append to it)

    /** @param connectorHook the project's predeploy hook that edits server.xml, run on this copy; null for none */
    public TomcatInstance(
            String name,
            TomcatDistribution dist,
            Path base,
            int port,
            Path war,
            Map<String, String> env,
            String healthPath,
            Path connectorHook) {
        this.name = name;
        this.dist = dist;
        this.base = base;
        this.port = port;
        this.env = new LinkedHashMap<>(env);
        this.healthPath = healthPath;
        prepareBase(war, connectorHook);
    }

    public String name() {
        return name;
    }

    public String version() {
        return dist.version();
    }

    public int port() {
        return port;
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public Path base() {
        return base;
    }

    private void prepareBase(Path war, Path connectorHook) {
        try {
            for (String d : List.of("logs", "temp", "work", "webapps")) Files.createDirectories(base.resolve(d));
            Path conf = base.resolve("conf");
            Files.createDirectories(conf);
            try (Stream<Path> files = Files.list(dist.home().resolve("conf"))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(f, conf.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Path serverXml = conf.resolve("server.xml");
            if (connectorHook != null) runConnectorHook(connectorHook, serverXml);
            Files.writeString(serverXml, templateServerXml(Files.readString(serverXml), port));
            Files.copy(war, base.resolve("webapps/ROOT.war"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare CATALINA_BASE " + base, e);
        }
    }

    /**
     * Runs the project's connector hook on the stock server.xml, as a deployment does on the
     * platform's, and checks that it took: the stand-in's Tomcat then starts with those attributes.
     */
    private void runConnectorHook(Path hook, Path serverXml) throws IOException {
        Proc.Result r =
                Proc.run(List.of("env", "TALLY_SERVER_XML=" + serverXml, "bash", hook.toString()), base, 30_000);
        if (r.status() != 0 || !Files.readString(serverXml).contains("maxConnections=")) {
            throw new IllegalStateException("connector hook did not apply (" + r.status() + "): " + r.output());
        }
    }

    /**
     * The stock server.xml hard-codes the shutdown port 8005 and the HTTP port 8080. The shutdown
     * port is switched off (-1: we stop Tomcat with a signal) and the connector is bound to
     * loopback on our port. Fails if the stock file changed shape, rather than running on 8080.
     */
    static String templateServerXml(String xml, int port) {
        String shutdown = "<Server port=\"8005\"";
        String connector = "<Connector port=\"8080\"";
        if (!xml.contains(shutdown) || !xml.contains(connector)) {
            throw new IllegalStateException("server.xml has no " + shutdown + " / " + connector);
        }
        return xml.replace(shutdown, "<Server port=\"-1\"")
                .replace(connector, "<Connector address=\"127.0.0.1\" port=\"" + port + "\"");
    }

    /** Starts the JVM and waits until {@code healthPath} answers 200. */
    public synchronized void start(Duration timeout) {
        startProcess();
        awaitHealthy(timeout);
    }

    synchronized void startProcess() {
        if (proc != null && proc.isAlive()) return;
        try {
            logOffset = Files.exists(log()) ? Files.size(log()) : 0;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        Map<String, String> e = new LinkedHashMap<>();
        e.put("JAVA_HOME", System.getProperty("java.home"));
        e.put("CATALINA_HOME", dist.home().toString());
        e.put("CATALINA_BASE", base.toString());
        e.put("CATALINA_PID", ""); // no pid file: we hold the process
        e.put("CATALINA_OPTS", env.getOrDefault("CATALINA_OPTS", "-Xms64m -Xmx256m"));
        e.putAll(env);
        proc = Proc.start(
                name,
                List.of(dist.home().resolve("bin/catalina.sh").toString(), "run"),
                base,
                e,
                base.resolve("logs/catalina.out"));
    }

    synchronized void awaitHealthy(Duration timeout) {
        Proc p = proc;
        Await.until(name + " (Tomcat " + dist.version() + ") " + healthPath + " = 200", timeout, () -> {
            p.checkAlive();
            failIfAppFailed();
            return RawHttp.get(url(), healthPath, Map.of(), 2_000).status() == 200;
        });
    }

    /** Tomcat keeps running when the webapp fails to start: fail at once, with the reason, instead of timing out. */
    private void failIfAppFailed() throws IOException {
        Path out = log();
        String text = Files.exists(out) ? Files.readString(out) : "";
        if (text.length() > logOffset
                && text.substring((int) logOffset).contains("startup failed due to previous errors")) {
            StringBuilder why = new StringBuilder();
            try (Stream<Path> logs = Files.list(base.resolve("logs"))) {
                for (Path l : logs.filter(f -> f.getFileName().toString().startsWith("localhost."))
                        .toList()) {
                    why.append(Proc.tail(l, 15)).append('\n');
                }
            }
            throw new IllegalStateException("the webapp failed to start in " + name + " (" + base + "/logs):\n" + why);
        }
    }

    /** kill -9: no shutdown hook, no drain, connections reset, like a crashed instance. */
    public synchronized void kill() {
        if (proc != null) proc.kill();
    }

    /** SIGTERM: Tomcat and the app shut down properly (the app drains), up to {@code grace}. */
    public synchronized void stop(Duration grace) {
        if (proc != null) proc.stop(grace.toMillis());
    }

    public synchronized long pid() {
        return proc != null && proc.isAlive() ? proc.pid() : -1;
    }

    public synchronized boolean isRunning() {
        return proc != null && proc.isAlive();
    }

    public synchronized Path log() {
        return base.resolve("logs/catalina.out");
    }
}
