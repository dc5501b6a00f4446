package io.tally.realtime.transport;

/**
 * The client's address behind proxies. {@code X-Forwarded-For} is honoured only when the direct peer
 * is a trusted proxy hop (on Beanstalk: nginx on the same host, which appends the balancer's view),
 * and then only its last {@code trustedHops} entries are believed: anything further left was written
 * by the client and could be forged.
 */
public final class ClientAddress {
    private final int trustedHops;

    /** {@code trustedHops}: proxies in front of the app that append to X-Forwarded-For (Beanstalk: the ALB and nginx, so 2). */
    public ClientAddress(int trustedHops) {
        this.trustedHops = trustedHops;
    }

    public String resolve(String peerAddress, String forwardedFor) {
        if (trustedHops <= 0 || forwardedFor == null || forwardedFor.isBlank() || !isLoopback(peerAddress)) {
            return peerAddress;
        }
        String[] hops = forwardedFor.split(",");
        int index = Math.max(0, hops.length - trustedHops);
        String candidate = hops[index].trim();
        return candidate.isEmpty() ? peerAddress : candidate;
    }

    private static boolean isLoopback(String address) {
        return address != null && (address.startsWith("127.") || address.equals("::1") || address.equals("0:0:0:0:0:0:0:1"));
    }
}
