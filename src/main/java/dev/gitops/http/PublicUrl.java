package dev.gitops.http;

import java.net.URI;
import java.util.function.Supplier;

/**
 * Where people reach the controller ({@code gitops.public-url}, a path prefix allowed): the base of every link it
 * hands out, and the only {@code Origin} its forms accept. Behind API Gateway with no URL configured, it is the API's
 * own address as API Gateway reports it in each request ({@link ApiGatewayDomain}).
 */
public final class PublicUrl {
    private final Supplier<String> url;

    public PublicUrl(String url) {
        String value = url.replaceAll("/+$", "");
        this.url = () -> value;
    }

    private PublicUrl(Supplier<String> url) {
        this.url = url;
    }

    /** The address API Gateway reports for the requests it passes on (known once one came). */
    static PublicUrl of(ApiGatewayDomain domain) {
        return new PublicUrl(() -> domain.url().orElseThrow(() -> new IllegalStateException("gitops.public-url is not"
                + " set and no request through API Gateway has told the API's address yet: set gitops.public-url")));
    }

    /** The URL without a trailing slash. */
    public String value() {
        return url.get();
    }

    /** {@code scheme://host[:port]} as browsers send it in {@code Origin} (no default port). */
    public String origin() {
        URI uri = URI.create(value());
        int port = uri.getPort();
        boolean defaultPort = port < 0 || ("https".equals(uri.getScheme()) && port == 443)
                || ("http".equals(uri.getScheme()) && port == 80);
        return uri.getScheme() + "://" + uri.getHost() + (defaultPort ? "" : ":" + port);
    }

    /** The URL's path (a stage or proxy prefix), without a trailing slash; empty at the root. */
    public String path() {
        String path = URI.create(value()).getRawPath();
        return path == null ? "" : path.replaceAll("/+$", "");
    }

    /** The host people reach the controller by, lower case. */
    public String host() {
        String host = URI.create(value()).getHost();
        return host == null ? "" : host.toLowerCase(java.util.Locale.ROOT);
    }

    public boolean https() {
        return value().startsWith("https:");
    }

    @Override
    public String toString() {
        return value();
    }
}
