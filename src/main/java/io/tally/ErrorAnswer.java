package io.tally;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Map;

/**
 * The body of every error the container answers for the webapp (web.xml's error pages): a short
 * problem+json with the status and its standard title, instead of the container's own page, which
 * names the server and its version and may echo an exception's message.
 */
public final class ErrorAnswer extends HttpServlet {
    private static final Map<Integer, String> TITLES = Map.ofEntries(
            Map.entry(400, "Bad Request"), Map.entry(401, "Unauthorized"), Map.entry(403, "Forbidden"),
            Map.entry(404, "Not Found"), Map.entry(405, "Method Not Allowed"), Map.entry(408, "Request Timeout"),
            Map.entry(413, "Content Too Large"), Map.entry(414, "URI Too Long"), Map.entry(415, "Unsupported Media Type"),
            Map.entry(429, "Too Many Requests"), Map.entry(500, "Internal Server Error"),
            Map.entry(501, "Not Implemented"), Map.entry(503, "Service Unavailable"));

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int status = HttpServletResponse.SC_NOT_FOUND; // reached directly: there is nothing here
        if (request.getDispatcherType() == DispatcherType.ERROR) {
            Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
            status = code instanceof Integer i && i >= 400 && i <= 599 ? i : HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
        }
        response.setStatus(status);
        response.setContentType("application/problem+json;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        if ("HEAD".equals(request.getMethod())) return;
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"" + TITLES.getOrDefault(status, "Error")
                + "\",\"status\":" + status + "}\n");
    }
}
