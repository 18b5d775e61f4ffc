package dev.gitops.web;

import dev.gitops.http.PublicUrl;
import io.micronaut.context.annotation.Prototype;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The controller's HTML pages (the console, the approval page): jte templates under {@code src/main/jte}, compiled with
 * the code and rendered through Micronaut Views, each sent with the same headers: never cached, never framed, no
 * referrer to other sites, and a Content-Security-Policy that allows no script at all and styles only from the
 * controller's own stylesheet ({@code /assets/gitops.css}, shipped in the jar). The template engine is created when
 * the first page is rendered ({@link Templates}), never while the controller starts or answers a webhook; this bean is a
 * prototype for the same reason (in Lambda every singleton is created at start).
 */
@Prototype
public class Pages {
    /** No script, no inline style, nothing from elsewhere; forms post only back to the controller. */
    public static final String CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self';"
            + " frame-ancestors 'none'; base-uri 'none'";

    private final PublicUrl publicUrl;

    Pages(PublicUrl publicUrl) {
        this.publicUrl = publicUrl;
    }

    /**
     * The path prefix under which people reach the controller (an API Gateway stage, a proxy's prefix): links in pages
     * start with it. Empty at the root, and when the public URL is not known yet.
     */
    public String base() {
        try {
            return publicUrl.path();
        } catch (RuntimeException unknown) {
            return "";
        }
    }

    /** The template {@code template} (its path under {@code src/main/jte}, without {@code .jte}) with {@code page}. */
    public String render(String template, Object page) {
        StringWriter out = new StringWriter();
        try {
            Templates.render(template, Map.of("page", page)).writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** A rendered page with the pages' headers. */
    public MutableHttpResponse<String> respond(HttpStatus status, String template, Object page) {
        return headers(HttpResponse.<String>status(status).body(render(template, page)));
    }

    /** The pages' headers on any HTML or text answer. */
    public static <T> MutableHttpResponse<T> headers(MutableHttpResponse<T> response) {
        if (response.getContentType().isEmpty()) {
            response.contentType(MediaType.TEXT_HTML + ";charset=utf-8");
        }
        return response.header("Cache-Control", "no-store")
                // same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on a form's POST
                .header("Referrer-Policy", "same-origin")
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Content-Security-Policy", CSP);
    }
}
