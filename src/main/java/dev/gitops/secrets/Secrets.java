package dev.gitops.secrets;

import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * Makes the {@link Secret}s of settings: a value given directly wins over its ARN; an ARN is read from Secrets Manager
 * (its {@code SecretString}, else its binary as UTF-8) when first needed. The client is only built then.
 */
@Singleton
public class Secrets {
    private final SecretSource source;
    private final Clock clock;

    Secrets(BeanProvider<SecretsManagerClient> client, Clock clock) {
        this.source = arn -> read(client.get(), arn);
        this.clock = clock;
    }

    /**
     * @param setting the value's setting, for sentences ({@code gitops.webhook.secret})
     * @param value   the value given directly, or null
     * @param arn     the ARN of the secret holding it, or null
     */
    public Secret of(String setting, String value, String arn) {
        return new Secret(setting, value, arn, source, clock);
    }

    private static String read(SecretsManagerClient client, String arn) {
        try {
            GetSecretValueResponse secret = client.getSecretValue(b -> b.secretId(arn));
            if (secret.secretString() != null) {
                return secret.secretString().strip();
            }
            if (secret.secretBinary() != null) {
                return secret.secretBinary().asString(StandardCharsets.UTF_8).strip();
            }
            throw new SecretUnavailable("secret \"" + arn + "\" holds no value", null);
        } catch (SdkException e) {
            throw new SecretUnavailable("could not read secret \"" + arn + "\" from Secrets Manager: " + e.getMessage(), e);
        }
    }
}
