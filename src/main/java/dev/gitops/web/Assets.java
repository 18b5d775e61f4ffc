package dev.gitops.web;

import io.micronaut.context.annotation.Prototype;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /assets/gitops.css}: the pages' one stylesheet, shipped in the jar (nothing is fetched from elsewhere, and
 * the pages' Content-Security-Policy allows styles from the controller only). Outside {@code /ui}, so the approval page
 * (public in AWS) is styled without the read token.
 */
@Controller("/assets")
@Prototype
class Assets {
    /** Read when first asked for. */
    private static final class Stylesheet {
        static final byte[] BYTES = read("assets/gitops.css");
    }

    @Get(value = "/gitops.css", produces = "text/css")
    HttpResponse<byte[]> stylesheet() {
        return HttpResponse.status(HttpStatus.OK).body(Stylesheet.BYTES).contentType(new MediaType("text/css;charset=utf-8"))
                .header("Cache-Control", "public, max-age=3600").header("X-Content-Type-Options", "nosniff");
    }

    private static byte[] read(String resource) {
        try (InputStream in = Assets.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
