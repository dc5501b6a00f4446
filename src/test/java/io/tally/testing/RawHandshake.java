package io.tally.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A WebSocket opening handshake written byte by byte, as a browser sends it, on a plain socket the
 * test then owns: to read the server's exact answer (negotiated extensions) or to stop reading.
 */
public final class RawHandshake {
    /** What Chromium, WebKit and Firefox send in every handshake. */
    public static final String BROWSER_EXTENSIONS = "permessage-deflate; client_max_window_bits";

    private final Socket socket;
    private final String response;

    private RawHandshake(Socket socket, String response) {
        this.socket = socket;
        this.response = response;
    }

    /** Opens {@code wsUrl} offering {@code extensions} (null: none), with a receive buffer of {@code receiveBuffer} bytes (0: default). */
    public static RawHandshake open(String wsUrl, String extensions, int receiveBuffer) throws IOException {
        URI uri = URI.create(wsUrl);
        Socket s = new Socket();
        if (receiveBuffer > 0) s.setReceiveBufferSize(receiveBuffer);
        s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
        s.setSoTimeout(5_000);
        String key = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        String path = uri.getRawPath() + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
        String request = "GET " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                + "\r\nSec-WebSocket-Version: 13\r\n"
                + (extensions != null ? "Sec-WebSocket-Extensions: " + extensions + "\r\n" : "") + "\r\n";
        OutputStream out = s.getOutputStream();
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (head.length() < 8192 && !head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) throw new IOException("closed during the handshake: " + head);
            head.append((char) b);
        }
        return new RawHandshake(s, head.toString());
    }

    public boolean upgraded() {
        return response.startsWith("HTTP/1.1 101");
    }

    /** A response header's value, or null. */
    public String header(String name) {
        for (String line : response.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name))
                return line.substring(colon + 1).trim();
        }
        return null;
    }

    /** Sends one masked text frame (payload up to 125 bytes). */
    public void sendText(String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        if (payload.length > 125) throw new IllegalArgumentException("short frames only");
        byte[] frame = new byte[6 + payload.length];
        frame[0] = (byte) 0x81;
        frame[1] = (byte) (0x80 | payload.length);
        byte[] mask = {1, 2, 3, 4};
        System.arraycopy(mask, 0, frame, 2, 4);
        for (int i = 0; i < payload.length; i++) frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
        socket.getOutputStream().write(frame);
        socket.getOutputStream().flush();
    }

    public Socket socket() {
        return socket;
    }
}
