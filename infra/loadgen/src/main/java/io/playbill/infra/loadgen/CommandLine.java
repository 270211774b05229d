package io.playbill.infra.loadgen;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value} options and bare {@code --flag}s. Unknown options are refused, so a typo never silently
 * runs a different load than the one asked for.
 */
public final class CommandLine {

    private final Map<String, String> values = new LinkedHashMap<>();

    private CommandLine() {
    }

    /**
     * @param withValue options that take a value
     * @param flags     options that take none
     */
    public static CommandLine parse(String[] args, Set<String> withValue, Set<String> flags) {
        CommandLine line = new CommandLine();
        List<String> list = Arrays.asList(args);
        for (int i = 0; i < list.size(); i++) {
            String option = list.get(i);
            if (flags.contains(option)) {
                line.values.put(option, "true");
            } else if (withValue.contains(option)) {
                if (i + 1 >= list.size()) {
                    throw new IllegalArgumentException(option + " needs a value");
                }
                line.values.put(option, list.get(++i));
            } else {
                throw new IllegalArgumentException("Unknown option " + option);
            }
        }
        return line;
    }

    public boolean has(String option) {
        return values.containsKey(option);
    }

    public String string(String option, String fallback) {
        return values.getOrDefault(option, fallback);
    }

    public long number(String option, long fallback, long min, long max) {
        String value = values.get(option);
        if (value == null) {
            return fallback;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number, not '" + value + "'");
        }
        if (parsed < min || parsed > max) {
            throw new IllegalArgumentException(option + " must be between " + min + " and " + max);
        }
        return parsed;
    }

    public double decimal(String option, double fallback, double min, double max) {
        String value = values.get(option);
        if (value == null) {
            return fallback;
        }
        double parsed;
        try {
            parsed = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a number, not '" + value + "'");
        }
        if (!(parsed >= min && parsed <= max)) {
            throw new IllegalArgumentException(option + " must be between " + min + " and " + max);
        }
        return parsed;
    }

    public Duration duration(String option, Duration fallback, Duration min, Duration max) {
        String value = values.get(option);
        if (value == null) {
            return fallback;
        }
        Duration parsed = Durations.parse(value);
        if (parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0) {
            throw new IllegalArgumentException(option + " must be between " + Durations.seconds(min) + " and "
                    + Durations.seconds(max));
        }
        return parsed;
    }
}
