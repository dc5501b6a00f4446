package io.tally.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback peer that plays a broken network path for the client's failure handling:
 * <ul>
 *   <li>{@link #neverAnswering()}: accepts TCP and never writes a byte — a proxy that swallows the
 *       WebSocket upgrade;</li>
 *   <li>{@link #welcomingThenSilent(String)}: completes the WebSocket handshake (RFC 6455), sends one
 *       text frame (a {@code welcome}), then goes silent — a server or path that died mid-connection.</li>
 * </ul>
 * It holds every connection until {@link #close()}, and counts them.
 */
final class MuteServer implements AutoCloseable {
    private static final String WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final String welcome; // null: never answer
    private final Thread acceptor = new Thread(this::acceptAll, "mute-server");

    private MuteServer(String welcome) throws IOException {
        this.welcome = welcome;
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static MuteServer neverAnswering() throws IOException {
        return new MuteServer(null);
    }

    static MuteServer welcomingThenSilent(String welcomeJson) throws IOException {
        return new MuteServer(welcomeJson);
    }

    String wsUrl() {
        return "ws://127.0.0.1:" + socket.getLocalPort() + "/live/ws";
    }

    /** Connections accepted so far. */
    int accepted() {
        return held.size();
    }

    private void acceptAll() {
        try {
            while (true) {
                Socket s = socket.accept();
                held.add(s);
                if (welcome != null) {
                    Thread t = new Thread(() -> handshakeAndWelcome(s), "mute-server-conn");
                    t.setDaemon(true);
                    t.start();
                }
            }
        } catch (IOException closed) {
            // close() ends the loop
        }
    }

    private void handshakeAndWelcome(Socket s) {
        try {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            String key = null;
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Sec-WebSocket-Key")) {
                    key = line.substring(colon + 1).trim();
                }
            }
            if (key == null) return;
            String accept = Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-1").digest((key + WS_GUID).getBytes(StandardCharsets.ISO_8859_1)));
            OutputStream out = s.getOutputStream();
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            byte[] payload = welcome.getBytes(StandardCharsets.UTF_8);
            if (payload.length > 65535) throw new IllegalArgumentException("welcome too long");
            out.write(0x81); // FIN + text frame; a server's frames are not masked
            if (payload.length < 126) {
                out.write(payload.length);
            } else {
                out.write(126);
                out.write(payload.length >>> 8);
                out.write(payload.length & 0xff);
            }
            out.write(payload);
            out.flush();
            // Then silence: nothing read, nothing written, until the client gives up.
        } catch (IOException | NoSuchAlgorithmException e) {
            // the client went away, or the server is closing
        }
    }

    @Override
    public void close() throws Exception {
        socket.close();
        for (Socket s : held) s.close();
        acceptor.join(5_000);
    }
}
