package io.playbill.ledger.axon;

import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.CreationPolicy;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Handles one kind of the gateway's {@code LedgerOperation}s. It may create the account, so that a request for an
 * unknown user is refused like any other instead of failing; the account only exists once an event was applied.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@CommandHandler
@CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
@interface RequestHandler {
}
