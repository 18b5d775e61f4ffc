package dev.gitops.execution;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Execution names as people read them in the console: {@code <env>-<stack>-<sha7>-<delivery8>}, at most 80
 * characters of {@code [A-Za-z0-9_-]}. Other characters become {@code -} and the stack part is cut to fit; when
 * either changed the name, {@code -} and 6 hex digits of sha256(lockId) are appended, so two stacks never share a
 * name. Derived from the delivery, so a redelivery meets the execution it already started.
 */
public final class ExecutionNames {
    private static final int MAX = 80;

    private ExecutionNames() {
    }

    public static String of(String environment, String stack, String sha, String delivery, String lockId) {
        String env = sanitize(environment);
        String name = sanitize(stack);
        String sha7 = Commits.shortSha(sha);
        String delivery8 = delivery.substring(0, Math.min(8, delivery.length()));
        String cleanSha7 = sanitize(sha7);
        String cleanDelivery8 = sanitize(delivery8);
        boolean changed = !env.equals(environment) || !name.equals(stack) || !cleanSha7.equals(sha7)
                || !cleanDelivery8.equals(delivery8);
        int fixed = env.length() + 1 + 1 + cleanSha7.length() + 1 + cleanDelivery8.length();
        int room = MAX - fixed - (changed ? 7 : 0);
        if (name.length() > room) {
            changed = true;
            room = MAX - fixed - 7;
            name = name.substring(0, Math.max(1, room));
        }
        String result = env + "-" + name + "-" + cleanSha7 + "-" + cleanDelivery8;
        return changed ? result + "-" + hash6(lockId) : result;
    }

    /** An execution's name: the last part of its ARN ("" for none). */
    public static String fromArn(String executionArn) {
        return executionArn == null ? "" : executionArn.substring(executionArn.lastIndexOf(':') + 1);
    }

    private static String sanitize(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
            out.append(ok ? c : '-');
        }
        return out.toString();
    }

    private static String hash6(String lockId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(lockId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 3);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
