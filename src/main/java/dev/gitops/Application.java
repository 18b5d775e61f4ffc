package dev.gitops;

import dev.gitops.local.JmxListener;
import io.micronaut.runtime.Micronaut;

/**
 * Local entry point: the controller's Netty server, and in local mode (the default outside Lambda) DynamoDB Local and
 * the embedded Step Functions engine with its AWS-protocol endpoint.
 */
public final class Application {
    private Application() {
    }

    public static void main(String[] args) {
        JmxListener.closeBeyondLoopback();
        Micronaut.run(Application.class, args);
    }
}
