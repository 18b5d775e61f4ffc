package dev.gitops.engine.api;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether a {@code Host} header names this machine: {@code localhost}, an address in 127.0.0.0/8 or {@code [::1]},
 * with or without a port. Decided from the text alone, never by resolving a name (a rebinding attacker controls DNS).
 */
public final class LoopbackHost {
    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");

    private LoopbackHost() {
    }

    public static boolean is(String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        String name = host.trim().toLowerCase(Locale.ROOT);
        if (name.startsWith("[")) {
            int end = name.indexOf(']');
            return end > 0 && name.substring(1, end).equals("::1") && validPort(name.substring(end + 1));
        }
        int colon = name.indexOf(':');
        String bare = colon < 0 ? name : name.substring(0, colon);
        if (colon >= 0 && !validPort(name.substring(colon))) {
            return false;
        }
        return bare.equals("localhost") || bare.equals("localhost.") || IPV4_LOOPBACK.matcher(bare).matches();
    }

    private static boolean validPort(String rest) {
        return rest.isEmpty() || rest.matches(":\\d{1,5}");
    }
}
