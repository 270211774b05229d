package io.playbill.ledger.axon.upcasting;

import io.playbill.ledger.api.events.Revision;
import org.axonframework.serialization.AnnotationRevisionResolver;
import org.axonframework.serialization.RevisionResolver;

/**
 * The revision Axon stores with a payload: a ledger event's ledger-api {@link Revision} (the api declares it without
 * depending on Axon), anything else's Axon {@code @Revision} (the account's snapshot).
 */
public final class LedgerEventRevisions implements RevisionResolver {

    private final RevisionResolver axon = new AnnotationRevisionResolver();

    @Override
    public String revisionOf(Class<?> payloadType) {
        Revision revision = payloadType.getAnnotation(Revision.class);
        return revision != null ? revision.value() : axon.revisionOf(payloadType);
    }
}
