package io.tally.realtime.session;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The persistent sessions and held polls this instance serves: counted for admission and status,
 * ticked by the heartbeat, and told to move elsewhere when the instance drains.
 */
final class Clients {
    private static final Logger LOG = Logger.getLogger(Clients.class.getName());

    private final Set<ClientSession> sessions = ConcurrentHashMap.newKeySet();
    private final Set<Poll> polls = ConcurrentHashMap.newKeySet();

    void add(ClientSession session) {
        sessions.add(session);
    }

    /** False when the session was already gone. */
    boolean remove(ClientSession session) {
        return sessions.remove(session);
    }

    void add(Poll poll) {
        polls.add(poll);
    }

    void remove(Poll poll) {
        polls.remove(poll);
    }

    int sessions() {
        return sessions.size();
    }

    int polls() {
        return polls.size();
    }

    int count() {
        return sessions.size() + polls.size();
    }

    /** Heartbeat duty for every session: ping when due, close a peer silent for {@code deadNanos}. */
    void tick(long now, long heartbeatNanos, long deadNanos) {
        for (ClientSession s : sessions) {
            try {
                s.tick(now, heartbeatNanos, deadNanos);
            } catch (RuntimeException e) {
                LOG.warning("heartbeat failed for a session: " + e);
            }
        }
    }

    /** Tells every persistent client to reconnect elsewhere; the number told. */
    int moveSessions() {
        int told = 0;
        for (ClientSession s : sessions) {
            s.drain();
            told++;
        }
        return told;
    }

    /**
     * Tells every client to move, answers every held poll, waits up to {@code graceMillis} for them
     * to leave and closes the connections still open then.
     */
    void drain(long graceMillis, int drainWindowMillis) {
        long start = System.nanoTime();
        int told = moveSessions();
        int answered = 0;
        for (Poll p : polls) {
            p.endNow();
            answered++;
        }
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(graceMillis);
        while ((!sessions.isEmpty() || !polls.isEmpty()) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20); // waiting for clients to leave; bounded by the grace deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int cut = 0;
        for (ClientSession s : sessions) {
            s.close(ClientSession.CLOSE_GOING_AWAY, "going-away");
            cut++;
        }
        LOG.info("drained in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms: " + told
                + " WebSocket clients told to reconnect within " + drainWindowMillis + " ms, " + answered
                + " held polls answered, " + cut + " connections closed after the " + graceMillis + " ms grace");
    }
}
