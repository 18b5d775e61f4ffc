package dev.gitops.webhook;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link Overrun} on a server of its own: the work goes on in the process after the answer. */
@Singleton
@Requires(notEnv = Environment.FUNCTION)
class GoesOn implements Overrun {
    private static final Logger LOG = LoggerFactory.getLogger(GoesOn.class);

    @Override
    public Answer overran(HandedOff delivery) {
        LOG.info("delivery \"{}\" outlasts the sync budget: answering accepted, finishing in the background", delivery.delivery());
        return Answer.Accepted.of(delivery.delivery());
    }

    @Override
    public boolean goesOnHere() {
        return true;
    }
}
