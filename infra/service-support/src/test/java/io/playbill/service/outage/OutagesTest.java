package io.playbill.service.outage;

import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.CannotCreateTransactionException;

import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** An outage is answered 503 and retried by the caller; anything else is a bug and must not look like one. */
class OutagesTest {

    @Test
    void aConnectionRefusedDeepInsideIsTheDatabase() {
        Exception failure = new IllegalStateException("query failed",
                new SQLException("Connection to localhost:5432 refused", "08001"));

        assertThat(Outages.of(failure)).contains(Outages.Dependency.DATABASE);
        assertThat(Outages.of(new CannotCreateTransactionException("no connection"))).contains(
                Outages.Dependency.DATABASE);
        assertThat(Outages.of(new SQLException("terminating connection", "57P01"))).contains(
                Outages.Dependency.DATABASE);
    }

    @Test
    void aBrokerTimeoutIsTheBroker() {
        assertThat(Outages.of(new RuntimeException(new TimeoutException("metadata")))).contains(
                Outages.Dependency.BROKER);
    }

    @Test
    void aRefusedRowOrAPlainBugIsNoOutage() {
        assertThat(Outages.of(new DataIntegrityViolationException("duplicate key"))).isEmpty();
        assertThat(Outages.of(new SQLException("invalid byte sequence", "22021"))).isEmpty();
        assertThat(Outages.of(new NullPointerException())).isEmpty();
    }

    @Test
    void anOutageIsA503ThatSaysWhenToRetry() {
        var answer = Outages.unavailable().body("{}");

        assertThat(answer.getStatusCode().value()).isEqualTo(503);
        assertThat(answer.getHeaders().getFirst("Retry-After")).isEqualTo("5");
        assertThat(answer.getHeaders().getContentType()).hasToString("application/json");
        assertThat(Outages.Dependency.DATABASE.refusal()).isEqualTo("The database is unavailable; retry after 5 s");
    }
}
