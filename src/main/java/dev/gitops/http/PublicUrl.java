package dev.gitops.http;

import java.net.URI;

/**
 * Where people reach the controller ({@code gitops.public-url}, a path prefix allowed): the base of every link it
 * hands out, and the only {@code Origin} its forms accept.
 */
public final class PublicUrl {
    private final String url;

    public PublicUrl(String url) {
        this.url = url.replaceAll("/+$", "");
    }

    /** The URL without a trailing slash. */
    public String value() {
        return url;
    }

    /** {@code scheme://host[:port]} as browsers send it in {@code Origin} (no default port). */
    public String origin() {
        URI uri = URI.create(url);
        int port = uri.getPort();
        boolean defaultPort = port < 0 || ("https".equals(uri.getScheme()) && port == 443)
                || ("http".equals(uri.getScheme()) && port == 80);
        return uri.getScheme() + "://" + uri.getHost() + (defaultPort ? "" : ":" + port);
    }

    /** The URL's path (a stage or proxy prefix), without a trailing slash; empty at the root. */
    public String path() {
        String path = URI.create(url).getRawPath();
        return path == null ? "" : path.replaceAll("/+$", "");
    }

    /** The host people reach the controller by, lower case. */
    public String host() {
        String host = URI.create(url).getHost();
        return host == null ? "" : host.toLowerCase(java.util.Locale.ROOT);
    }

    public boolean https() {
        return url.startsWith("https:");
    }

    @Override
    public String toString() {
        return url;
    }
}
