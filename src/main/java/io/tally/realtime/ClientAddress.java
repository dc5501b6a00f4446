package io.tally.realtime;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The client's address behind proxies, as Tomcat's {@code RemoteIpValve} with {@code internalProxies}:
 * {@code X-Forwarded-For} is walked from its right end, and each entry is believed only while the hop
 * that wrote it (first the direct peer, then each believed entry in turn) is a trusted proxy. The
 * first entry from an untrusted hop is the client. A client can prepend whatever it likes; it cannot
 * make a trusted proxy vouch for it.
 *
 * <p>On Beanstalk the ALB and nginx sit in private ranges or on loopback, hence the default
 * {@link #DEFAULT_TRUSTED}; a single instance without a balancer has only nginx in front, so an
 * internet client's own {@code X-Forwarded-For} is ignored there.
 */
public final class ClientAddress {
    /** Loopback, the RFC 1918 private ranges, link-local and unique-local IPv6. */
    public static final List<String> DEFAULT_TRUSTED = List.of(
            "127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "fc00::/7");
    /** More proxies than this in a row is not a real chain: the walk stops there. */
    private static final int MAX_HOPS = 16;

    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private final List<Range> trusted;

    /** {@code trustedRanges}: CIDR ranges ({@code 10.0.0.0/8}, {@code fc00::/7}) or single addresses. */
    public ClientAddress(List<String> trustedRanges) {
        List<Range> ranges = new ArrayList<>();
        for (String r : trustedRanges) ranges.add(Range.parse(r.trim()));
        this.trusted = List.copyOf(ranges);
    }

    public static ClientAddress beanstalkDefault() {
        return new ClientAddress(DEFAULT_TRUSTED);
    }

    public String resolve(String peerAddress, String forwardedFor) {
        if (forwardedFor == null || forwardedFor.isBlank() || !isTrusted(peerAddress)) return peerAddress;
        String[] hops = forwardedFor.split(",", -1);
        String client = peerAddress;
        for (int i = hops.length - 1, walked = 0; i >= 0 && walked < MAX_HOPS; i--, walked++) {
            String hop = hops[i].trim();
            // Not an address: no trusted proxy wrote it, so the trusted hop before it is the best we know.
            if (literal(hop) == null) return client;
            client = hop;
            if (!isTrusted(hop)) return hop;
        }
        return client;
    }

    private boolean isTrusted(String address) {
        byte[] a = literal(address);
        if (a == null) return false;
        for (Range r : trusted) {
            if (r.contains(a)) return true;
        }
        return false;
    }

    /** The bytes of an IP literal (an IPv4-mapped IPv6 address as IPv4), or null; never a DNS lookup. */
    static byte[] literal(String s) {
        if (s == null) return null;
        boolean v4 = IPV4.matcher(s).matches();
        if (!v4 && !(s.indexOf(':') >= 0 && IPV6.matcher(s).matches())) return null;
        try {
            return InetAddress.getByName(s).getAddress(); // a literal: parsed, not resolved
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private record Range(byte[] network, int bits) {
        static Range parse(String cidr) {
            int slash = cidr.indexOf('/');
            byte[] net = literal(slash < 0 ? cidr : cidr.substring(0, slash));
            if (net == null) throw new IllegalArgumentException("not an IP range: " + cidr);
            int bits = net.length * 8;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(cidr.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not an IP range: " + cidr);
                }
                if (bits < 0 || bits > net.length * 8) throw new IllegalArgumentException("not an IP range: " + cidr);
            }
            return new Range(net, bits);
        }

        boolean contains(byte[] a) {
            if (a.length != network.length) return false;
            int full = bits / 8;
            for (int i = 0; i < full; i++) if (a[i] != network[i]) return false;
            int rest = bits % 8;
            if (rest == 0) return true;
            int mask = 0xff << (8 - rest) & 0xff;
            return (a[full] & mask) == (network[full] & mask);
        }
    }
}
