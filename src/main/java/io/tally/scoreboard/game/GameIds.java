package io.tally.scoreboard.game;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/** Game ids: short, unguessable enough to avoid collisions, safe in URLs and room names. */
public final class GameIds {
    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    private static final char[] ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789".toCharArray();
    private final SecureRandom random = new SecureRandom();

    public String next() {
        char[] id = new char[10];
        for (int i = 0; i < id.length; i++) id[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        return new String(id);
    }

    public static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches();
    }
}
