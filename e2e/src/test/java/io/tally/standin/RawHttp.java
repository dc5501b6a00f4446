package io.tally.standin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, so that tests and the doctor see exactly what went over the wire:
 * the status line of a WebSocket upgrade, every Set-Cookie, headers that client libraries hide.
 */
public final class RawHttp {
    private static final SecureRandom RANDOM = new SecureRandom();

    private RawHttp() {}

    /** One response: status code, headers (lower-case names, repeated ones joined by "\n"), body. */
    public record Response(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** Values of every Set-Cookie header. */
        public List<String> setCookies() {
            String v = header("set-cookie");
            return v == null ? List.of() : List.of(v.split("\n"));
        }
    }

    /** GET {@code path} from {@code base}, one request per connection. */
    public static Response get(URI base, String path, Map<String, String> headers, int timeoutMillis)
            throws IOException {
        return request(base, "GET", path, headers, null, timeoutMillis);
    }

    public static Response get(URI base, String path) throws IOException {
        return get(base, path, Map.of(), 5_000);
    }

    /** A request with an optional body (sent with Content-Length). */
    public static Response request(
            URI base, String method, String path, Map<String, String> headers, byte[] body, int timeoutMillis)
            throws IOException {
        try (Socket s = connect(base, timeoutMillis)) {
            StringBuilder req = new StringBuilder();
            req.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
            req.append("Host: ").append(hostHeader(base)).append("\r\n");
            for (Map.Entry<String, String> h : headers.entrySet()) {
                req.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
            }
            if (body != null) req.append("Content-Length: ").append(body.length).append("\r\n");
            req.append("Connection: close\r\n\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) out.write(body);
            out.flush();
            InputStream in = s.getInputStream();
            Head head = readHead(in);
            byte[] content;
            String te = head.headers.get("transfer-encoding");
            if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
                content = readChunked(in);
            } else if (head.headers.containsKey("content-length")) {
                content = in.readNBytes(
                        Integer.parseInt(head.headers.get("content-length").trim()));
            } else {
                content = in.readAllBytes();
            }
            return new Response(head.status, head.headers, new String(content, StandardCharsets.UTF_8));
        }
    }

    /**
     * Sends a WebSocket opening handshake for {@code path} with the given Origin and returns the
     * response head (101 on success). The connection is closed right after.
     */
    public static Response upgrade(URI base, String path, String origin, int timeoutMillis) throws IOException {
        try (Socket s = connect(base, timeoutMillis)) {
            byte[] nonce = new byte[16];
            RANDOM.nextBytes(nonce);
            String req = "GET " + path + " HTTP/1.1\r\n"
                    + "Host: " + hostHeader(base) + "\r\n"
                    + "Upgrade: websocket\r\n"
                    + "Connection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                    + "Sec-WebSocket-Version: 13\r\n"
                    + (origin == null ? "" : "Origin: " + origin + "\r\n")
                    + "\r\n";
            s.getOutputStream().write(req.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            Head head = readHead(s.getInputStream());
            return new Response(head.status, head.headers, "");
        }
    }

    /** The Origin a browser would send for a page served from {@code base}. */
    public static String originOf(URI base) {
        return base.getScheme() + "://" + hostHeader(base);
    }

    private static Socket connect(URI base, int timeoutMillis) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(base.getHost(), port(base)), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    private static int port(URI base) {
        return base.getPort() > 0 ? base.getPort() : ("https".equals(base.getScheme()) ? 443 : 80);
    }

    private static String hostHeader(URI base) {
        return base.getPort() > 0 ? base.getHost() + ":" + base.getPort() : base.getHost();
    }

    private record Head(int status, Map<String, String> headers) {}

    private static Head readHead(InputStream in) throws IOException {
        String statusLine = readLine(in);
        if (statusLine == null || !statusLine.startsWith("HTTP/")) {
            throw new IOException("not an HTTP response: " + statusLine);
        }
        String[] parts = statusLine.split(" ", 3);
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while ((line = readLine(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon <= 0) continue;
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            headers.merge(name, value, (a, b) -> a + "\n" + b);
        }
        return new Head(status, headers);
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') break;
            if (c != '\r') buf.write(c);
        }
        if (c == -1 && buf.size() == 0) return null;
        return buf.toString(StandardCharsets.ISO_8859_1);
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        List<String> trailers = new ArrayList<>();
        while (true) {
            String sizeLine = readLine(in);
            if (sizeLine == null) break;
            int semi = sizeLine.indexOf(';');
            int size = Integer.parseInt((semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim(), 16);
            if (size == 0) {
                String t;
                while ((t = readLine(in)) != null && !t.isEmpty()) trailers.add(t);
                break;
            }
            body.write(in.readNBytes(size));
            readLine(in); // CRLF after the chunk
        }
        return body.toByteArray();
    }
}
