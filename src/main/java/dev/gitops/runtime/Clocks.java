package dev.gitops.runtime;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.time.Clock;

/** The one clock the controller reads (UTC); tests replace it to move time. */
@Factory
public class Clocks {
    @Singleton
    public Clock clock() {
        return Clock.systemUTC();
    }
}
