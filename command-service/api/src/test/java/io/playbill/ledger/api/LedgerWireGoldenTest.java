package io.playbill.ledger.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.playbill.ledger.api.events.Actor;
import io.playbill.ledger.api.messages.LedgerError;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.api.messages.LedgerReply;
import io.playbill.ledger.api.messages.LedgerRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kafka JSON of every request and of both kinds of reply, byte for byte as the gateway and the ledger exchange
 * them today ({@code src/test/resources/messages}): a mixed-version rolling deploy has old and new instances read
 * each other's messages, so these files never change; a new field is a new file.
 */
class LedgerWireGoldenTest {

    private static final long T = 1_700_000_000_000L;
    private static final Actor ALICE = Actor.player("alice");
    private static final Actor FINANCE = new Actor("fiona", List.of("finance"));

    private final ObjectMapper json = new ObjectMapper();

    static Stream<Arguments> messages() {
        return Stream.of(
                Arguments.of("request-authorize", new LedgerRequest("r-1", "alice", T + 10_000,
                        new LedgerOperation.AuthorizeSession("s1", "standard"), ALICE)),
                Arguments.of("request-start", new LedgerRequest("r-2", "alice", T + 15_000,
                        new LedgerOperation.StartSession("s1", null), ALICE)),
                Arguments.of("request-renew", new LedgerRequest("r-3", "alice", T + 18_000,
                        new LedgerOperation.RenewSession("s1", 60), ALICE)),
                Arguments.of("request-stop", new LedgerRequest("r-4", "alice", T + 78_000,
                        new LedgerOperation.StopSession("s1"), ALICE)),
                Arguments.of("request-deposit", new LedgerRequest("r-5", "alice", T + 1,
                        new LedgerOperation.Deposit(1000, "pay-1"), FINANCE)),
                Arguments.of("request-refund", new LedgerRequest("r-6", "alice", T + 2,
                        new LedgerOperation.Refund(400, "refund-1", "game crashed"), FINANCE)),
                Arguments.of("request-adjust", new LedgerRequest("r-7", "alice", T + 3,
                        new LedgerOperation.Adjust(-300, "adj-1", "double payment"), FINANCE)),
                Arguments.of("request-set-price", new LedgerRequest("r-8", "ops", T - 3_600_000,
                        new LedgerOperation.SetPrice("standard", 60), new Actor("ops", List.of("admin")))),
                Arguments.of("request-admit-cloud-game", new LedgerRequest("r-9", "alice", T + 12_000,
                        new LedgerOperation.AdmitCloudGame("s1"), ALICE)),
                Arguments.of("reply-accepted", LedgerReply.accepted("r-3", 265L, 60L, "standard")),
                Arguments.of("reply-refused", LedgerReply.refused("r-4", LedgerError.SESSION_NOT_FOUND,
                        "Session s1 has ended")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void theGoldenJsonReadsAsTheMessageAndTheMessageWritesIt(String name, Object message) throws Exception {
        byte[] golden = GoldenFiles.read("messages/" + name + ".json");

        assertThat(json.readValue(golden, message.getClass())).isEqualTo(message);
        assertThat(json.readTree(json.writeValueAsBytes(message))).isEqualTo(json.readTree(golden));
    }
}
