package dev.gitops;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gitops.local.LocalServices;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

import java.util.Optional;

/** {@code GET /health}: the controller answers, and in local mode where its engine and DynamoDB Local listen. */
@Controller("/health")
public class HealthController {
    /** The answer; the endpoints only in local mode. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Health(String status, String mode, String engineEndpoint, String dynamodbEndpoint,
                         String stateMachineArn) {
    }

    private final Optional<LocalServices> local;

    public HealthController(Optional<LocalServices> local) {
        this.local = local;
    }

    @Get
    public Health health() {
        return local.map(services -> new Health("UP", "local", services.engineEndpoint().toString(),
                        services.dynamodbEndpoint().toString(), services.stateMachineArn()))
                .orElseGet(() -> new Health("UP", "aws", null, null, null));
    }
}
