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
 * names the server and its version and may echo an exception's message.
 */
public final class ErrorAnswer extends HttpServlet {
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int status = HttpServletResponse.SC_NOT_FOUND; // reached directly: there is nothing here
        if (request.getDispatcherType() == DispatcherType.ERROR) {
            Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
            status = code instanceof Integer i && i >= 400 && i <= 599 ? i : HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
        }
        response.setStatus(status);
        response.setContentType(Problems.CONTENT_TYPE + ";charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        if ("HEAD".equals(request.getMethod())) return;
        response.getWriter().write(Problems.body(status) + "\n");
    }
}
