package dev.gitops.drift;

import dev.gitops.runtime.LocalMode;
import io.micronaut.context.annotation.Context;
import io.micronaut.scheduling.TaskScheduler;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ScheduledFuture;

/** Local mode's drift schedule ({@code gitops.drift.schedule}); in AWS an EventBridge Scheduler schedule starts checks. */
@Context
@LocalMode
class DriftTimer {
    private static final Logger LOG = LoggerFactory.getLogger(DriftTimer.class);

    private final ScheduledFuture<?> scheduled;

    DriftTimer(DriftConfiguration config, DriftChecks checks, @Named("scheduled") TaskScheduler scheduler) {
        DriftSchedule schedule = DriftSchedule.parse(config.getSchedule());
        Runnable check = () -> {
            try {
                checks.start(null);
            } catch (RuntimeException e) {
                LOG.warn("the scheduled drift check could not be started: {}", e.toString());
            }
        };
        if (schedule.every() != null) {
            scheduled = scheduler.scheduleWithFixedDelay(schedule.every(), schedule.every(), check);
        } else if (schedule.cron() != null) {
            scheduled = scheduler.schedule(schedule.cron(), check);
        } else {
            scheduled = null;
        }
        LOG.info("drift checks: {}", schedule.on() ? config.getSchedule() + " (gitops.drift.schedule)"
                : "off (gitops.drift.schedule); POST /api/drift starts one");
    }

    @PreDestroy
    void stop() {
        if (scheduled != null) {
            scheduled.cancel(false);
        }
    }
}
