package dev.gitops.local;

import dev.gitops.runtime.LocalMode;
import dev.gitops.runtime.LocalReport;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Local mode's part of {@code GET /health}: where the engine and DynamoDB Local listen, and the pipeline. */
@Singleton
@LocalMode
class LocalHealth implements LocalReport {
    private final LocalServices services;

    LocalHealth(LocalServices services) {
        this.services = services;
    }

    @Override
    public String engineEndpoint() {
        return services.engineEndpoint().toString();
    }

    @Override
    public String dynamodbEndpoint() {
        return services.dynamodbEndpoint();
    }

    @Override
    public String stateMachineArn() {
        return services.stateMachineArn();
    }

    @Override
    public Map<String, Map<String, String>> buildCredentials() {
        return services.projects().describeCredentials();
    }

    @Override
    public List<String> warnings() {
        List<String> warnings = new ArrayList<>();
        if (services.isolation().warning() != null) {
            warnings.add(services.isolation().warning());
        }
        String shared = services.projects().sharingTheOperatorsCredentials();
        if (shared != null) {
            warnings.add(shared);
        }
        return warnings;
    }

    @Override
    public String buildIsolation() {
        return services.isolation().describe();
    }
}
