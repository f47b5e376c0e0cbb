package org.bouncekit.core.internal;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * Lenient RFC 5322 date-time reading: optional day name, day, month name, 2- or 4-digit year, time with or without
 * seconds, numeric or named zone, comments. Thread-safe (stateless).
 */
public final class Dates {

    private static final Map<String, Integer> MONTHS = Map.ofEntries(
            Map.entry("jan", 1), Map.entry("feb", 2), Map.entry("mar", 3), Map.entry("apr", 4),
            Map.entry("may", 5), Map.entry("jun", 6), Map.entry("jul", 7), Map.entry("aug", 8),
            Map.entry("sep", 9), Map.entry("oct", 10), Map.entry("nov", 11), Map.entry("dec", 12));
    private static final Map<String, Integer> ZONES = Map.ofEntries(
            Map.entry("ut", 0), Map.entry("utc", 0), Map.entry("gmt", 0), Map.entry("z", 0),
            Map.entry("est", -5), Map.entry("edt", -4), Map.entry("cst", -6), Map.entry("cdt", -5),
            Map.entry("mst", -7), Map.entry("mdt", -6), Map.entry("pst", -8), Map.entry("pdt", -7),
            Map.entry("jst", 9), Map.entry("cet", 1), Map.entry("cest", 2), Map.entry("bst", 1));

    private Dates() {
    }

    /**
     * Reads a date-time.
     *
     * @param value text such as {@code Thu, 29 Apr 2010 23:34:45 +0900 (JST)}, may be null
     * @return the date-time, or null when it cannot be read
     */
    public static OffsetDateTime parse(String value) {
        if (value == null || value.length() > 200) {
            return null;
        }
        String s = Addresses.stripComments(value).replace(',', ' ').strip();
        String[] t = tokens(s);
        int i = 0;
        if (i < t.length && !t[i].isEmpty() && Character.isLetter(t[i].charAt(0))
                && !MONTHS.containsKey(prefix3(t[i]))) {
            i++; // day name
        }
        try {
            int day;
            int month;
            if (i + 1 < t.length && isNumber(t[i])) {
                day = Integer.parseInt(t[i]);
                Integer m = MONTHS.get(prefix3(t[i + 1]));
                if (m == null) {
                    return null;
                }
                month = m;
                i += 2;
            } else if (i + 1 < t.length && MONTHS.containsKey(prefix3(t[i])) && isNumber(t[i + 1])) {
                month = MONTHS.get(prefix3(t[i])); // "Apr 29 2010" (asctime-like)
                day = Integer.parseInt(t[i + 1]);
                i += 2;
            } else {
                return null;
            }
            if (i >= t.length) {
                return null;
            }
            String yearTok = t[i];
            String timeTok;
            if (yearTok.indexOf(':') > 0 && i + 1 < t.length && isNumber(t[i + 1])) {
                timeTok = yearTok; // asctime: time before year
                yearTok = t[i + 1];
                i += 2;
            } else {
                if (!isNumber(yearTok) || i + 1 >= t.length) {
                    return null;
                }
                timeTok = t[i + 1];
                i += 2;
            }
            int year = Integer.parseInt(yearTok);
            if (yearTok.length() <= 2) {
                year += year < 50 ? 2000 : 1900;
            } else if (yearTok.length() == 3) {
                year += 1900;
            }
            String[] hms = timeTok.split(":");
            if (hms.length < 2 || hms.length > 3) {
                return null;
            }
            int hour = Integer.parseInt(hms[0]);
            int minute = Integer.parseInt(hms[1]);
            int second = hms.length == 3 ? Integer.parseInt(hms[2].length() > 2 ? hms[2].substring(0, 2) : hms[2])
                    : 0;
            ZoneOffset zone = ZoneOffset.UTC;
            if (i < t.length) {
                zone = zone(t[i]);
                if (zone == null) {
                    zone = ZoneOffset.UTC;
                }
            }
            if (second == 60) {
                second = 59;
            }
            return OffsetDateTime.of(LocalDateTime.of(year, month, day, hour, minute, second), zone);
        } catch (NumberFormatException | DateTimeException e) {
            return null;
        }
    }

    /** The text split at runs of spaces and tabs (no regular expression: this runs for every report date). */
    private static String[] tokens(String s) {
        String[] out = new String[8];
        int n = 0;
        int i = 0;
        while (i < s.length() && n < 8) {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
                i++;
            }
            int start = i;
            while (i < s.length() && s.charAt(i) != ' ' && s.charAt(i) != '\t') {
                i++;
            }
            if (i > start) {
                out[n++] = s.substring(start, i);
            }
        }
        return Arrays.copyOf(out, n);
    }

    private static ZoneOffset zone(String z) {
        if ((z.startsWith("+") || z.startsWith("-")) && z.length() >= 5) {
            String digits = z.substring(1).replace(":", "");
            if (digits.length() < 4 || !isNumber(digits.substring(0, 4))) {
                return null;
            }
            int hh = Integer.parseInt(digits.substring(0, 2));
            int mm = Integer.parseInt(digits.substring(2, 4));
            if (hh > 18 || mm > 59) {
                return null;
            }
            int sign = z.charAt(0) == '-' ? -1 : 1;
            return ZoneOffset.ofHoursMinutes(sign * hh, sign * mm);
        }
        Integer h = ZONES.get(z.toLowerCase(Locale.ROOT));
        return h == null ? null : ZoneOffset.ofHours(h);
    }

    private static String prefix3(String s) {
        return s.length() >= 3 ? s.substring(0, 3).toLowerCase(Locale.ROOT) : s.toLowerCase(Locale.ROOT);
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty() || s.length() > 9) {
            return false;
        }
        for (int k = 0; k < s.length(); k++) {
            if (s.charAt(k) < '0' || s.charAt(k) > '9') {
                return false;
            }
        }
        return true;
    }
}
