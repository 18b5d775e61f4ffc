package dev.gitops.runtime;

import io.micronaut.context.annotation.Replaces;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link Background} in Lambda: the work runs now, before the handler returns and the process freezes. */
@Singleton
@InLambda
@Replaces(PooledBackground.class)
public class InlineBackground implements Background {
    private static final Logger LOG = LoggerFactory.getLogger(InlineBackground.class);

    @Override
    public void run(String what, Runnable work) {
        logged(LOG, what, work);
    }

    static void logged(Logger log, String what, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            log.warn("{} failed: {}", what, e.toString());
        }
    }
}
