package io.playbill.ledger.axon;

import io.playbill.ledger.TestActors;
import io.playbill.ledger.api.events.Actor;
import io.playbill.ledger.api.messages.LedgerError;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.api.messages.LedgerReply;
import io.playbill.ledger.api.messages.LedgerRequest;
import io.playbill.ledger.api.values.Money;
import io.playbill.ledger.api.values.Seconds;
import io.playbill.ledger.domain.Answer;
import io.playbill.ledger.domain.Decision;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.ArgumentCaptor;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

/**
 * A request's operation is sent as it came, with the request's user, receive time and actor alongside; answers become
 * replies, refusals refused replies, failures stay failures.
 */
class LedgerCommandsTest {

    private final CommandGateway commands = mock(CommandGateway.class);
    @SuppressWarnings("unchecked")
    private final LedgerCommands ledger = new LedgerCommands(commands, mock(VersionCheckedCachingRepository.class));

    @Test
    void aRenewIsSentAsItCameAtTheReceiveTimeAndItsAnswerIsAReplyWithTheDeadline() {
        when(commands.send(any())).thenReturn(CompletableFuture.completedFuture(
                new Answer(Money.of(965), Seconds.of(95), "standard")));
        var renew = new LedgerOperation.RenewSession("s1", 60);

        LedgerReply reply = ledger.handle(new LedgerRequest("r-1", "alice", 1234, renew, Actor.player("alice")))
                .join();

        CommandMessage<?> sent = sent();
        assertThat(sent.getPayload()).isSameAs(renew);
        assertThat(LedgerCommands.request(sent.getMetaData()))
                .isEqualTo(new io.playbill.ledger.domain.Request("alice", 1234, Actor.player("alice")));
        assertThat(LedgerCommands.TARGETS.resolveTarget(sent).getIdentifier()).isEqualTo("alice");
        assertThat(reply).isEqualTo(LedgerReply.accepted("r-1", 965L, 95L, "standard"));
    }

    @Test
    void aPriceGoesToThePriceListOnBehalfOfTheAdmin() {
        when(commands.send(any())).thenReturn(CompletableFuture.completedFuture(Answer.NOTHING));
        var setPrice = new LedgerOperation.SetPrice("standard", 60);

        LedgerReply reply = ledger.handle(new LedgerRequest("r-1", "ops", 1234, setPrice, TestActors.ADMIN)).join();

        CommandMessage<?> sent = sent();
        assertThat(sent.getPayload()).isSameAs(setPrice);
        assertThat(LedgerCommands.request(sent.getMetaData()))
                .isEqualTo(new io.playbill.ledger.domain.Request("ops", 1234, TestActors.ADMIN));
        assertThat(PriceList.TARGET.resolveTarget(sent).getIdentifier()).isEqualTo(PriceList.ID);
        assertThat(reply).isEqualTo(LedgerReply.accepted("r-1", null, null, null));
    }

    @Test
    void aDepositCarriesWhoAskedToTheAccount() {
        when(commands.send(any())).thenReturn(CompletableFuture.completedFuture(Answer.withBalance(Money.of(100))));

        ledger.handle(new LedgerRequest("r-1", "alice", 1234, new LedgerOperation.Deposit(100, "pay-1"),
                TestActors.ADMIN)).join();

        assertThat(sent().getPayload()).isEqualTo(new LedgerOperation.Deposit(100, "pay-1"));
        assertThat(LedgerCommands.request(sent().getMetaData()).actor()).isEqualTo(TestActors.ADMIN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"x\u0000y", "line\nbreak", "tab\t", "c1\u0085", "lone\ud800", " ", "",
            "a-user-id-that-is-longer-than-sixty-four-bytes-is-refused-as-well-as-anything-else", "price-list"})
    void aRequestForAUserIdNoAccountMayHaveIsRefusedWithoutACommand(String userId) {
        LedgerReply reply = ledger.handle(new LedgerRequest("r-1", userId, 1234,
                new LedgerOperation.Deposit(100, "pay-1"), TestActors.ADMIN)).join();

        assertThat(reply.accepted()).isFalse();
        assertThat(reply.errorCode()).isEqualTo(LedgerError.INVALID_REQUEST);
        verifyNoInteractions(commands);
    }

    @Test
    void anActorWithAControlCharacterIsRefusedWithoutACommand() {
        LedgerReply reply = ledger.handle(new LedgerRequest("r-1", "alice", 1234,
                new LedgerOperation.Deposit(100, "pay-1"), new Actor("fio\nna", List.of("finance")))).join();

        assertThat(reply.errorCode()).isEqualTo(LedgerError.INVALID_REQUEST);
        verifyNoInteractions(commands);
    }

    @Test
    void aRefusalIsARefusedReply() {
        when(commands.send(any())).thenReturn(CompletableFuture.failedFuture(new LedgerRefusal(
                new Decision.Refused(LedgerError.SESSION_NOT_FOUND, "Session s1 has ended"))));

        LedgerReply reply = ledger.handle(new LedgerRequest("r-1", "alice", 1234,
                new LedgerOperation.StopSession("s1"), Actor.player("alice"))).join();

        assertThat(reply).isEqualTo(LedgerReply.refused("r-1", LedgerError.SESSION_NOT_FOUND, "Session s1 has ended"));
    }

    @Test
    void aConcurrentAppendByAnotherInstanceIsAFailureTheIntakeRetries() {
        when(commands.send(any())).thenReturn(CompletableFuture.failedFuture(
                new ConcurrencyException("sequence number 7 of alice already exists")));

        CompletableFuture<LedgerReply> reply = ledger.handle(new LedgerRequest("r-1", "alice", 1234,
                new LedgerOperation.Deposit(100, "pay-1"), TestActors.ADMIN));

        assertThatThrownBy(reply::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(ConcurrencyException.class);
    }

    private CommandMessage<?> sent() {
        ArgumentCaptor<Object> command = ArgumentCaptor.forClass(Object.class);
        verify(commands).send(command.capture());
        return (CommandMessage<?>) command.getValue();
    }
}
