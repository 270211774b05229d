package io.playbill.gateway.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects every problem of one group of settings, so start-up fails once and names all of them instead of
 * stopping at the first. Problems must never quote secret values.
 */
public final class SettingsCheck {

    private final String prefix;
    private final List<String> problems = new ArrayList<>();

    public SettingsCheck(String prefix) {
        this.prefix = prefix;
    }

    /** Records "{@code prefix.property problem}" unless {@code valid}. */
    public SettingsCheck require(boolean valid, String property, String problem) {
        if (!valid) {
            problems.add(prefix + "." + property + " " + problem);
        }
        return this;
    }

    /** Records "{@code prefix: problem}" unless {@code valid}: a rule about several properties together. */
    public SettingsCheck requireTogether(boolean valid, String problem) {
        if (!valid) {
            problems.add(prefix + ": " + problem);
        }
        return this;
    }

    /** Throws one {@link InvalidSettingsException} listing every recorded problem, if there is any. */
    public void throwIfInvalid() {
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
    }
}
