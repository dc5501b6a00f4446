package io.tally.standin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How to build a stand-in. Defaults mirror a Beanstalk environment made from our .ebextensions. */
public final class StandInOptions {
    int instances = 2;
    boolean sticky = true;
    boolean brokenProxy;
    boolean platformNginx = true;
    int nginxWorkerConnections;
    Duration nginxDefaultReadTimeout;
    Duration idleTimeout = Duration.ofSeconds(60);
    Duration healthInterval = Duration.ofSeconds(1);
    Duration startTimeout = Duration.ofSeconds(120); // ~5 s normally; generous for loaded CI machines
    String healthPath = "/healthz";
    String adminToken = "standin-admin-token";
    List<String> tomcatLines = List.of("11", "10.1");
    final Map<String, String> env = new LinkedHashMap<>();
    Boolean redis;
    boolean ebextensions = true;
    Path projectDir;
    Path war;
    Path runDir;

    public static StandInOptions defaults() {
        return new StandInOptions();
    }

    /** Number of instances (each nginx + Tomcat); Tomcat lines alternate 11, 10.1, 11, … */
    public StandInOptions instances(int n) {
        if (n < 1) throw new IllegalArgumentException("instances must be at least 1");
        this.instances = n;
        return this;
    }

    /** AWSALB cookie stickiness at the balancer (on in our .ebextensions). */
    public StandInOptions sticky(boolean on) {
        this.sticky = on;
        return this;
    }

    /** nginx strips Upgrade and Connection like a misconfigured proxy: WebSocket fails, polling works. */
    public StandInOptions brokenProxy(boolean on) {
        this.brokenProxy = on;
        return this;
    }

    /**
     * false: nginx runs the platform's files only, none of our .platform/nginx ones, as when the
     * upload lacked them (a bare WAR) or the platform ignored them.
     */
    public StandInOptions platformNginx(boolean apply) {
        this.platformNginx = apply;
        return this;
    }

    /** nginx's worker_connections instead of what nginx.conf says (e.g. 16, to run out of connections). */
    public StandInOptions nginxWorkerConnections(int n) {
        if (n < 1) throw new IllegalArgumentException("worker_connections must be at least 1");
        this.nginxWorkerConnections = n;
        return this;
    }

    /**
     * nginx's built-in proxy_read_timeout (60 s) shortened, to stand for the platform default in a
     * fast test. Like the real default, it only applies where no file sets proxy_read_timeout.
     */
    public StandInOptions nginxDefaultReadTimeout(Duration d) {
        this.nginxDefaultReadTimeout = d;
        return this;
    }

    /** Balancer idle timeout (client, server and tunnel); 60 s is the ALB default. */
    public StandInOptions idleTimeout(Duration d) {
        this.idleTimeout = d;
        return this;
    }

    /** Time between the balancer's health checks (ALB: 10 s in our .ebextensions; short here for tests). */
    public StandInOptions healthInterval(Duration d) {
        this.healthInterval = d;
        return this;
    }

    public StandInOptions startTimeout(Duration d) {
        this.startTimeout = d;
        return this;
    }

    /** Path that must answer 200 for an instance to be healthy (our HealthCheckPath). */
    public StandInOptions healthPath(String path) {
        this.healthPath = path;
        return this;
    }

    public StandInOptions adminToken(String token) {
        this.adminToken = token;
        return this;
    }

    /**
     * Whether to run Redis and give the instances REDIS_URL. Default (null): only when the WAR has a
     * Redis broker (classes under io/tally/realtime/broker/redis/), because the app refuses to start
     * with a REDIS_URL it cannot use.
     */
    public StandInOptions redis(Boolean on) {
        this.redis = on;
        return this;
    }

    /**
     * Apply our .ebextensions as Beanstalk would (default on): the JVM options become Tomcat's
     * CATALINA_OPTS and the environment properties its environment. Options set with
     * {@link #env} win, as console values win on Beanstalk.
     */
    public StandInOptions ebextensions(boolean apply) {
        this.ebextensions = apply;
        return this;
    }

    /** Tomcat lines to cycle through, e.g. ("11") for Tomcat 11 only. */
    public StandInOptions tomcatLines(String... lines) {
        this.tomcatLines = List.of(lines);
        return this;
    }

    /** An extra environment variable for every Tomcat (e.g. TALLY_HEARTBEAT_MS). */
    public StandInOptions env(String name, String value) {
        this.env.put(name, value);
        return this;
    }

    /** The directory with pom.xml and .platform/ (default: found from the working directory). */
    public StandInOptions projectDir(Path dir) {
        this.projectDir = dir;
        return this;
    }

    /** The WAR to deploy as ROOT.war (default target/tally.war). */
    public StandInOptions war(Path war) {
        this.war = war;
        return this;
    }

    /** Where logs and instance directories go (default target/standin/run-TIMESTAMP). */
    public StandInOptions runDir(Path dir) {
        this.runDir = dir;
        return this;
    }

    Path resolvedProjectDir() {
        if (projectDir != null) return projectDir.toAbsolutePath();
        String configured = System.getProperty("tally.basedir");
        if (configured != null) return Path.of(configured).toAbsolutePath();
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve(".platform"))) return p;
        }
        throw new IllegalStateException("cannot find the project (pom.xml next to .platform/) from "
                + Path.of("").toAbsolutePath() + "; set -Dtally.basedir");
    }

    boolean resolvedRedis(Path war) {
        if (redis != null) return redis;
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(war.toFile())) {
            return zip.stream()
                    .anyMatch(e -> e.getName().startsWith("WEB-INF/classes/io/tally/realtime/broker/redis/"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + war, e);
        }
    }

    Path resolvedWar(Path project) {
        return war != null ? war.toAbsolutePath() : project.resolve("target/tally.war");
    }

    Path resolvedRunDir(Path project) {
        if (runDir != null) return runDir.toAbsolutePath();
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
        return project.resolve(
                "target/standin/run-" + stamp + "-" + ProcessHandle.current().pid());
    }
}
