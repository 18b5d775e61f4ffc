package dev.gitops;

import dev.gitops.local.LocalServices;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** {@code GET /health}: the controller answers, and in local mode where its engine and DynamoDB Local listen. */
@Controller("/health")
public class HealthController {
    private final Optional<LocalServices> local;

    public HealthController(Optional<LocalServices> local) {
        this.local = local;
    }

    @Get
    public Map<String, Object> health() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "UP");
        body.put("mode", local.isPresent() ? "local" : "aws");
        local.ifPresent(services -> {
            body.put("engineEndpoint", services.engineEndpoint().toString());
            body.put("dynamodbEndpoint", services.dynamodbEndpoint().toString());
            body.put("stateMachineArn", services.stateMachineArn());
        });
        return body;
    }
}
