package dev.gitops.drift;

import io.micronaut.scheduling.cron.CronExpression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.ZonedDateTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** gitops.drift.schedule read as EventBridge Scheduler reads it, and as local mode runs it. */
class DriftScheduleTest {
    @ParameterizedTest(name = "{0} is every {1}")
    @CsvSource({"rate(1 day), PT24H", "rate(6 hours), PT6H", "rate(30 minutes), PT30M", "'rate( 2  days )', PT48H"})
    void aRateIsAFixedDelay(String text, Duration every) {
        assertEquals(every, DriftSchedule.parse(text).every());
    }

    @Test
    void aCronExpressionRunsOnMicronautsSchedulerWithSecondsFirst() {
        DriftSchedule schedule = DriftSchedule.parse("cron(0 3 ? * MON-FRI *)");
        assertEquals("0 0 3 * * MON-FRI", schedule.cron());
        assertTrue(schedule.on());
        assertTrue(CronExpression.create(schedule.cron()).nextTimeAfter(ZonedDateTime.parse("2026-12-07T10:00:00Z"))
                .isEqual(ZonedDateTime.parse("2026-12-08T03:00:00Z")), "Micronaut's scheduler reads it: Tuesday 03:00");
    }

    @Test
    void numberedDaysAreEventBridgesSundayFirstDays() {
        assertEquals("0 30 2 * * MON-FRI", DriftSchedule.parse("cron(30 2 ? * 2-6 *)").cron());
        assertEquals("0 0 4 * * SUN,SAT", DriftSchedule.parse("cron(0 4 ? * 1,7 *)").cron());
    }

    @Test
    void offRunsNothing() {
        assertFalse(DriftSchedule.parse("off").on());
    }

    @ParameterizedTest(name = "{0} is refused")
    @CsvSource({"daily", "rate(0 days)", "rate(1 week)", "cron(0 3 * *)", "'cron(0 3 ? * * 2027)'"})
    void anythingElseIsRefusedNamingTheSetting(String text) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> DriftSchedule.parse(text));
        assertTrue(refused.getMessage().contains("gitops.drift.schedule"), refused.getMessage());
    }
}
