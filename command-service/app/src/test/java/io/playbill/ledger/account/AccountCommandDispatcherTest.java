package io.playbill.ledger.account;

import io.playbill.ledger.api.messages.LedgerError;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.api.messages.LedgerReply;
import io.playbill.ledger.api.messages.LedgerRequest;
import io.playbill.ledger.pricing.PriceList;
import io.playbill.ledger.pricing.SetQueuePrice;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** Requests become commands with the request's receive time; refusals become replies, failures stay failures. */
class AccountCommandDispatcherTest {

    private final CommandGateway commands = mock(CommandGateway.class);
    private final AccountCommandDispatcher dispatcher = new AccountCommandDispatcher(commands);

    @Test
    void aRenewBecomesACommandAtTheReceiveTimeAndItsAnswerAReplyWithTheDeadline() {
        when(commands.send(any())).thenReturn(CompletableFuture.completedFuture(new AccountAnswer(965, 95L)));

        LedgerReply reply = dispatcher.handle(new LedgerRequest("r-1", "alice", 1234,
                new LedgerOperation.RenewSession("s1", 60))).join();

        verify(commands).send(new RenewSession("alice", "s1", 60, 1234));
        assertThat(reply).isEqualTo(LedgerReply.accepted("r-1", 965L, 95L));
    }

    @Test
    void aPriceGoesToThePriceListOnBehalfOfTheAdmin() {
        when(commands.send(any())).thenReturn(CompletableFuture.completedFuture(null));

        LedgerReply reply = dispatcher.handle(new LedgerRequest("r-1", "ops", 1234,
                new LedgerOperation.SetPrice("standard", 60))).join();

        verify(commands).send(new SetQueuePrice(PriceList.ID, "standard", 60, "ops", 1234));
        assertThat(reply).isEqualTo(LedgerReply.accepted("r-1", null, null));
    }

    @Test
    void aRefusalIsARefusedReply() {
        when(commands.send(any())).thenReturn(CompletableFuture.failedFuture(
                new LedgerRefusal(LedgerError.SESSION_NOT_FOUND, "Session s1 has ended")));

        LedgerReply reply = dispatcher.handle(new LedgerRequest("r-1", "alice", 1234,
                new LedgerOperation.StopSession("s1"))).join();

        assertThat(reply).isEqualTo(LedgerReply.refused("r-1", LedgerError.SESSION_NOT_FOUND, "Session s1 has ended"));
    }

    @Test
    void aConcurrentAppendByAnotherInstanceIsAFailureTheIntakeRetries() {
        when(commands.send(any())).thenReturn(CompletableFuture.failedFuture(
                new ConcurrencyException("sequence number 7 of alice already exists")));

        CompletableFuture<LedgerReply> reply = dispatcher.handle(new LedgerRequest("r-1", "alice", 1234,
                new LedgerOperation.Deposit(100, "pay-1")));

        assertThatThrownBy(reply::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(ConcurrencyException.class);
    }
}
