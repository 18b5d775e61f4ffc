package dev.gitops.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.ServerHttpRequest;
import io.micronaut.http.body.CloseableAvailableByteBody;

import java.util.concurrent.TimeUnit;

/**
 * A request's body exactly as it arrived, for signatures over raw bytes. Netty binds it to {@code @Body byte[]}; behind
 * API Gateway, Micronaut's Lambda proxy parses {@code application/x-www-form-urlencoded} bodies into a map and binds no
 * bytes, so they are read from the request's byte body instead.
 */
public final class RawBody {
    private RawBody() {
    }

    public static byte[] of(HttpRequest<?> request, byte[] bound) {
        if (bound != null) {
            return bound;
        }
        if (request instanceof ServerHttpRequest<?> server) {
            try (CloseableAvailableByteBody body = server.byteBody().split().buffer().get(30, TimeUnit.SECONDS)) {
                return body.toByteArray();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                return new byte[0];
            }
        }
        return new byte[0];
    }
}
