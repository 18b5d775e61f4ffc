package dev.gitops.runner;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How local builds are kept from the controller ({@code gitops.runner.isolation}): a plan runs the repository's code,
 * so what a build can reach, a collaborator with push access can.
 * <ul>
 *   <li>{@code users} (the controller runs as root): every terraform command of a build runs as a Unix user of the
 *   build's own, from its environment's block of user ids, and everything that user started is ended after each
 *   command; the buildspec's own steps (hashing, storing the plan) stay with the controller's user. Such a user can
 *   read neither the data directory (mode 700), nor the controller's process, nor another build's.</li>
 *   <li>{@code bubblewrap} (not root, {@code bwrap} installed): the whole build runs in a sandbox with its own process
 *   namespace, the data directory, the other builds and the operator's home replaced by empty directories.</li>
 *   <li>{@code none}: builds run as the controller's user and can read what it can; said loudly at startup and in
 *   {@code /health}.</li>
 * </ul>
 * {@code auto} (the default) takes the first of these the machine allows.
 */
public final class Isolation {
    private static final Logger LOG = LoggerFactory.getLogger(Isolation.class);

    /** The setting. */
    public enum Mode { AUTO, USERS, BUBBLEWRAP, NONE }

    private final Mode mode;
    private final String reason;

    private Isolation(Mode mode, String reason) {
        this.mode = mode;
        this.reason = reason;
    }

    /** The isolation {@code setting} asks for, as this machine allows it. */
    public static Isolation resolve(Mode setting) {
        boolean root = uid() == 0;
        boolean users = root && onPath("setpriv") && onPath("pkill") && onPath("pgrep");
        String bubblewrap = onPath("bwrap") ? bubblewrapWorks() : "bwrap is not installed";
        return switch (setting) {
            case USERS -> {
                if (!users) {
                    throw new IllegalStateException("gitops.runner.isolation=users needs the controller to run as root with"
                            + " setpriv, pkill and pgrep on PATH (util-linux, procps)");
                }
                yield new Isolation(Mode.USERS, "configured");
            }
            case BUBBLEWRAP -> {
                if (bubblewrap != null) {
                    throw new IllegalStateException("gitops.runner.isolation=bubblewrap: " + bubblewrap);
                }
                yield new Isolation(Mode.BUBBLEWRAP, "configured");
            }
            case NONE -> new Isolation(Mode.NONE, "gitops.runner.isolation is none");
            case AUTO -> users ? new Isolation(Mode.USERS, "the controller runs as root")
                    : bubblewrap == null ? new Isolation(Mode.BUBBLEWRAP, "bwrap is installed")
                    : new Isolation(Mode.NONE, (root ? "setpriv, pkill or pgrep is missing" : "the controller does not run as"
                    + " root") + " and " + bubblewrap);
        };
    }

    public Mode mode() {
        return mode;
    }

    /** What builds run as, for the log and {@code /health}. */
    public String describe() {
        return switch (mode) {
            case USERS -> "users: each build's terraform runs as a Unix user of its own (its environment's runner-uid"
                    + " block), ended with everything it started after each command";
            case BUBBLEWRAP -> "bubblewrap: each build runs in a sandbox of its own (process namespace; data directory,"
                    + " other builds and the operator's home hidden)";
            default -> "none: builds run as the controller's user (" + reason + ")";
        };
    }

    /** A warning when builds are not isolated; null when they are. */
    public String warning() {
        return mode != Mode.NONE ? null : "builds are NOT isolated from the controller (" + reason + "): a plan runs the"
                + " repository's code as the controller's user, so anyone who can push can read its secrets, its data"
                + " directory and the engine's credentials. Run the controller as root (builds then drop to users of"
                + " their own) or install bubblewrap.";
    }

    /** The effective user id of this process (the owner of /proc/self). */
    static int uid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return -1;
        }
    }

    static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    /** Null when bwrap can make a sandbox here; else why not. */
    private static String bubblewrapWorks() {
        try {
            Process probe = new ProcessBuilder(List.of("bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
                    "--unshare-pid", "--die-with-parent", "true")).redirectErrorStream(true).start();
            String output = new String(probe.getInputStream().readAllBytes()).trim();
            if (!probe.waitFor(10, TimeUnit.SECONDS)) {
                probe.destroyForcibly();
                return "bwrap did not answer";
            }
            if (probe.exitValue() != 0) {
                LOG.info("bwrap cannot sandbox here: {}", output);
                return "bwrap cannot sandbox here (" + output + ")";
            }
            return null;
        } catch (IOException e) {
            return "bwrap could not run: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
