package dev.gitops.http;

import dev.gitops.runtime.InLambda;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import jakarta.inject.Singleton;

/**
 * The {@link PublicUrl}: {@code gitops.public-url}; without it, in Lambda, the API Gateway address requests come
 * through; on a server of its own (local mode supplies its own address) it is required.
 */
@Factory
public class PublicUrls {
    @Singleton
    @InLambda
    public PublicUrl inLambda(HttpConfiguration config, ApiGatewayDomain domain) {
        return config.getPublicUrl() != null ? new PublicUrl(config.getPublicUrl()) : PublicUrl.of(domain);
    }

    @Singleton
    @Requires(notEnv = Environment.FUNCTION)
    public PublicUrl onAServer(HttpConfiguration config) {
        if (config.getPublicUrl() == null) {
            throw new IllegalStateException("gitops.public-url (GITOPS_PUBLIC_URL) must be set: approval links and the"
                    + " page's Origin check are made from it");
        }
        return new PublicUrl(config.getPublicUrl());
    }
}
