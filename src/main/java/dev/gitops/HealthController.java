package dev.gitops;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.gitops.runtime.LocalReport;
import dev.gitops.runtime.WireNames;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code GET /health}: the controller answers, and in local mode where its engine and DynamoDB Local listen. */
@Controller("/health")
public class HealthController {
    /** How the controller runs. */
    public enum Mode {
        LOCAL, AWS;

        @JsonValue
        public String wire() {
            return WireNames.of(this);
        }
    }

    /**
     * The answer; in local mode also where the engine and DynamoDB Local listen, what each environment's builds run
     * with, and warnings about isolation weaker than in AWS.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Health(String status, Mode mode, String engineEndpoint, String dynamodbEndpoint,
                         String stateMachineArn, String buildIsolation, Map<String, Map<String, String>> buildCredentials,
                         List<String> warnings) {
    }

    private final Optional<LocalReport> local;

    public HealthController(Optional<LocalReport> local) {
        this.local = local;
    }

    @Get
    public Health health() {
        return local.map(l -> new Health("UP", Mode.LOCAL, l.engineEndpoint(), l.dynamodbEndpoint(), l.stateMachineArn(),
                        l.buildIsolation(), l.buildCredentials(), l.warnings()))
                .orElseGet(() -> new Health("UP", Mode.AWS, null, null, null, null, null, null));
    }
}
