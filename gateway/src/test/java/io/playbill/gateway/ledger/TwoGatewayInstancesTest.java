package io.playbill.gateway.ledger;

import io.playbill.gateway.GatewayApplication;
import io.playbill.gateway.support.GatewayHttp;
import io.playbill.gateway.support.HttpResult;
import io.playbill.gateway.support.IndependentJwt;
import io.playbill.gateway.support.UnderModeGatewayTest;
import io.playbill.gateway.support.UserTokens;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.api.messages.LedgerReply;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two gateways share the replies topic in one consumer group (decision 035): each reads only the partitions the
 * group gave it, and each request asks for its reply on one of them, so every reply reaches the instance that waits
 * for it and no instance reads the other's.
 */
class TwoGatewayInstancesTest extends UnderModeGatewayTest {

    private static final int REQUESTS_PER_INSTANCE = 10;

    @Autowired
    ReplyPartitionAssignment assignment;
    @Autowired
    PendingReplies pending;

    @Test
    void eachInstanceReceivesTheRepliesToItsOwnRequestsAndReadsNoneOfTheOthers() {
        ledger.answer(request -> LedgerReply.accepted(request.requestId(), null,
                ((LedgerOperation.RenewSession) request.operation()).lastDeadline() + 7, "standard"));
        try (ConfigurableApplicationContext second = secondGateway()) {
            GatewayHttp other = new GatewayHttp(((WebServerApplicationContext) second).getWebServer().getPort());
            ReplyPartitionAssignment otherAssignment = second.getBean(ReplyPartitionAssignment.class);
            PendingReplies otherPending = second.getBean(PendingReplies.class);
            assertThat(otherAssignment.replyPartition()).isPresent();
            assertThat(assignment.replyPartition()).isPresent()
                    .isNotEqualTo(otherAssignment.replyPartition());
            long unmatchedBefore = pending.unmatched();

            List<CompletableFuture<HttpResult>> calls = new ArrayList<>();
            for (int i = 0; i < 2 * REQUESTS_PER_INSTANCE; i++) {
                GatewayHttp gateway = i % 2 == 0 ? http : other;
                calls.add(gateway.postAsync("/api/game/renew", UserTokens.of("player-" + i),
                        "{\"session\":\"s" + i + "\",\"lastDeadline\":" + (i * 100) + "}"));
            }

            for (int i = 0; i < calls.size(); i++) {
                HttpResult result = calls.get(i).join();
                assertThat(result.status()).as("request %d: %s", i, result).isEqualTo(200);
                long deadline = IndependentJwt.verify(result.token(), DEV_TOKEN_SECRET).payload().get("deadline").asLong();
                assertThat(deadline).isEqualTo(i * 100 + 7);
            }
            assertThat(pending.unmatched()).as("replies read here for the other instance")
                    .isEqualTo(unmatchedBefore);
            assertThat(otherPending.unmatched()).as("replies read there for this instance").isZero();
        }
    }

    private static ConfigurableApplicationContext secondGateway() {
        return new SpringApplicationBuilder(GatewayApplication.class)
                .profiles("standalone")
                .run("--server.port=0", "--playbill.billing.mode=under", "--playbill.ledger.timeout=3s",
                        "--playbill.cloud.enabled=false", "--spring.kafka.bootstrap-servers=" + bootstrapServers());
    }
}
