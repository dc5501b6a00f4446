package io.tally.testing;

import io.tally.realtime.Realtime;
import io.tally.scoreboard.wiring.Scoreboard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.servlets.DefaultServlet;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanner;

/**
 * Tally on embedded Tomcat 11, as the WAR runs: {@code webapp/} as the document root, its
 * {@code WEB-INF/web.xml} starting {@code TallyBootstrap}, settings passed as context parameters
 * (which override environment variables), and a scorer token generated when none is set. Binds
 * 127.0.0.1; port 0 picks a free port.
 */
public final class TallyServer implements AutoCloseable {
    private final Tomcat tomcat;
    private final Context context;
    private final Path baseDir;
    private final int port;

    private TallyServer(Tomcat tomcat, Context context, Path baseDir) {
        this.tomcat = tomcat;
        this.context = context;
        this.baseDir = baseDir;
        this.port = tomcat.getConnector().getLocalPort();
    }

    public static TallyServer start(Map<String, String> settings) {
        return start("127.0.0.1", 0, settings);
    }

    public static TallyServer start(String host, int port, Map<String, String> settings) {
        return start(host, port, settings, Map.of(), context -> {});
    }

    /**
     * With Tomcat connector properties (e.g. {@code maxConnections}) and a last look at the context
     * before it starts (extra servlets for benchmarks).
     */
    public static TallyServer start(
            String host,
            int port,
            Map<String, String> settings,
            Map<String, String> connectorProperties,
            Consumer<Context> customizer) {
        try {
            Path baseDir = Files.createTempDirectory("tally-tomcat-");
            Tomcat tomcat = new Tomcat();
            tomcat.setBaseDir(baseDir.toString());
            Connector connector = new Connector();
            connector.setPort(port);
            connector.setProperty("address", host);
            connectorProperties.forEach((k, v) -> {
                if (!connector.setProperty(k, v)) throw new IllegalArgumentException("unknown connector property " + k);
            });
            tomcat.setConnector(connector);
            tomcat.getHost().setAutoDeploy(false);
            tomcat.setAddDefaultWebXmlToWebapp(false); // no JSP servlet: it is not on the classpath
            Path docBase = webappDir();
            Context context = tomcat.addWebapp("", docBase.toString());
            // Share our classes with the webapp (no WEB-INF/classes copy), also under exec:java's class loader.
            context.setParentClassLoader(TallyServer.class.getClassLoader());
            StandardJarScanner scanner = new StandardJarScanner();
            scanner.setScanClassPath(false); // the test classpath holds no web fragments; skip scanning it
            context.setJarScanner(scanner);
            Tomcat.addDefaultMimeTypeMappings(context);
            Wrapper files = Tomcat.addServlet(context, "default", new DefaultServlet());
            files.setLoadOnStartup(1);
            context.addServletMappingDecoded("/", "default");
            settings.forEach(context::addParameter);
            // A run in tests, benchmarks or LocalServer without TALLY_ADMIN_TOKEN generates one (a deployed
            // WAR refuses to start); pass the parameter as "false" to start as a deployment does.
            if (!settings.containsKey(Scoreboard.GENERATE_TOKEN_PARAMETER))
                context.addParameter(Scoreboard.GENERATE_TOKEN_PARAMETER, "true");
            customizer.accept(context);
            tomcat.start();
            if (!context.getState().isAvailable()) {
                tomcat.stop();
                tomcat.destroy();
                throw new IllegalStateException("Tally failed to start; see the log above");
            }
            return new TallyServer(tomcat, context, baseDir);
        } catch (IOException | LifecycleException e) {
            throw new IllegalStateException("cannot start embedded Tomcat", e);
        }
    }

    /** The WAR's web root: {@code webapp/} of the project, found from the working directory up. */
    public static Path webappDir() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("webapp");
            if (Files.isRegularFile(candidate.resolve("WEB-INF/web.xml"))) return candidate;
            dir = dir.getParent();
        }
        throw new IllegalStateException(
                "webapp/WEB-INF/web.xml not found from " + Path.of("").toAbsolutePath());
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public String wsUrl() {
        return "ws://127.0.0.1:" + port + "/live/ws";
    }

    /**
     * Lets viewers reach every room: the protocol's tests subscribe to rooms before their first
     * message, which the scoreboard's room directory would answer with unknown-room.
     */
    public TallyServer withOpenRooms() {
        realtime().rooms(room -> true);
        return this;
    }

    public Realtime realtime() {
        return (Realtime) context.getServletContext().getAttribute(Realtime.class.getName());
    }

    public void stop() {
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            throw new IllegalStateException(e);
        } finally {
            deleteQuietly(baseDir);
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A temp directory; the OS cleans it eventually.
        }
    }
}
