package dev.gitops.engine.asl;

/**
 * InputPath or OutputPath: a path, or JSON {@code null} (which means "use {}"). Absent fields are {@link #ROOT}.
 */
public record PathSpec(String path) {
    public static final PathSpec ROOT = new PathSpec("$");
    public static final PathSpec DISCARD = new PathSpec(null);

    public boolean discards() {
        return path == null;
    }

    public boolean isRoot() {
        return "$".equals(path);
    }
}
