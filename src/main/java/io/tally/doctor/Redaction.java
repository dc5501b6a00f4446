package io.tally.doctor;

import java.util.regex.Pattern;

/**
 * Removes what a public page must not show from a broker's status detail: URLs (which may carry a
 * password), user-info, and the Redis host name (internal topology; the operator knows it).
 */
final class Redaction {
    private static final Pattern URL = Pattern.compile("(?i)\\brediss?://\\S+");
    private static final Pattern USER_INFO = Pattern.compile("[^\\s/@:]*:[^\\s/@]*@");

    private Redaction() {}

    static String redact(String detail, String redisUrl) {
        if (detail == null) return null;
        String s = URL.matcher(detail).replaceAll("(redis url)");
        s = USER_INFO.matcher(s).replaceAll("");
        for (String host : hosts(redisUrl)) s = s.replace(host, "(redis host)");
        s = s.replaceAll("\\(redis host\\):\\d+", "(redis host)");
        if (redisUrl != null && !redisUrl.isEmpty()) s = s.replace(redisUrl, "(redis url)");
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    /** The host names in {@code redis[s]://[user:pass@]host[:port][,host[:port]...][/db]}. */
    static java.util.List<String> hosts(String redisUrl) {
        java.util.List<String> hosts = new java.util.ArrayList<>();
        if (redisUrl == null) return hosts;
        int scheme = redisUrl.indexOf("://");
        String rest = scheme < 0 ? redisUrl : redisUrl.substring(scheme + 3);
        int at = rest.lastIndexOf('@');
        if (at >= 0) rest = rest.substring(at + 1);
        int end = rest.length();
        for (char c : new char[] {'/', '?'}) {
            int i = rest.indexOf(c);
            if (i >= 0 && i < end) end = i;
        }
        for (String hp : rest.substring(0, end).split(",")) {
            hp = hp.trim();
            String host = hp.startsWith("[") && hp.contains("]")
                    ? hp.substring(1, hp.indexOf(']'))
                    : hp.contains(":") ? hp.substring(0, hp.lastIndexOf(':')) : hp;
            if (host.length() >= 3) hosts.add(host);
        }
        return hosts;
    }
}
