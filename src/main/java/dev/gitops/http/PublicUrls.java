package dev.gitops.http;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** The configured {@link PublicUrl}: required wherever local mode does not supply its own address. */
@Factory
public class PublicUrls {
    @Singleton
    public PublicUrl publicUrl(HttpConfiguration config) {
        if (config.getPublicUrl() == null) {
            throw new IllegalStateException("gitops.public-url (GITOPS_PUBLIC_URL) must be set: approval links and the"
                    + " page's Origin check are made from it");
        }
        return new PublicUrl(config.getPublicUrl());
    }
}
