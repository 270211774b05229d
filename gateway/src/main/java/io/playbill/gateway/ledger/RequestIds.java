package io.playbill.gateway.ledger;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ids for ledger requests and their Kafka correlation, unique across gateway instances and restarts: 64 random bits
 * drawn once when the instance starts, then a counter. Cheaper per request than a random UUID, which draws from the
 * shared {@link SecureRandom} every time.
 */
final class RequestIds {

    private final String instancePrefix;
    private final AtomicLong counter = new AtomicLong();

    RequestIds() {
        byte[] random = new byte[8];
        new SecureRandom().nextBytes(random);
        this.instancePrefix = HexFormat.of().formatHex(random) + "-";
    }

    String next() {
        return instancePrefix + Long.toHexString(counter.incrementAndGet());
    }
}
