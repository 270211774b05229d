package io.playbill.ledger.api.events;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The revision of an event's payload shape. The ledger stores it with every event ({@code payload_revision}) and its
 * Kafka publisher sends it as the {@code axon-message-revision} header; an upcaster turns an older revision into the
 * current one when the ledger reads its store. Payloads stored before events carried a revision have none.
 *
 * <p>Raise it when a field changes meaning or shape, add the upcaster from the previous revision, and add a golden
 * file of the new revision ({@code command-service/api/src/test/resources/events/<Type>/<revision>.json}). A field
 * that only appears (read as {@code null}/{@code false} from older payloads) keeps the revision.
 *
 * <p>The ledger-api's own annotation, not Axon's: the gateway reads these records without Axon. The ledger resolves
 * it for Axon's serializer ({@code io.playbill.ledger.axon.upcasting.LedgerEventRevisions}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Revision {

    String value();
}
