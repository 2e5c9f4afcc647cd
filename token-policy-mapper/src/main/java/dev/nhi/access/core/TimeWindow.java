package dev.nhi.access.core;

import dev.nhi.identity.core.InvalidInputException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Days and an interval of the day, e.g. {@code MON-FRI 06:00-20:00}, {@code SAT,SUN 10:00-14:00} or
 * {@code MON-SUN 00:00-24:00}. The start is inclusive, the end exclusive; an interval does not cross midnight.
 */
public record TimeWindow(Set<DayOfWeek> days, int startMinute, int endMinute, String text) {
    private static final Pattern FORMAT = Pattern.compile("([A-Za-z,\\-]+)\\s+(\\d{2}):(\\d{2})-(\\d{2}):(\\d{2})");
    private static final String EXAMPLE = "e.g. MON-FRI 06:00-20:00";

    public static TimeWindow parse(String key, String text) {
        String value = text.strip();
        Matcher m = FORMAT.matcher(value);
        if (!m.matches()) {
            throw new InvalidInputException(key, key + ": '" + value + "' is not a time window (" + EXAMPLE + ")");
        }
        int start = minute(key, value, m.group(2), m.group(3));
        int end = minute(key, value, m.group(4), m.group(5));
        if (end <= start) {
            throw new InvalidInputException(key, key + ": '" + value + "' ends before it starts; split windows at midnight");
        }
        return new TimeWindow(days(key, value, m.group(1)), start, end, value);
    }

    public boolean contains(ZonedDateTime at) {
        int minute = at.getHour() * 60 + at.getMinute();
        return days.contains(at.getDayOfWeek()) && minute >= startMinute && minute < endMinute;
    }

    private static int minute(String key, String value, String hours, String minutes) {
        int h = Integer.parseInt(hours);
        int m = Integer.parseInt(minutes);
        if (h > 24 || m > 59 || h == 24 && m != 0) {
            throw new InvalidInputException(key, key + ": '" + value + "' has an invalid time (00:00 to 24:00)");
        }
        return h * 60 + m;
    }

    private static Set<DayOfWeek> days(String key, String value, String spec) {
        EnumSet<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String part : spec.split(",")) {
            String[] range = part.split("-", -1);
            if (range.length > 2) {
                throw new InvalidInputException(key, key + ": '" + value + "' has an invalid day range (" + EXAMPLE + ")");
            }
            DayOfWeek from = day(key, value, range[0]);
            DayOfWeek to = range.length == 2 ? day(key, value, range[1]) : from;
            for (DayOfWeek d = from; ; d = d.plus(1)) {
                days.add(d);
                if (d == to) {
                    break;
                }
            }
        }
        return days;
    }

    private static DayOfWeek day(String key, String value, String abbreviation) {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.name().substring(0, 3).equals(abbreviation.toUpperCase(Locale.ROOT))) {
                return d;
            }
        }
        throw new InvalidInputException(key, key + ": '" + value + "' has an unknown day '" + abbreviation
                + "' (MON, TUE, WED, THU, FRI, SAT, SUN)");
    }

    @Override
    public String toString() {
        return text;
    }
}
