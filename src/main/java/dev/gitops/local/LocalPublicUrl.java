package dev.gitops.local;

import dev.gitops.http.HttpConfiguration;
import dev.gitops.http.PublicUrl;
import dev.gitops.http.PublicUrls;
import dev.gitops.runtime.LocalMode;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.server.HttpServerConfiguration;
import jakarta.inject.Singleton;

/** Local mode's {@link PublicUrl}: {@code gitops.public-url} when set, else the controller's own loopback address. */
@Factory
@LocalMode
public class LocalPublicUrl {
    @Singleton
    @Replaces(bean = PublicUrl.class, factory = PublicUrls.class)
    public PublicUrl publicUrl(HttpConfiguration config, HttpServerConfiguration server) {
        if (config.getPublicUrl() != null) {
            return new PublicUrl(config.getPublicUrl());
        }
        return new PublicUrl("http://127.0.0.1:" + server.getPort().orElse(8080));
    }
}
