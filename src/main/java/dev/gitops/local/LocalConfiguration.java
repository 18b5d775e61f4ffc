package dev.gitops.local;

import dev.gitops.runtime.Settings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Local mode ({@code gitops.local.*}): where the embedded engine and DynamoDB Local listen and keep their data.
 * Every setting is also an environment variable, e.g. {@code GITOPS_LOCAL_ENGINE_PORT}.
 */
@ConfigurationProperties("gitops.local")
public class LocalConfiguration {
    private boolean enabled = true;
    @NotBlank
    @Pattern(regexp = "127(\\.\\d{1,3}){3}|::1|localhost", message = "gitops.local.host must be a loopback address"
            + " (127.0.0.1, ::1 or localhost): the engine endpoint serves this machine only")
    private String host = "127.0.0.1";
    @Min(0)
    @Max(65535)
    private int enginePort = 8083;
    @Nullable
    @Min(1)
    @Max(65535)
    private Integer dynamodbPort;
    @NotBlank
    private String dataDir = ".gitops";
    @NotBlank
    private String stateMachineName = "gitops-pipeline";
    @NotBlank
    private String definition = "statemachine/pipeline.asl.json";
    private Map<String, String> definitionSubstitutions = new HashMap<>();
    @NotNull
    private Duration historyRetention = Duration.ofDays(90);
    @Nullable
    private String accessKeyId;
    @Nullable
    private String secretAccessKey;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public int getEnginePort() {
        return enginePort;
    }

    public void setEnginePort(int enginePort) {
        this.enginePort = enginePort;
    }

    /** {@code gitops.local.dynamodb-port}: null (the default) keeps DynamoDB Local in process, without a port. */
    public Integer getDynamodbPort() {
        return dynamodbPort;
    }

    public void setDynamodbPort(@Nullable Integer dynamodbPort) {
        this.dynamodbPort = dynamodbPort;
    }

    public String getDataDir() {
        return dataDir;
    }

    public void setDataDir(String dataDir) {
        this.dataDir = dataDir;
    }

    public String getStateMachineName() {
        return stateMachineName;
    }

    public void setStateMachineName(String stateMachineName) {
        this.stateMachineName = stateMachineName;
    }

    public String getDefinition() {
        return definition;
    }

    public void setDefinition(String definition) {
        this.definition = definition;
    }

    public Map<String, String> getDefinitionSubstitutions() {
        return definitionSubstitutions;
    }

    public void setDefinitionSubstitutions(Map<String, String> definitionSubstitutions) {
        this.definitionSubstitutions = definitionSubstitutions;
    }

    /** {@code gitops.local.history-retention}: closed executions are forgotten this long after they ended. */
    public Duration getHistoryRetention() {
        return historyRetention;
    }

    public void setHistoryRetention(Duration historyRetention) {
        this.historyRetention = historyRetention;
    }

    /** {@code gitops.local.access-key-id}: with the secret, the key the engine endpoint accepts (else one is generated). */
    public String getAccessKeyId() {
        return accessKeyId;
    }

    public void setAccessKeyId(@Nullable String accessKeyId) {
        this.accessKeyId = Settings.text(accessKeyId);
    }

    public String getSecretAccessKey() {
        return secretAccessKey;
    }

    public void setSecretAccessKey(@Nullable String secretAccessKey) {
        this.secretAccessKey = Settings.text(secretAccessKey);
    }

    public Path dataPath() {
        return Path.of(dataDir).toAbsolutePath().normalize();
    }

    /** Where clients reach a local port: loopback when the server listens on every interface. */
    public URI endpoint(int port) {
        String connect = "0.0.0.0".equals(host) || "::".equals(host) ? "127.0.0.1" : host;
        return URI.create("http://" + connect + ":" + port);
    }
}
