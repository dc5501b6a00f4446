package io.tally.doctor;

import io.tally.concurrent.DaemonThreads;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * {@code GET /doctor/api/hold?s=N}: answers after N seconds and sends nothing before, not even
 * headers. The doctor measures with it where the path really cuts a quiet request: nginx answers
 * 504 when its {@code proxy_read_timeout} runs out, the load balancer when its idle timeout does,
 * so the time and the answerer show which timeouts are in force, whatever the deployer configured.
 *
 * <p>Asynchronous (a held request holds no thread; one timer thread answers them all) and bounded:
 * at most {@link #MAX_HELD} at once per instance (429 beyond) for at most {@link #MAX_SECONDS}.
 */
final class SilentHoldServlet extends HttpServlet {
    /** Past the 300 s idle timeouts of our .platform and .ebextensions. */
    static final int MAX_SECONDS = 330;

    static final int MAX_HELD = 16;
    private static final Logger LOG = Logger.getLogger(SilentHoldServlet.class.getName());

    private final String instanceId;
    private final AtomicInteger held = new AtomicInteger();
    private final Set<AsyncContext> pending = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService timer;

    SilentHoldServlet(String instanceId) {
        this.instanceId = instanceId;
    }

    @Override
    public void init() {
        timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("tally-doctor-hold"));
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
        // Held requests end now rather than with the container's async timeout.
        for (AsyncContext ac : pending) answer(ac, 503, problem(503, "instance-stopping", "this instance is stopping"));
        try {
            if (!timer.awaitTermination(5, TimeUnit.SECONDS)) LOG.warning("hold timer did not stop within 5 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int seconds;
        try {
            seconds = Integer.parseInt(String.valueOf(request.getParameter("s")));
        } catch (NumberFormatException e) {
            seconds = -1;
        }
        if (seconds < 1 || seconds > MAX_SECONDS) {
            DoctorServlet.json(
                    response,
                    400,
                    problem(400, "bad-hold", "s must be a whole number of seconds from 1 to " + MAX_SECONDS));
            return;
        }
        if (held.incrementAndGet() > MAX_HELD) {
            held.decrementAndGet();
            DoctorServlet.json(
                    response,
                    429,
                    problem(
                            429,
                            "too-many-holds",
                            MAX_HELD + " silent requests are held on this instance already; try again when they end"));
            return;
        }
        AsyncContext ac;
        try {
            ac = request.startAsync();
        } catch (IllegalStateException e) {
            held.decrementAndGet();
            throw e;
        }
        AtomicBoolean released = new AtomicBoolean();
        ac.setTimeout((seconds + 30) * 1000L); // a backstop: the timer answers first
        ac.addListener(new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
                release();
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                answer(ac, 503, problem(503, "hold-expired", "the hold was not answered in time"));
            }

            @Override
            public void onError(AsyncEvent event) {
                release();
            }

            @Override
            public void onStartAsync(AsyncEvent event) {}

            private void release() {
                if (released.compareAndSet(false, true)) {
                    pending.remove(ac);
                    held.decrementAndGet();
                }
            }
        });
        pending.add(ac);
        int s = seconds;
        try {
            timer.schedule(
                    () -> answer(ac, 200, Map.of("instance", instanceId, "heldS", s)), seconds, TimeUnit.SECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            answer(ac, 503, problem(503, "instance-stopping", "this instance is stopping"));
        }
    }

    private void answer(AsyncContext ac, int status, Map<String, Object> body) {
        if (!pending.remove(ac)) return; // answered already (timer, timeout or stop)
        try {
            DoctorServlet.json((HttpServletResponse) ac.getResponse(), status, body);
        } catch (IOException | RuntimeException e) {
            // The client or a proxy closed the connection first: that is what the doctor measures.
        } finally {
            try {
                ac.complete();
            } catch (IllegalStateException alreadyDone) {
                // completed by the container (error or timeout)
            }
        }
    }

    private static Map<String, Object> problem(int status, String code, String detail) {
        return Map.of("status", status, "code", code, "detail", detail);
    }
}
