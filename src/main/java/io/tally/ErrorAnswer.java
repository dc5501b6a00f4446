package io.tally;

import io.tally.http.Problems;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The body of every error the container answers for the webapp (web.xml's error pages): a short
 * problem+json with the status and its standard title, instead of the container's own page, which
 * names the server and its version and may echo an exception's message. A browser asking for a page
 * (Accept: text/html, outside /api/ and /live/) gets a small page of ours instead, saying what is
 * wrong and linking home.
 */
public final class ErrorAnswer extends HttpServlet {
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int status = HttpServletResponse.SC_NOT_FOUND; // reached directly: there is nothing here
        if (request.getDispatcherType() == DispatcherType.ERROR) {
            Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
            status = code instanceof Integer i && i >= 400 && i <= 599
                    ? i
                    : HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
        }
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        if (wantsPage(request)) {
            response.setContentType("text/html;charset=UTF-8");
            if (!"HEAD".equals(request.getMethod())) response.getWriter().write(page(request.getContextPath(), status));
            return;
        }
        response.setContentType(Problems.CONTENT_TYPE + ";charset=UTF-8");
        if ("HEAD".equals(request.getMethod())) return;
        response.getWriter().write(Problems.body(status) + "\n");
    }

    private static boolean wantsPage(HttpServletRequest request) {
        String accept = request.getHeader("Accept");
        if (accept == null || !accept.contains("text/html")) return false;
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = uri instanceof String s
                ? s.substring(Math.min(s.length(), request.getContextPath().length()))
                : "";
        return !path.startsWith("/api/") && !path.startsWith("/live/");
    }

    private static String page(String contextPath, int status) {
        String home = contextPath.replace("\"", "") + "/";
        String title = Problems.title(status);
        String why =
                switch (status) {
                    case 404 -> "There is nothing at this address. The link may be mistyped or out of date.";
                    case 400 -> "This address is not valid (a game id is letters, digits and dashes).";
                    case 405 -> "This address cannot be used that way.";
                    case 429 -> "Too many requests from here just now. Wait a moment and try again.";
                    default ->
                        status >= 500
                                ? "Something went wrong on the server. Try again in a moment."
                                : "This request cannot be answered.";
                };
        return "<!doctype html>\n<html lang=\"en\">\n<head>\n  <meta charset=\"utf-8\">\n"
                + "  <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "  <meta name=\"color-scheme\" content=\"dark light\">\n"
                + "  <title>" + title + " · Tally</title>\n"
                + "  <link rel=\"icon\" href=\"" + home + "favicon.svg\" type=\"image/svg+xml\">\n"
                + "  <link rel=\"stylesheet\" href=\"" + home + "css/tally.css\">\n</head>\n"
                + "<body class=\"error-page\">\n  <header class=\"bar\"><h1 class=\"brand\"><a href=\"" + home
                + "\">Tally</a></h1></header>\n"
                + "  <main>\n    <h2 data-testid=\"error-title\">" + title + "</h2>\n"
                + "    <p data-testid=\"error-detail\">" + why + "</p>\n"
                + "    <p><a href=\"" + home
                + "\" data-testid=\"error-home\">See all games</a></p>\n  </main>\n</body>\n</html>\n";
    }
}
