package io.playbill.query;

import io.playbill.query.audit.AuditProperties;
import io.playbill.query.security.InternalProperties;
import io.playbill.query.security.MetricsProperties;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A setting printed in a log line or a start-up failure shows where it points, never its secret. */
class SettingsKeepSecretsOutOfTextTest {

    private static final String SECRET = "the-secret-0123456789abcdef-0123456789abcdef";

    @Test
    void noSettingPrintsItsSecret() {
        AuditProperties audit = new AuditProperties(
                new AuditProperties.LedgerDatasource("jdbc:postgresql://db/playbill_ledger", "auditor", SECRET),
                Duration.ofSeconds(60), 1000, 5000);

        assertThat(audit.toString()).doesNotContain(SECRET).contains("jdbc:postgresql://db/playbill_ledger", "auditor");
        assertThat(new InternalProperties(SECRET).toString()).doesNotContain(SECRET);
        assertThat(new MetricsProperties(SECRET).toString()).doesNotContain(SECRET);
    }
}
