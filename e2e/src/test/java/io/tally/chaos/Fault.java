package io.tally.chaos;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The fault classes a campaign draws from. */
enum Fault {
    NONE("no fault (baseline)"),
    KILL_INSTANCE("kill -9 of an instance, writes in flight, then a restart"),
    FREEZE_INSTANCE("SIGSTOP of an instance for 2-7 s, then SIGCONT"),
    REDIS_RESTART_AOF("Redis kill -9 and restart with its append-only file"),
    REDIS_RESTART_EMPTY("Redis kill -9 and restart empty (no persistence)"),
    REDIS_BLACKHOLE("Redis blackholed for 2-5 s: open connections go silent for good, new ones too meanwhile"),
    VIEWER_BLACKHOLE("the viewers' connections through one relay die silently (no FIN)"),
    SLOW_VIEWERS("a third of the viewers stop reading for 2-6 s"),
    THROTTLED_VIEWERS(
            "a third of the viewers throttled like a background tab: pongs and timers 3-6 s late, for 6-12 s"),
    CLUSTER_FAILOVER(
            "Redis Cluster: the master of a room's or the games' slot fails over (CLUSTER FAILOVER or kill -9)"),
    CLUSTER_RESHARD(
            "Redis Cluster: a room's or the games' slot moves to another master while in use (SETSLOT, MIGRATE)");

    final String description;

    Fault(String description) {
        this.description = description;
    }

    String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Set<Fault> parse(String list) {
        Set<Fault> s = EnumSet.noneOf(Fault.class);
        for (String name : list.split(",")) {
            String n = name.trim();
            if (n.isEmpty()) continue;
            s.add(Fault.valueOf(n.toUpperCase(Locale.ROOT).replace('-', '_')));
        }
        return s;
    }

    /** Needs a Redis Cluster deployment. */
    boolean cluster() {
        return this == CLUSTER_FAILOVER || this == CLUSTER_RESHARD;
    }

    /** Needs the one-server deployment (its Redis is restarted or blackholed through the relay). */
    boolean oneServer() {
        return name().startsWith("REDIS_");
    }

    static Set<Fault> all() {
        Set<Fault> s = EnumSet.allOf(Fault.class);
        s.remove(NONE);
        return s;
    }
}
