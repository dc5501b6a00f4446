package io.tally.standin;

import io.tally.testing.Await;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The per-instance nginx of a Beanstalk instance: platform config plus our .platform files. */
public final class NginxInstance {
    private final String name;
    private final Path prefix;
    private final int port;
    private final Path nginxConf;
    private Proc proc;

    public NginxInstance(String name, BeanstalkNginx layout, Path prefix, int port) {
        this.name = name;
        this.prefix = prefix;
        this.port = port;
        this.nginxConf = layout.listenPort(port).writeTo(prefix);
    }

    public int port() {
        return port;
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public Path prefix() {
        return prefix;
    }

    /** {@code nginx -t} first, so a bad .platform file fails with nginx's own message. */
    public synchronized void start() {
        Proc.Result t = BeanstalkNginx.test(nginxConf);
        if (t.status() != 0) throw new IllegalStateException("nginx -t failed for " + nginxConf + ":\n" + t.output());
        proc = Proc.start(
                name, BeanstalkNginx.runCommand(nginxConf), prefix, Map.of(), prefix.resolve("logs/nginx.out"));
    }

    /** Ready when it answers HTTP at all (whatever Tomcat behind it says). */
    public void awaitListening(Duration timeout) {
        Proc p = proc;
        Await.until(name + " listening on " + port, timeout, () -> {
            p.checkAlive();
            RawHttp.get(url(), "/", Map.of(), 2_000);
            return true;
        });
    }

    public synchronized void pause() {
        proc.pause();
    }

    public synchronized void resume() {
        if (proc != null) proc.resume();
    }

    public synchronized boolean isRunning() {
        return proc != null && proc.isAlive();
    }

    public synchronized void stop() {
        if (proc != null) proc.stop(5_000);
    }
}
