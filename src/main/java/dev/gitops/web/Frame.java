package dev.gitops.web;

/**
 * What the pages' layout ({@code layout.jte}) needs of every page.
 *
 * @param title   the page's title and heading
 * @param base    the path prefix links start with ({@link Pages#base()})
 * @param section the console's section the page belongs to ({@code executions}, {@code locks}, {@code deployments},
 *                {@code drift}), for its navigation; null for a page outside the console (the approval page)
 * @param refresh seconds after which the page reloads itself (0: never), while something on it is still running
 */
public record Frame(String title, String base, String section, int refresh) {
    /** A page outside the console. */
    public static Frame plain(String title, String base) {
        return new Frame(title, base, null, 0);
    }

    public boolean console() {
        return section != null;
    }
}
