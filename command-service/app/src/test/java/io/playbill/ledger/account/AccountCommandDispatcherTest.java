package io.playbill.ledger.account;

import io.playbill.ledger.TestActors;
import io.playbill.ledger.api.events.Actor;
import io.playbill.ledger.api.messages.LedgerError;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.api.messages.LedgerReply;
import io.playbill.ledger.api.messages.LedgerRequest;
import io.playbill.ledger.pricing.PriceList;
import io.playbill.ledger.pricing.SetQueuePrice;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

/** Requests become commands with the request's receive time; refusals become replies, failures stay failures. */
class AccountCommandDispatcherTest {

    private final CommandGateway commands = mock(CommandGateway.class);
    private final AccountCommandDispatcher dispatcher = new AccountCommandDispatcher(commands);

    @Test
    void aRenewBecomesACommandAtTheReceiveTimeAndItsAnswerAReplyWithTheDeadline() {
        when(commands.send(any())).thenReturn(CompletableFuture.completedFuture(
                new AccountAnswer(965, 95L, "standard")));

        LedgerReply reply = dispatcher.handle(new LedgerRequest("r-1", "alice", 1234,
                new LedgerOperation.RenewSession("s1", 60), Actor.player("alice"))).join();

        verify(commands).send(new RenewSession("alice", "s1", 60, 1234));
        assertThat(reply).isEqualTo(LedgerReply.accepted("r-1", 965L, 95L, "standard"));
    }

    @Test
    void aPriceGoesToThePriceListOnBehalfOfTheAdmin() {
        when(commands.send(any())).thenReturn(CompletableFuture.completedFuture(null));

        LedgerReply reply = dispatcher.handle(new LedgerRequest("r-1", "ops", 1234,
                new LedgerOperation.SetPrice("standard", 60), TestActors.ADMIN)).join();

        verify(commands).send(new SetQueuePrice(PriceList.ID, "standard", 60, "ops", 1234, TestActors.ADMIN));
        assertThat(reply).isEqualTo(LedgerReply.accepted("r-1", null, null, null));
    }

    @Test
    void aDepositCarriesWhoAskedToTheAccount() {
        when(commands.send(any())).thenReturn(CompletableFuture.completedFuture(AccountAnswer.withBalance(100)));

        dispatcher.handle(new LedgerRequest("r-1", "alice", 1234, new LedgerOperation.Deposit(100, "pay-1"),
                TestActors.ADMIN)).join();

        verify(commands).send(new DepositFunds("alice", 100, "pay-1", 1234, TestActors.ADMIN));
    }

    @ParameterizedTest
    @ValueSource(strings = {"x\u0000y", "line\nbreak", "tab\t", "c1\u0085", "lone\ud800", " ", "",
            "a-user-id-that-is-longer-than-sixty-four-bytes-is-refused-as-well-as-anything-else"})
    void aRequestForAUserIdNoAccountMayHaveIsRefusedWithoutACommand(String userId) {
        LedgerReply reply = dispatcher.handle(new LedgerRequest("r-1", userId, 1234,
                new LedgerOperation.Deposit(100, "pay-1"), TestActors.ADMIN)).join();

        assertThat(reply.accepted()).isFalse();
        assertThat(reply.errorCode()).isEqualTo(LedgerError.INVALID_REQUEST);
        verifyNoInteractions(commands);
    }

    @Test
    void anActorWithAControlCharacterIsRefusedWithoutACommand() {
        LedgerReply reply = dispatcher.handle(new LedgerRequest("r-1", "alice", 1234,
                new LedgerOperation.Deposit(100, "pay-1"), new Actor("fio\nna", List.of("finance")))).join();

        assertThat(reply.errorCode()).isEqualTo(LedgerError.INVALID_REQUEST);
        verifyNoInteractions(commands);
    }

    @Test
    void aRefusalIsARefusedReply() {
        when(commands.send(any())).thenReturn(CompletableFuture.failedFuture(
                new LedgerRefusal(LedgerError.SESSION_NOT_FOUND, "Session s1 has ended")));

        LedgerReply reply = dispatcher.handle(new LedgerRequest("r-1", "alice", 1234,
                new LedgerOperation.StopSession("s1"), Actor.player("alice"))).join();

        assertThat(reply).isEqualTo(LedgerReply.refused("r-1", LedgerError.SESSION_NOT_FOUND, "Session s1 has ended"));
    }

    @Test
    void aConcurrentAppendByAnotherInstanceIsAFailureTheIntakeRetries() {
        when(commands.send(any())).thenReturn(CompletableFuture.failedFuture(
                new ConcurrencyException("sequence number 7 of alice already exists")));

        CompletableFuture<LedgerReply> reply = dispatcher.handle(new LedgerRequest("r-1", "alice", 1234,
                new LedgerOperation.Deposit(100, "pay-1"), TestActors.ADMIN));

        assertThatThrownBy(reply::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(ConcurrencyException.class);
    }
}
