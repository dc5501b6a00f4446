package io.tally.scoreboard.web;

import io.tally.config.Settings;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The viewer-facing web parts: the security headers on everything, and the game pages. */
public final class WebPages {
    private WebPages() {}

    /** {@code games}: a game's JSON by id, empty when there is no such game. */
    public static void install(
            ServletContext ctx, Settings settings, Function<String, Optional<Map<String, Object>>> games) {
        EmbedAncestors embed = EmbedAncestors.parse(settings.string("TALLY_EMBED_ORIGINS", null));
        FilterRegistration.Dynamic headers = ctx.addFilter("tally-security-headers", new SecurityHeadersFilter(embed));
        headers.setAsyncSupported(true);
        headers.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ERROR), false, "/*");
        ctx.addServlet("tally-game-page", new GamePageServlet(games))
                .addMapping("/games/*", GamePageServlet.EMBED_PATH + "/*", "/game.html");
    }
}
