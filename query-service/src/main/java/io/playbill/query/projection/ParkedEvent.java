package io.playbill.query.projection;

import java.time.Instant;

/**
 * One row of {@code parked_event}: an event a projection could not apply ({@code parked}), or a later event of the
 * same user held back behind it ({@code waiting}).
 *
 * @param payload   the event's JSON as decoded; {@code null} when it could not be decoded
 * @param partition the record's partition on the topic, {@code null} when not known
 * @param replay    parked by a replay into its shadow tables (the live tables never saw it)
 */
public record ParkedEvent(long id, String projection, boolean replay, String userId, String eventId, long sequence,
                          String eventType, String payload, Instant occurredAt, Integer partition, Long offset,
                          String status, String error, int attempts, Instant parkedAt) {

    public static final String PARKED = "parked";
    public static final String WAITING = "waiting";
}
