package io.playbill.query.audit;

import com.fasterxml.jackson.annotation.JsonRawValue;

import java.time.Instant;

/**
 * An audit: {@code running}, then {@code completed} with its report, or {@code failed} with the reason.
 *
 * @param user   the one account audited, or null for all
 * @param report the {@link AuditReport} once completed
 */
public record AuditRunView(String id, String status, String user, Instant asOf, Instant startedAt,
                           Instant finishedAt, @JsonRawValue String report, String error) {

    static final String RUNNING = "running";
    static final String COMPLETED = "completed";
    static final String FAILED = "failed";
}
