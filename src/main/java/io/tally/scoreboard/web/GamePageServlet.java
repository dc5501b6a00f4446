package io.tally.scoreboard.web;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A game's page with its title and link-preview tags filled in by the server (crawlers run no
 * script): {@code /games/{id}} (the link the Share button gives), {@code /game.html?id=…} (older
 * links) and the embeddable widget {@code /embed/{id}}. The body is {@code game.html}, read once;
 * its relative URLs are made absolute so it works at any depth. A malformed or unknown id answers
 * 404 with the same page, which says what is wrong; a store that cannot answer gives generic tags
 * (the page then loads the game itself, retrying).
 */
public final class GamePageServlet extends HttpServlet {
    public static final String EMBED_PATH = "/embed";
    private static final Logger LOG = Logger.getLogger(GamePageServlet.class.getName());
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    private static final Pattern META = Pattern.compile("<!--meta.*?<!--/meta-->", Pattern.DOTALL);
    private static final Pattern RELATIVE = Pattern.compile("(\\s(?:href|src)=\")(?![a-zA-Z][a-zA-Z0-9+.-]*:|/|#)");

    private final Function<String, Optional<Map<String, Object>>> games;
    private String before; // game.html up to the meta block
    private String after; // and after it
    private String afterEmbed;

    /** {@code games}: a game's JSON by id, empty when there is no such game. */
    public GamePageServlet(Function<String, Optional<Map<String, Object>>> games) {
        this.games = games;
    }

    @Override
    public void init() throws ServletException {
        String page;
        try (InputStream in = getServletContext().getResourceAsStream("/game.html")) {
            if (in == null) throw new ServletException("game.html is missing from the webapp");
            page = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ServletException("cannot read game.html", e);
        }
        String root = Matcher.quoteReplacement(getServletContext().getContextPath() + "/");
        page = RELATIVE.matcher(page).replaceAll("$1" + root);
        Matcher m = META.matcher(page);
        if (!m.find()) throw new ServletException("game.html has no <!--meta … <!--/meta--> block");
        before = page.substring(0, m.start());
        after = page.substring(m.end());
        afterEmbed = after.replace("<body class=\"game-page\">", "<body class=\"game-page embed\">");
        if (afterEmbed.equals(after)) throw new ServletException("game.html's <body class=\"game-page\"> is missing");
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        boolean embed = EMBED_PATH.equals(request.getServletPath());
        String raw = request.getPathInfo() == null
                ? request.getParameter("id")
                : request.getPathInfo().substring(1);
        String id = normalise(raw);
        boolean bare = raw == null && "/game.html".equals(request.getServletPath()); // the file itself, no game named
        String meta;
        int status = HttpServletResponse.SC_OK;
        if (id == null) {
            meta = LinkPreview.generic(embed);
            if (!bare) status = HttpServletResponse.SC_NOT_FOUND;
        } else {
            Optional<Map<String, Object>> game;
            try {
                game = games.apply(id);
            } catch (RuntimeException e) {
                LOG.fine("game page without preview, the store did not answer: " + e);
                game = null;
            }
            if (game == null) {
                meta = LinkPreview.generic(embed);
            } else if (game.isEmpty()) {
                meta = LinkPreview.generic(embed);
                status = HttpServletResponse.SC_NOT_FOUND;
            } else {
                meta = LinkPreview.of(game.get(), embed);
            }
        }
        response.setStatus(status);
        response.setContentType("text/html;charset=UTF-8");
        response.setHeader("Cache-Control", "no-cache"); // the score in the tags changes
        byte[] body = (before + meta + (embed ? afterEmbed : after)).getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /**
     * The id a link names, or null when it names none or a malformed one. Shared links often gain a
     * trailing slash or spaces, and some apps capitalise: those are forgiven.
     */
    static String normalise(String raw) {
        if (raw == null) return null;
        String id = raw.strip().toLowerCase(Locale.ROOT);
        while (id.endsWith("/")) id = id.substring(0, id.length() - 1);
        return ID.matcher(id).matches() ? id : null;
    }
}
