package io.playbill.service.parking;

import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.QueryTimeoutException;

import java.sql.SQLException;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

class FailuresTest {

    @Test
    void whatEveryItemWouldMeetIsRetriedNotParked() {
        assertThat(Failures.isTransient(new CompletionException(new QueryTimeoutException("slow")))).isTrue();
        assertThat(Failures.isTransient(new RuntimeException(new NotLeaderOrFollowerException("moved")))).isTrue();
        assertThat(Failures.isTransient(new RuntimeException(new SQLException("gone", "08006")))).isTrue();
        assertThat(Failures.isTransient(new RuntimeException(new SQLException("deadlock", "40P01")))).isTrue();
        assertThat(Failures.isTransient(new RuntimeException(new SQLException("lock timeout", "55P03")))).isTrue();
        assertThat(Failures.isTransient(new RuntimeException(new SQLException("no column", "42703")))).isTrue();
    }

    @Test
    void whatOnlyThisItemMeetsIsParkedAfterItsAttempts() {
        assertThat(Failures.isTransient(new DataIntegrityViolationException("check",
                new SQLException("violates check constraint", "23514")))).isFalse();
        assertThat(Failures.isTransient(new SQLException("invalid byte sequence", "22021"))).isFalse();
        assertThat(Failures.isTransient(new IllegalArgumentException("bad payload"))).isFalse();
    }

    @Test
    void theDescriptionSkipsWrappersKeepsTheDatabasesWordsAndIsStorable() {
        SQLException refused = new SQLException("ERROR: value \u0000 refused", "23514");
        String text = Failures.describe(new CompletionException(new DataIntegrityViolationException(
                "could not insert", refused)));

        assertThat(text).startsWith("DataIntegrityViolationException: could not insert")
                .contains("value \uFFFD refused").doesNotContain("CompletionException").doesNotContain("\u0000");
        assertThat(Failures.describe(new IllegalStateException("x".repeat(5000)))).hasSize(2000);
        assertThat(Failures.describe(new IllegalStateException("lone \uD800 surrogate"))).contains("lone \uFFFD");
    }
}
