package io.playbill.ledger.axon;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.axonframework.modelling.command.VersionedAggregateIdentifier;

/**
 * Which account a command is for: the request's user ({@link RequestMetaData}) for a {@code LedgerOperation}, whose
 * payload names no account; the {@code @TargetAggregateIdentifier} for the ledger's own {@link ExpireSession}.
 */
public final class LedgerCommandTargets implements CommandTargetResolver {

    private final CommandTargetResolver annotated = AnnotationCommandTargetResolver.builder().build();

    @Override
    public VersionedAggregateIdentifier resolveTarget(CommandMessage<?> command) {
        Object userId = command.getMetaData().get(RequestMetaData.USER_ID);
        // As an Object: the String constructor is deprecated.
        return userId instanceof String user ? new VersionedAggregateIdentifier((Object) user, null)
                : annotated.resolveTarget(command);
    }
}
