package dev.gitops.runtime;

/** How settings read: an environment variable set to nothing ({@code GITOPS_GIT_TOKEN=}) is no setting at all. */
public final class Settings {
    private Settings() {
    }

    /** The setting's text, or null when it is unset or blank. */
    public static String text(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
