package io.playbill.gateway.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;

/**
 * Turns {@link InvalidSettingsException} into Spring Boot's "APPLICATION FAILED TO START" report: the list of
 * problems and what to do, without the binder's stack of wrapping exceptions. Registered in
 * {@code META-INF/spring.factories}; ordered first so it wins over Boot's generic bind-failure report.
 */
public class InvalidSettingsFailureAnalyzer extends AbstractFailureAnalyzer<InvalidSettingsException>
        implements Ordered {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidSettingsException cause) {
        String description = "The gateway's settings are invalid:\n - " + String.join("\n - ", cause.problems());
        String action = "Fix the settings listed above (properties, or environment variables such as "
                + "PLAYBILL_TOKEN_SECRET); docs/operations.md lists what a production gateway needs. For a local "
                + "developer run, use ./playbill up, which turns on dev mode (playbill.dev-mode=true) and the profile "
                + "'standalone' with its dev-only defaults.";
        return new FailureAnalysis(description, action, cause);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
