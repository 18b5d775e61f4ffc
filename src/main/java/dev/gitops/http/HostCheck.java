package dev.gitops.http;

import dev.gitops.runtime.LocalMode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Local mode's controller answers only requests that name it: a loopback host ({@code 127.0.0.1}, {@code localhost},
 * {@code [::1]}) or the public URL's host. A web page elsewhere that rebinds its own name to this machine sends that
 * name, and is refused before anything runs. Decided from the header's text alone, never by resolving it.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@LocalMode
class HostCheck {
    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");

    private final PublicUrl publicUrl;

    HostCheck(PublicUrl publicUrl) {
        this.publicUrl = publicUrl;
    }

    @RequestFilter
    @Nullable
    HttpResponse<?> check(HttpRequest<?> request) {
        String host = request.getHeaders().get(HttpHeaders.HOST);
        String name = hostName(host);
        if (name != null && (loopback(name) || name.equals(publicUrl.host()))) {
            return null;
        }
        return ApiError.respond(421, "foreign-host", "Host '" + host + "' is neither this machine (127.0.0.1, localhost)"
                + " nor gitops.public-url's host '" + publicUrl.host() + "': the request was not meant for this controller");
    }

    /** The host of a {@code Host} header without its port, lower case; null when it is not one. */
    static String hostName(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String text = header.trim().toLowerCase(Locale.ROOT);
        if (text.startsWith("[")) {
            int end = text.indexOf(']');
            return end < 0 ? null : text.substring(0, end + 1);
        }
        int colon = text.indexOf(':');
        return colon < 0 ? text : text.substring(0, colon);
    }

    static boolean loopback(String name) {
        return name.equals("localhost") || name.equals("[::1]") || IPV4_LOOPBACK.matcher(name).matches();
    }
}
