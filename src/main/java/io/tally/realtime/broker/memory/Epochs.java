package io.tally.realtime.broker.memory;

import java.security.SecureRandom;

/** Short random epoch names. */
final class Epochs {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Epochs() {}

    static String random() {
        return Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
    }
}
