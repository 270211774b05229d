package io.playbill.query.audit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * {@code playbill.audit.*}.
 *
 * @param ledgerDatasource the ledger's event store ({@code playbill_ledger}), read only; as environment variables
 *                         {@code PLAYBILL_AUDIT_LEDGER_DATASOURCE_URL}, {@code ..._USERNAME}, {@code ..._PASSWORD}
 * @param publishGrace     a stored event younger than this and not yet on the topic is not a finding
 * @param maxFindings      how many findings a report lists (all are counted)
 * @param fetchSize        rows per round trip when streaming the event store
 */
@ConfigurationProperties("playbill.audit")
public record AuditProperties(LedgerDatasource ledgerDatasource, @DefaultValue("60s") Duration publishGrace,
                              @DefaultValue("1000") int maxFindings, @DefaultValue("5000") int fetchSize) {

    /** JDBC coordinates of the event store. */
    public record LedgerDatasource(String url, String username, String password) {

        /** Keeps the password out of logs and error messages, as the other settings with a secret do. */
        @Override
        public String toString() {
            return "LedgerDatasource[url=" + url + ", username=" + username + ", password=hidden]";
        }
    }
}
