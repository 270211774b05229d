package io.playbill.ledger.axon;

import io.playbill.ledger.api.events.Actor;
import io.playbill.ledger.api.messages.LedgerRequest;
import io.playbill.ledger.domain.Request;
import org.axonframework.messaging.MetaData;

import java.util.HashMap;
import java.util.Map;

/**
 * A ledger request's who and when, carried as the command's Axon metadata next to its {@code LedgerOperation}
 * payload: the operation is the command, the metadata its {@link Request}. The user id is also the target account
 * ({@link LedgerCommandTargets}).
 */
public final class RequestMetaData {

    static final String USER_ID = "userId";
    static final String RECEIVED_AT_MILLIS = "receivedAtMillis";
    static final String ACTOR = "actor";

    private RequestMetaData() {
    }

    public static MetaData of(Request request) {
        Map<String, Object> values = new HashMap<>();
        values.put(USER_ID, request.userId());
        values.put(RECEIVED_AT_MILLIS, request.receivedAtMillis());
        if (request.actor() != null) {
            values.put(ACTOR, request.actor());
        }
        return MetaData.from(values);
    }

    static Request of(LedgerRequest request) {
        return new Request(request.userId(), request.receivedAtMillis(), request.actor());
    }

    static Request request(MetaData metaData) {
        return new Request((String) metaData.get(USER_ID), (Long) metaData.get(RECEIVED_AT_MILLIS),
                (Actor) metaData.get(ACTOR));
    }
}
