package io.playbill.gateway.config;

import java.util.List;

/** Start-up settings the gateway refuses to run with; {@link InvalidSettingsFailureAnalyzer} prints it. */
public class InvalidSettingsException extends IllegalArgumentException {

    private final List<String> problems;

    public InvalidSettingsException(List<String> problems) {
        super("Invalid gateway settings: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
