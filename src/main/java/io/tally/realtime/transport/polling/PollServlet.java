package io.tally.realtime.transport.polling;

import io.tally.concurrent.DaemonThreads;
import io.tally.http.Problems;
import io.tally.realtime.transport.LiveGateFilter;
import io.tally.realtime.transport.PollHandler;
import io.tally.realtime.transport.TransportSettings;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code /live/poll}: reads a poll (size- and time-limited, without blocking a thread), holds it asynchronously ({@link AsyncContext}) and
 * writes the single answer the protocol gives. No state survives between polls, so any instance can
 * answer any poll.
 */
public final class PollServlet extends HttpServlet {
    public static final String PATH = "/live/poll";

    private final TransportSettings settings;
    private final PollHandler handler;
    private ScheduledThreadPoolExecutor deadlines;

    public PollServlet(TransportSettings settings, PollHandler handler) {
        this.settings = settings;
        this.handler = handler;
    }

    @Override
    public void init() {
        deadlines = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("tally-poll-body-deadline"));
        deadlines.setRemoveOnCancelPolicy(true);
    }

    @Override
    public void destroy() {
        deadlines.shutdownNow();
        try {
            deadlines.awaitTermination(1, TimeUnit.SECONDS); // Tomcat reports a thread left running as a leak
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) {
        dispatch(request, null);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String type = request.getContentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            Problems.send(
                    response,
                    415,
                    "unsupported-media-type",
                    "a poll is a JSON body: Content-Type: application/json",
                    0);
            return;
        }
        int max = settings.maxFrameBytes();
        if (request.getContentLengthLong() > max) {
            Problems.send(response, 413, "too-large", "a poll body may be at most " + max + " bytes", 0);
            return;
        }
        // The body is read as it arrives (non-blocking): a client that trickles it holds a socket
        // and its address's slot, never a container thread.
        AsyncContext async = request.startAsync();
        async.setTimeout(settings.pollBodyMillis() + settings.pollTimeoutMillis());
        Reply reply = new Reply(async);
        async.addListener(reply);
        ServletInputStream in = request.getInputStream();
        in.setReadListener(new BodyReader(in, request, reply, max));
    }

    private void dispatch(HttpServletRequest request, String body) {
        AsyncContext async = request.startAsync();
        async.setTimeout(settings.pollTimeoutMillis());
        Reply reply = new Reply(async);
        async.addListener(reply);
        handle(request, body, reply);
    }

    private void handle(HttpServletRequest request, String body, Reply reply) {
        String address = request.getHeader(LiveGateFilter.CLIENT_ADDRESS_HEADER);
        handler.poll(body, address != null ? address : request.getRemoteAddr(), reply);
    }

    /** Collects the body up to its limit and deadline, then hands the poll on. */
    private final class BodyReader implements ReadListener {
        private final ServletInputStream in;
        private final HttpServletRequest request;
        private final Reply reply;
        private final int max;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream(256);
        private final byte[] buffer = new byte[4096];
        private ScheduledFuture<?> deadline; // set once the body turns out not to come in one go

        BodyReader(ServletInputStream in, HttpServletRequest request, Reply reply, int max) {
            this.in = in;
            this.request = request;
            this.reply = reply;
            this.max = max;
            reply.reading = true;
        }

        @Override
        public void onDataAvailable() throws IOException {
            while (in.isReady()) {
                int n = in.read(buffer);
                if (n < 0) return; // onAllDataRead follows
                body.write(buffer, 0, n);
                if (body.size() > max) {
                    reply.send(
                            413,
                            Problems.CONTENT_TYPE,
                            Problems.body(413, "too-large", "a poll body may be at most " + max + " bytes"),
                            0);
                    return;
                }
            }
            if (deadline == null && !in.isFinished()) {
                try {
                    deadline = deadlines.schedule(reply::bodyTooSlow, settings.pollBodyMillis(), TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException stopping) {
                    reply.bodyTooSlow();
                }
            }
        }

        @Override
        public void onAllDataRead() {
            if (deadline != null) deadline.cancel(false);
            if (reply.isDone()) return;
            reply.reading = false;
            handle(request, body.toString(StandardCharsets.UTF_8), reply);
        }

        @Override
        public void onError(Throwable t) {
            reply.abandon();
        }
    }

    /** Answers once; a client that went away or a container timeout makes later answers no-ops. */
    private static final class Reply implements PollHandler.PollReply, AsyncListener {
        private final AsyncContext async;
        private final AtomicBoolean done = new AtomicBoolean();
        volatile boolean reading; // the body is still arriving

        Reply(AsyncContext async) {
            this.async = async;
        }

        boolean isDone() {
            return done.get();
        }

        void bodyTooSlow() {
            if (!reading) return;
            send(
                    408,
                    Problems.CONTENT_TYPE,
                    Problems.body(408, "body-timeout", "the poll body did not arrive in time"),
                    0);
        }

        /** The connection failed: nothing can be sent; end the request. */
        void abandon() {
            if (!done.compareAndSet(false, true)) return;
            try {
                async.complete();
            } catch (RuntimeException ignored) {
                // Already completed by the container.
            }
        }

        @Override
        public void send(int status, String contentType, String body, int retryAfterSeconds) {
            if (!done.compareAndSet(false, true)) return;
            try {
                HttpServletResponse response = (HttpServletResponse) async.getResponse();
                response.setStatus(status);
                response.setContentType(contentType);
                response.setHeader("Cache-Control", "no-store");
                if (retryAfterSeconds > 0) response.setHeader("Retry-After", Integer.toString(retryAfterSeconds));
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                response.setContentLength(bytes.length);
                OutputStream out = response.getOutputStream();
                out.write(bytes);
            } catch (IOException | RuntimeException e) {
                // The client left; its next poll (from its positions) gets everything.
            } finally {
                try {
                    async.complete();
                } catch (RuntimeException ignored) {
                    // Already completed by the container after an error.
                }
            }
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            if (reading) {
                bodyTooSlow();
                return;
            }
            // Backstop only: the protocol answers before the hold ends.
            send(
                    503,
                    Problems.CONTENT_TYPE,
                    Problems.body(503, "poll-timeout", "the poll was not answered in time; poll again"),
                    1);
        }

        @Override
        public void onError(AsyncEvent event) {
            done.set(true);
        }

        @Override
        public void onComplete(AsyncEvent event) {
            done.set(true);
        }

        @Override
        public void onStartAsync(AsyncEvent event) {}
    }
}
