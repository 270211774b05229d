package io.playbill.ledger.intake;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.playbill.ledger.support.LedgerIntegrationTest;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An operator's retry or skip whose answer could not be kept for now (a database blip) takes effect with it or not at
 * all: the request delivered again gets the real outcome, not "not found" for the item it resolved itself.
 */
@SpringBootTest
class ParkedResolutionAnswerIntegrationTest extends LedgerIntegrationTest {

    @Autowired
    LedgerRequestListener listener;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ObjectMapper json;
    @Autowired
    DataSource dataSource;
    @Autowired
    MeterRegistry meters;
    private ParkedRequestFixture parked;

    @BeforeEach
    void fixture() {
        parked = new ParkedRequestFixture(jdbc, json, listener, dataSource);
    }

    @Test
    void aRetryDeliveredTwiceAtOnceAnswersBothDeliveriesWithItsDecision() throws Exception {
        // A zombie consumer after a rebalance: the second delivery waits for the first's claim, then finds nothing
        // parked; it must answer what the first did, not not-found.
        long hold = 720_452L;
        String user = "zombie-" + UUID.randomUUID().toString().substring(0, 8);
        long parkedId = parked.parkDeposit(user, "held-" + user);
        String requestId = UUID.randomUUID().toString();
        double notFoundBefore = notFoundAnswers();
        parked.overlap("held-" + user, hold, () -> resolveUnchecked(requestId, parkedId),
                () -> resolveUnchecked(requestId, parkedId), second -> parked.waitingForLocks() == 2);

        assertThat(parked.answer(requestId)).containsEntry("accepted", true);
        assertThat(notFoundAnswers()).as("neither delivery answered not found").isEqualTo(notFoundBefore);
        assertThat(parked.eventsNaming(user, "held-" + user))
                .as("the deposit decided once").isEqualTo(1);
    }

    private double notFoundAnswers() {
        var counter = meters.find("playbill.ledger.decisions").tag("operation", "resolve-parked")
                .tag("outcome", "parked_item_not_found").counter();
        return counter == null ? 0 : counter.count();
    }

    private void resolveUnchecked(String requestId, long parkedId) {
        try {
            parked.resolve(requestId, parkedId, "retry");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aRetryWhoseAnswerFailedOnceIsAnsweredWithItsDecisionWhenDeliveredAgain() throws Exception {
        String user = "blip-" + UUID.randomUUID().toString().substring(0, 8);
        long parkedId = parked.parkDeposit(user, "ref-" + user);
        String requestId = UUID.randomUUID().toString();

        resolveWhileTheFirstAnswerFails(requestId, parkedId, "retry");

        assertThat(parked.answer(requestId)).containsEntry("accepted", true);
        assertThat(jdbc.queryForObject("select status from parked_request where id = ?", String.class, parkedId))
                .isEqualTo("retried");
        assertThat(parked.eventsNaming(user, "ref-" + user))
                .as("the deposit decided once").isEqualTo(1);
    }

    @Test
    void aSkipWhoseAnswerFailedOnceIsAnsweredSkippedWhenDeliveredAgain() throws Exception {
        String user = "blip-" + UUID.randomUUID().toString().substring(0, 8);
        long parkedId = parked.parkDeposit(user, "ref-" + user);
        String requestId = UUID.randomUUID().toString();

        resolveWhileTheFirstAnswerFails(requestId, parkedId, "skip");

        assertThat(parked.answer(requestId)).containsEntry("accepted", true).containsEntry("error_code", null);
        assertThat(jdbc.queryForObject("select status from parked_request where id = ?", String.class, parkedId))
                .isEqualTo("skipped");
    }

    /** Delivers the resolution twice: the first time keeping its answer fails as a blip would (40001), once. */
    private void resolveWhileTheFirstAnswerFails(String requestId, long parkedId, String action) throws Exception {
        jdbc.execute("create sequence if not exists answer_blips");
        jdbc.execute("create or replace function answer_blip() returns trigger language plpgsql as $$ begin"
                + " if new.request_id = '" + requestId + "' and nextval('answer_blips') % 2 = 1 then"
                + " raise exception 'blip' using errcode = '40001'; end if; return new; end $$");
        jdbc.execute("create trigger answer_blip before insert on parked_resolution for each row"
                + " execute function answer_blip()");
        try {
            jdbc.execute("select setval('answer_blips', 2)");
            assertThatThrownBy(() -> parked.resolve(requestId, parkedId, action))
                    .as("a blip fails the batch for its retry").isInstanceOf(TransientDataAccessException.class);
            parked.resolve(requestId, parkedId, action);
        } finally {
            jdbc.execute("drop trigger if exists answer_blip on parked_resolution");
            jdbc.execute("drop function if exists answer_blip()");
        }
    }
}
