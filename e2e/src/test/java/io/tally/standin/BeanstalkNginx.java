package io.tally.standin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Lays out an nginx prefix directory the way Elastic Beanstalk lays out /etc/nginx on an Amazon
 * Linux 2023 instance: the platform's nginx.conf (or ours, when the project ships
 * .platform/nginx/nginx.conf), conf.d/ with the platform's health log format plus our
 * .platform/nginx/conf.d files, and conf.d/elasticbeanstalk/ with the generated 00_application.conf,
 * the health log (healthd.conf) and ours. The platform defaults are reconstructed in
 * src/test/resources/beanstalk (see the reference notes). Absolute paths are rewritten into the
 * prefix so an unprivileged, throwaway nginx can run it; ports are templated.
 */
public final class BeanstalkNginx {
    private static final Pattern USER = Pattern.compile("(?m)^\\s*user\\s+[^;]*;");
    /**
     * The platform's {@code user nginx;} cannot apply here. Started as root, the workers would
     * otherwise switch to nobody and could not open the per-hour health log when the run directory
     * sits under a private one (a checkout in a 0700 temporary directory): they stay root, like the
     * master. Started as anyone else, nginx cannot switch users at all.
     */
    private static final String WORKER_USER = "root".equals(System.getProperty("user.name"))
            ? "user root; # the stand-in's workers keep the master's user"
            : "# user: dropped by the stand-in (no root)";

    private static final Pattern PID = Pattern.compile("(?m)^(\\s*pid\\s+)[^;]+;");
    private static final Pattern LISTEN_80 = Pattern.compile("(listen\\s+)80(?=[\\s;])");
    private static final Pattern WORKER_CONNECTIONS = Pattern.compile("(?m)^(\\s*worker_connections\\s+)\\d+;");
    private static final Pattern READ_TIMEOUT = Pattern.compile("(?m)^\\s*proxy_read_timeout\\s");
    private static final Pattern UPGRADE_HEADERS =
            Pattern.compile("(?m)(proxy_set_header\\s+(?:Upgrade|Connection)\\s+)[^;]+;");

    private final Path projectDir;
    private boolean shippedMainConf = true;
    private int listenPort = 80;
    private int upstreamPort = 8080;
    private boolean brokenProxy;
    private boolean platformFiles = true;
    private int workerConnections;
    private java.time.Duration defaultReadTimeout;

    /** @param projectDir the directory holding {@code .platform/} */
    public BeanstalkNginx(Path projectDir) {
        this.projectDir = projectDir;
    }

    /** false: use the platform's default nginx.conf even when we ship one (proves conf.d alone works). */
    public BeanstalkNginx shippedMainConf(boolean use) {
        this.shippedMainConf = use;
        return this;
    }

    public BeanstalkNginx listenPort(int port) {
        this.listenPort = port;
        return this;
    }

    /** Where Tomcat listens; Beanstalk's is 8080. */
    public BeanstalkNginx upstreamPort(int port) {
        this.upstreamPort = port;
        return this;
    }

    /** A misconfigured proxy: every Upgrade and Connection header sent to Tomcat is emptied (not sent). */
    public BeanstalkNginx brokenProxy(boolean broken) {
        this.brokenProxy = broken;
        return this;
    }

    /** false: none of our .platform/nginx files, only the platform's (a bare WAR, or files the platform ignored). */
    public BeanstalkNginx platformFiles(boolean apply) {
        this.platformFiles = apply;
        return this;
    }

    /** worker_connections instead of the main nginx.conf's (0: as written). */
    public BeanstalkNginx workerConnections(int n) {
        this.workerConnections = n;
        return this;
    }

    /**
     * Stands for nginx's built-in proxy_read_timeout (60 s) where no http-level file sets one; null:
     * nginx's own. (A stand-in file cannot set it next to ours: nginx refuses a duplicate directive.)
     */
    public BeanstalkNginx defaultReadTimeout(java.time.Duration d) {
        this.defaultReadTimeout = d;
        return this;
    }

    public Path platformNginxDir() {
        return projectDir.resolve(".platform/nginx");
    }

    /** Writes the layout under {@code prefix} and returns its nginx.conf. */
    public Path writeTo(Path prefix) {
        try {
            Path confD = prefix.resolve("conf.d");
            Path eb = confD.resolve("elasticbeanstalk");
            Files.createDirectories(eb);
            Files.createDirectories(prefix.resolve("logs"));
            // Logs with variables in their path are opened by the workers, which may run as another
            // user than the master (nobody, when started as root).
            Path healthd = Files.createDirectories(prefix.resolve("logs/healthd"));
            healthd.toFile().setWritable(true, false);
            healthd.toFile().setExecutable(true, false);
            Files.createDirectories(prefix.resolve("tmp"));
            // nginx writes a log whose path has variables only if the server's root exists
            // (PREFIX/html by default; the instance has its distribution's html directory).
            Files.createDirectories(prefix.resolve("html"));
            Path ours = platformNginxDir();

            Path shipped = ours.resolve("nginx.conf");
            String main = platformFiles && shippedMainConf && Files.isRegularFile(shipped)
                    ? Files.readString(shipped, StandardCharsets.UTF_8)
                    : resource("nginx.conf");
            if (workerConnections > 0)
                main = WORKER_CONNECTIONS.matcher(main).replaceAll("$1" + workerConnections + ";");
            List<Path> oursHttp = platformFiles ? confFiles(ours.resolve("conf.d")) : List.of();
            List<Path> oursServer = platformFiles ? confFiles(ours.resolve("conf.d/elasticbeanstalk")) : List.of();
            Path nginxConf = prefix.resolve("nginx.conf");
            write(nginxConf, main, prefix);
            write(prefix.resolve("mime.types"), mimeTypes(), prefix);

            // The platform's own http-level files, then ours next to them.
            String local = localPaths(prefix);
            if (defaultReadTimeout != null && !setsReadTimeout(main, oursHttp)) {
                local += "# Stand-in only: nginx's built-in 60 s proxy_read_timeout, shortened for a fast test.\n"
                        + "proxy_read_timeout " + defaultReadTimeout.toMillis() + "ms;\n";
            }
            write(confD.resolve("00-standin-local-paths.conf"), local, prefix);
            write(confD.resolve("healthd_logformat.conf"), resource("healthd_logformat.conf"), prefix);
            for (Path f : oursHttp) write(confD.resolve(f.getFileName()), Files.readString(f), prefix);

            write(eb.resolve("00_application.conf"), resource("00_application.conf"), prefix);
            write(eb.resolve("healthd.conf"), resource("healthd.conf"), prefix);
            for (Path f : oursServer) {
                write(eb.resolve(f.getFileName()), Files.readString(f), prefix);
            }
            return nginxConf;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lay out nginx in " + prefix, e);
        }
    }

    /** {@code nginx -t} on a written layout; the result holds nginx's own messages. */
    public static Proc.Result test(Path nginxConf) {
        Path prefix = nginxConf.getParent();
        return Proc.run(
                List.of(
                        nginxBinary(),
                        "-t",
                        "-p",
                        prefix + "/",
                        "-c",
                        nginxConf.toString(),
                        "-e",
                        prefix.resolve("logs/error.log").toString()),
                prefix,
                30_000);
    }

    /** The command that runs a written layout in the foreground (so the stand-in owns the process). */
    public static List<String> runCommand(Path nginxConf) {
        Path prefix = nginxConf.getParent();
        return List.of(
                nginxBinary(),
                "-p",
                prefix + "/",
                "-c",
                nginxConf.toString(),
                "-e",
                prefix.resolve("logs/error.log").toString(),
                "-g",
                "daemon off;");
    }

    public static String nginxBinary() {
        String configured = System.getProperty("standin.nginx");
        if (configured != null) return configured;
        return Files.isExecutable(Path.of("/usr/sbin/nginx")) ? "/usr/sbin/nginx" : "nginx";
    }

    private static boolean setsReadTimeout(String main, List<Path> httpFiles) throws IOException {
        if (READ_TIMEOUT.matcher(main).find()) return true;
        for (Path f : httpFiles) if (READ_TIMEOUT.matcher(Files.readString(f)).find()) return true;
        return false;
    }

    /** .conf files of one directory (not its subdirectories), sorted like nginx's glob include. */
    static List<Path> confFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".conf"))
                    .sorted()
                    .toList();
        }
    }

    private void write(Path target, String text, Path prefix) throws IOException {
        String p = prefix.toAbsolutePath().toString();
        String s = USER.matcher(text).replaceAll(Matcher.quoteReplacement(WORKER_USER));
        s = PID.matcher(s).replaceAll(Matcher.quoteReplacement("pid " + p + "/nginx.pid;"));
        s = s.replace("/var/log/nginx/", p + "/logs/").replace("/etc/nginx/", p + "/");
        s = LISTEN_80.matcher(s).replaceAll(Matcher.quoteReplacement("listen 127.0.0.1:" + listenPort));
        s = s.replace("127.0.0.1:8080", "127.0.0.1:" + upstreamPort);
        if (brokenProxy) s = UPGRADE_HEADERS.matcher(s).replaceAll("$1\"\";");
        Files.writeString(target, s, StandardCharsets.UTF_8);
    }

    private static String localPaths(Path prefix) {
        String t = prefix.toAbsolutePath().resolve("tmp").toString();
        List<String> lines = new ArrayList<>();
        lines.add("# Stand-in only: temp files inside the prefix instead of the distribution's /var/lib/nginx.");
        for (String kind : List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi")) {
            lines.add(kind + "_temp_path " + t + "/" + kind + ";");
        }
        return String.join("\n", lines) + "\n";
    }

    private static String mimeTypes() throws IOException {
        Path system = Path.of("/etc/nginx/mime.types");
        if (Files.isReadable(system)) return Files.readString(system);
        return "types {\n    text/html html;\n    text/css css;\n    application/javascript js mjs;\n"
                + "    application/json json;\n    image/svg+xml svg;\n}\n";
    }

    /** A reconstructed platform default from src/test/resources/beanstalk (nginx.conf, 00_application.conf). */
    public static String resource(String name) throws IOException {
        try (InputStream in = BeanstalkNginx.class.getResourceAsStream("/beanstalk/" + name)) {
            if (in == null) throw new IOException("test resource beanstalk/" + name + " missing");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
