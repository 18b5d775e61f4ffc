package dev.gitops.drift;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code gitops.drift.schedule} read as EventBridge Scheduler reads it (the SAM template passes it on as it is):
 * {@code off}, {@code rate(<n> minutes|hours|days)} or {@code cron(<minutes> <hours> <day-of-month> <month>
 * <day-of-week> <year>)}, UTC. Locally a rate is a fixed delay and a cron expression runs on Micronaut's scheduler.
 *
 * @param every the delay between checks, for a rate; null otherwise
 * @param cron  the cron expression as Micronaut's scheduler reads it (seconds first), for a cron; null otherwise
 */
public record DriftSchedule(Duration every, String cron) {
    private static final Pattern RATE = Pattern.compile("rate\\(\\s*([1-9][0-9]*)\\s+(minute|minutes|hour|hours|day|days)\\s*\\)");
    private static final Pattern CRON = Pattern.compile("cron\\(\\s*(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s*\\)");

    /** @throws IllegalArgumentException naming the setting and the forms it takes */
    public static DriftSchedule parse(String text) {
        String value = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (value.equals("off")) {
            return new DriftSchedule(null, null);
        }
        Matcher rate = RATE.matcher(value);
        if (rate.matches()) {
            long n = Long.parseLong(rate.group(1));
            Duration unit = rate.group(2).startsWith("minute") ? Duration.ofMinutes(1)
                    : rate.group(2).startsWith("hour") ? Duration.ofHours(1) : Duration.ofDays(1);
            return new DriftSchedule(unit.multipliedBy(n), null);
        }
        Matcher cron = CRON.matcher(text == null ? "" : text.trim());
        if (cron.matches()) {
            if (!cron.group(6).equals("*")) {
                throw new IllegalArgumentException("gitops.drift.schedule: locally a cron expression's year must be *"
                        + " (it is '" + cron.group(6) + "')");
            }
            return new DriftSchedule(null, String.join(" ", "0", cron.group(1), cron.group(2), star(cron.group(3)),
                    cron.group(4), dayNames(star(cron.group(5)))));
        }
        throw new IllegalArgumentException("gitops.drift.schedule must be off, rate(<n> minutes|hours|days) or"
                + " cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>), as EventBridge Scheduler"
                + " reads it; it is '" + text + "'");
    }

    /** Whether drift checks run on their own. */
    public boolean on() {
        return every != null || cron != null;
    }

    /** EventBridge numbers days 1 (Sunday) to 7 (Saturday); Micronaut's scheduler does not: days go by name. */
    private static String dayNames(String field) {
        Matcher digit = Pattern.compile("[1-7]").matcher(field);
        StringBuilder out = new StringBuilder();
        while (digit.find()) {
            digit.appendReplacement(out, DAYS[Integer.parseInt(digit.group()) - 1]);
        }
        return digit.appendTail(out).toString();
    }

    private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

    private static String star(String field) {
        return field.equals("?") ? "*" : field;
    }
}
