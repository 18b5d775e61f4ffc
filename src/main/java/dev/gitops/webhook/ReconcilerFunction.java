package dev.gitops.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitops.function.LambdaFunction;
import dev.gitops.function.Payloads;
import dev.gitops.runtime.InLambda;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/** The reconciler in AWS ({@code GITOPS_FUNCTION=reconciler}), called by an EventBridge Scheduler schedule. */
@Singleton
@InLambda
@Named(ReconcilerFunction.NAME)
public class ReconcilerFunction implements LambdaFunction {
    public static final String NAME = "reconciler";

    private final Reconciler reconciler;
    private final Payloads payloads;

    ReconcilerFunction(Reconciler reconciler, Payloads payloads) {
        this.reconciler = reconciler;
        this.payloads = payloads;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public JsonNode handle(JsonNode payload) {
        return payloads.write(reconciler.reconcile());
    }
}
