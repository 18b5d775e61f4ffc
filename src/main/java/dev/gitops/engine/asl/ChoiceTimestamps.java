package dev.gitops.engine.asl;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Timestamps as Choice rules accept them: RFC 3339 date-times ({@code 2016-03-14T01:59:00Z},
 * {@code 2016-03-14T03:59:00.125+02:00}) with an uppercase {@code T} and {@code Z}, seconds required.
 */
final class ChoiceTimestamps {
    private ChoiceTimestamps() {
    }

    /** The instant the text denotes, or null when it is not such a timestamp. */
    static Instant parse(String text) {
        int length = text.length();
        if (length < 20 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
                || second > 59) {
            return null;
        }
        int position = 19;
        int nanos = 0;
        if (text.charAt(position) == '.') {
            int start = ++position;
            while (position < length && isDigit(text.charAt(position))) {
                if (position - start < 9) {
                    nanos = nanos * 10 + (text.charAt(position) - '0');
                }
                position++;
            }
            int count = position - start;
            if (count == 0) {
                return null;
            }
            for (int i = count; i < 9; i++) {
                nanos *= 10;
            }
        }
        if (position >= length) {
            return null;
        }
        int offsetSeconds;
        char zone = text.charAt(position);
        if (zone == 'Z') {
            if (position + 1 != length) {
                return null;
            }
            offsetSeconds = 0;
        } else if (zone == '+' || zone == '-') {
            if (position + 6 != length || text.charAt(position + 3) != ':') {
                return null;
            }
            int offsetHours = digits(text, position + 1, position + 3);
            int offsetMinutes = digits(text, position + 4, position + 6);
            if (offsetHours < 0 || offsetHours > 23 || offsetMinutes < 0 || offsetMinutes > 59) {
                return null;
            }
            offsetSeconds = (zone == '-' ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
        } else {
            return null;
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return null;
        }
        long epochSecond = epochDay * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
        return Instant.ofEpochSecond(epochSecond, nanos);
    }

    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
