package dev.gitops.notify;

import dev.gitops.secrets.Secret;
import dev.gitops.secrets.Secrets;
import jakarta.inject.Singleton;

/** {@code gitops.github.token} (or the Secrets Manager secret {@code gitops.github.token-arn} names), read when first used. */
@Singleton
public class GithubToken {
    private final Secret secret;

    GithubToken(GithubConfiguration config, Secrets secrets) {
        this.secret = secrets.of("gitops.github.token", config.getToken(), config.getTokenArn());
    }

    public Secret secret() {
        return secret;
    }
}
