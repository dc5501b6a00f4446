package io.tally.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * One simulated viewer on one non-blocking socket: connect, write what is queued, hand complete
 * input to the protocol ({@link #consume}). Subclasses speak WebSocket or long-polling.
 */
abstract class Viewer {
    final EventLoop loop;
    final Viewers shared;
    final int index;
    final InetSocketAddress address;
    final String hostHeader;
    SocketChannel channel;
    SelectionKey key;
    private ByteBuffer pendingOut;
    /** Unconsumed input left over from the previous read (a partial frame or response). */
    private byte[] carry;

    private int carryLength;
    boolean joined;
    boolean dead;

    Viewer(EventLoop loop, Viewers shared, int index, InetSocketAddress address) {
        this.loop = loop;
        this.shared = shared;
        this.index = index;
        this.address = address;
        this.hostHeader = address.getHostString() + ":" + address.getPort();
    }

    /** Starts connecting; runs on the loop. */
    void open() {
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.socket().setTcpNoDelay(true);
            pendingOut = null;
            carryLength = 0;
            if (channel.connect(address)) {
                key = channel.register(loop.selector, SelectionKey.OP_READ, this);
                connected();
            } else {
                key = channel.register(loop.selector, SelectionKey.OP_CONNECT, this);
            }
        } catch (IOException | RuntimeException e) {
            onFailure(e);
        }
    }

    void onConnectable() throws IOException {
        if (!channel.finishConnect()) return;
        key.interestOps(SelectionKey.OP_READ);
        connected();
    }

    /** The socket is connected: send the first request. */
    abstract void connected() throws IOException;

    /** Consumes complete units from {@code buf[from, to)}; returns the index of the first unconsumed byte. */
    abstract int consume(byte[] buf, int from, int to) throws IOException;

    /** The peer closed the socket (EOF). */
    abstract void closedByPeer() throws IOException;

    void onReadable() throws IOException {
        ByteBuffer buf = loop.readBuffer;
        buf.clear();
        if (carryLength > 0) {
            if (carryLength > buf.capacity() / 2) throw new IOException("frame larger than the read buffer");
            buf.put(carry, 0, carryLength);
        }
        int n = channel.read(buf);
        if (n < 0) {
            carryLength = 0;
            closedByPeer();
            return;
        }
        if (n == 0) return;
        loop.recorder.bytesIn += n;
        int end = buf.position();
        int used = consume(buf.array(), 0, end);
        carryLength = end - used;
        if (carryLength > 0) {
            if (carry == null || carry.length < carryLength) carry = new byte[Math.max(256, carryLength)];
            System.arraycopy(buf.array(), used, carry, 0, carryLength);
        } else if (carry != null && carry.length > 4096) {
            carry = null; // do not keep a big buffer per idle viewer
        }
    }

    void send(byte[] bytes) throws IOException {
        if (pendingOut != null) {
            ByteBuffer joinedBuf = ByteBuffer.allocate(pendingOut.remaining() + bytes.length);
            joinedBuf.put(pendingOut).put(bytes).flip();
            pendingOut = joinedBuf;
            return;
        }
        ByteBuffer out = ByteBuffer.wrap(bytes);
        channel.write(out);
        if (out.hasRemaining()) {
            pendingOut = out;
            key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
        }
    }

    void onWritable() throws IOException {
        if (pendingOut == null) {
            key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
            return;
        }
        channel.write(pendingOut);
        if (!pendingOut.hasRemaining()) {
            pendingOut = null;
            key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
        }
    }

    void closeChannel() {
        try {
            if (channel != null) channel.close();
        } catch (IOException ignored) {
            // gone already
        }
    }

    void onFailure(Throwable e) {
        closeChannel();
        if (dead) return;
        dead = true;
        if (!joined) shared.failed("viewer " + index + ": " + e);
        else loop.recorder.errors++;
    }

    void markJoined() {
        if (joined) return;
        joined = true;
        shared.joined.incrementAndGet();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    // ---- byte scanning helpers (the payload is ours, so its shape is known) ----------------------

    static boolean startsWith(byte[] a, int from, int to, byte[] prefix) {
        if (to - from < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) if (a[from + i] != prefix[i]) return false;
        return true;
    }

    static int indexOf(byte[] a, int from, int to, byte[] needle) {
        outer:
        for (int i = from; i <= to - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) if (a[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    /** Parses a non-negative decimal (with an optional fraction) at {@code a[from]}. */
    static double parseNumber(byte[] a, int from, int to) {
        long whole = 0;
        int i = from;
        while (i < to && a[i] >= '0' && a[i] <= '9') whole = whole * 10 + (a[i++] - '0');
        if (i < to && a[i] == '.') {
            i++;
            long frac = 0, scale = 1;
            while (i < to && a[i] >= '0' && a[i] <= '9' && scale < 1_000_000_000L) {
                frac = frac * 10 + (a[i++] - '0');
                scale *= 10;
            }
            return whole + (double) frac / scale;
        }
        return whole;
    }
}
