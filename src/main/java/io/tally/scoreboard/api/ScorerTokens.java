package io.tally.scoreboard.api;

import io.tally.scoreboard.game.GameIds;
import io.tally.scoreboard.store.Scorer;
import io.tally.scoreboard.store.ScorerStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Issues, finds and revokes per-game scorer tokens. A token is 192 random bits, so one SHA-256 pass is
 * enough to store it (no salt or slow hash: nothing to brute-force); only the digest is kept, and the
 * token is shown once, in the answer that creates it. Tokens carry a prefix so a leaked one is easy to
 * recognise in a paste or a secret scanner.
 */
final class ScorerTokens {
    static final String PREFIX = "tsc_";
    private final ScorerStore store;
    private final Clock clock;
    private final int maxPerGame;
    private final SecureRandom random = new SecureRandom();
    private final GameIds ids = new GameIds();

    ScorerTokens(ScorerStore store, Clock clock, int maxPerGame) {
        this.store = store;
        this.clock = clock;
        this.maxPerGame = maxPerGame;
    }

    record Issued(Scorer scorer, String token) {}

    /** A new token for {@code game}; empty if the game has {@code maxPerGame} tokens already. */
    Optional<Issued> issue(String game, String label) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Scorer scorer =
                new Scorer("s" + ids.next(), game, label, clock.instant().toString());
        return store.add(scorer, digest(token), maxPerGame) ? Optional.of(new Issued(scorer, token)) : Optional.empty();
    }

    /** The scorer a presented token belongs to; only tokens that look like ours reach the store. */
    Optional<Scorer> find(String presented) {
        if (!presented.startsWith(PREFIX) || presented.length() > 100) return Optional.empty();
        return store.findByDigest(digest(presented));
    }

    List<Scorer> list(String game) {
        return store.list(game);
    }

    boolean revoke(String game, String scorerId) {
        return store.remove(game, scorerId);
    }

    int maxPerGame() {
        return maxPerGame;
    }

    static String digest(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
