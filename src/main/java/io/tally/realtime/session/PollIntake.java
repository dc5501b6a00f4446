package io.tally.realtime.session;

import io.tally.http.Problems;
import io.tally.realtime.Position;
import io.tally.realtime.UnavailableException;
import io.tally.realtime.protocol.ErrorCode;
import io.tally.realtime.protocol.Frames;
import io.tally.realtime.protocol.PollRequest;
import io.tally.realtime.protocol.ProtocolException;
import io.tally.realtime.transport.PollHandler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A poll request on its way in ({@link PollHandler#poll}): refused while the instance drains,
 * decoded, its unknown rooms answered with per-room errors, then held or answered as a {@link Poll}.
 */
final class PollIntake {
    /** The answer when room histories cannot be read now: the client polls again shortly. */
    static final String UNAVAILABLE =
            Problems.body(503, "unavailable", "room history is unavailable right now; poll again shortly");

    private static final String DRAINING =
            Problems.body(503, "draining", "this instance is shutting down; poll another");

    private final RealtimeCore core;

    PollIntake(RealtimeCore core) {
        this.core = core;
    }

    void accept(String body, String clientAddress, PollHandler.PollReply reply) {
        core.metrics().polls.increment();
        if (core.isDraining()) {
            reply.send(503, Problems.CONTENT_TYPE, DRAINING, 2);
            return;
        }
        PollRequest request;
        if (body == null) {
            request = new PollRequest(true, Map.of());
        } else {
            try {
                request = core.decoder().decodePoll(body, core.config().maxRoomsPerConnection());
            } catch (ProtocolException e) {
                core.metrics().rejected(e.code().wire());
                reply.send(
                        400, Problems.CONTENT_TYPE, Problems.body(400, e.code().wire(), e.getMessage()), 0);
                return;
            }
        }
        List<String> leading = new ArrayList<>();
        if (request.hello()) leading.add(core.welcome("polling"));
        Map<String, Position> rooms = new LinkedHashMap<>(request.rooms());
        try {
            for (String room : request.rooms().keySet()) {
                if (core.reachable(room)) continue;
                rooms.remove(room);
                core.metrics().rejected(ErrorCode.UNKNOWN_ROOM.wire());
                leading.add(Frames.error(ErrorCode.UNKNOWN_ROOM, null, room, "no such room"));
            }
        } catch (UnavailableException e) {
            reply.send(503, Problems.CONTENT_TYPE, UNAVAILABLE, 2);
            return;
        }
        // The gate counts the poll against its address from its arrival until its answer.
        Poll poll = new Poll(core, rooms, request.counts(), request.conflate(), leading, reply);
        // On the request's own thread: a container thread may block on the broker as well as a
        // worker can, and a hand-off per poll costs polling CPU (docs/PERFORMANCE.md).
        poll.start();
    }
}
