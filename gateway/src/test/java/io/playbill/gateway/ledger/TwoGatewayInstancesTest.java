package io.playbill.gateway.ledger;

import io.playbill.gateway.GatewayApplication;
import io.playbill.gateway.support.GatewayHttp;
import io.playbill.gateway.support.HttpResult;
import io.playbill.gateway.support.IndependentJwt;
import io.playbill.gateway.support.UnderModeGatewayTest;
import io.playbill.gateway.support.UserTokens;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.api.messages.LedgerReply;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

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
        answerRenewsWithDeadlinePlusSeven();
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

    @Test
    void anInstanceWithALastingMemberIdTakesItsReplyPartitionBackWhenRestarted() {
        answerRenewsWithDeadlinePlusSeven();
        // A session longer than this test's restart takes, however slow the machine.
        String[] lasting = {"--playbill.ledger.reply-member-id=second",
                "--spring.kafka.consumer.properties.session.timeout.ms=45000"};
        int before;
        try (ConfigurableApplicationContext second = secondGateway(lasting)) {
            before = second.getBean(ReplyPartitionAssignment.class).replyPartition().orElseThrow();
        }
        // Closed without leaving the group (a static member), as a killed instance would be gone: its partition
        // is held for it until its session lapses, and the restarted instance gets it back at once.
        int mine = assignment.replyPartition().orElseThrow();
        int rebalancesHere = assignment.rebalances();
        try (ConfigurableApplicationContext restarted = secondGateway(lasting)) {
            assertThat(restarted.getBean(ReplyPartitionAssignment.class).replyPartition()).hasValue(before);
            assertThat(assignment.rebalances()).as("the group did not rebalance for the restart")
                    .isEqualTo(rebalancesHere);
            assertThat(assignment.replyPartition()).as("nothing moved here").hasValue(mine);
            GatewayHttp other = new GatewayHttp(((WebServerApplicationContext) restarted).getWebServer().getPort());
            HttpResult result = other.postAsync("/api/game/renew", UserTokens.of("player-restarted"),
                    "{\"session\":\"sr\",\"lastDeadline\":100}").join();
            assertThat(result.status()).as("%s", result).isEqualTo(200);
        }
    }

    @Test
    void noInstanceCommitsAReplyOffset() throws Exception {
        answerRenewsWithDeadlinePlusSeven();
        // One after the other: the consumer has finished with the first reply's poll when it reads the second.
        for (int i = 0; i < 2; i++) {
            HttpResult result = http.postAsync("/api/game/renew", UserTokens.of("player-offsets"),
                    "{\"session\":\"so\",\"lastDeadline\":" + (i * 100) + "}").join();
            assertThat(result.status()).as("%s", result).isEqualTo(200);
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            assertThat(admin.listConsumerGroupOffsets(LedgerKafkaConfiguration.REPLY_GROUP)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS))
                    .as("replies are read from the end of a partition, never from a committed offset")
                    .isEmpty();
        }
    }

    private static void answerRenewsWithDeadlinePlusSeven() {
        ledger.answer(request -> LedgerReply.accepted(request.requestId(), null,
                ((LedgerOperation.RenewSession) request.operation()).lastDeadline() + 7, "standard"));
    }

    /**
     * What an operator does for a static member gone for good: the next instance of this JVM's tests need not wait
     * out its session.
     */
    @AfterEach
    void noStaticMemberStays() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.removeMembersFromConsumerGroup(LedgerKafkaConfiguration.REPLY_GROUP,
                            new RemoveMembersFromConsumerGroupOptions(List.of(new MemberToRemove(
                                    LedgerKafkaConfiguration.REPLY_GROUP + "-second"))))
                    .all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof UnknownMemberIdException)) {
                throw e;
            }
        }
    }

    private static ConfigurableApplicationContext secondGateway(String... more) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--playbill.billing.mode=under",
                "--playbill.ledger.timeout=3s", "--playbill.cloud.enabled=false",
                "--spring.kafka.bootstrap-servers=" + bootstrapServers()));
        args.addAll(List.of(more));
        return new SpringApplicationBuilder(GatewayApplication.class)
                .profiles("standalone")
                .run(args.toArray(String[]::new));
    }
}
