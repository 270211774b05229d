package io.playbill.ledger.infrastructure;

import org.axonframework.common.IdentifierFactory;
import org.axonframework.eventhandling.GenericEventMessage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class TimeOrderedMessageIdsTest {

    @Test
    void axonTakesItsMessageIdsFromTheTimeOrderedFactory() {
        assertThat(IdentifierFactory.getInstance()).isInstanceOf(TimeOrderedMessageIds.class);
        String id = GenericEventMessage.asEventMessage("an event").getIdentifier();
        assertThat(UUID.fromString(id).version()).isEqualTo(7);
    }

    @Test
    void idsAreDistinctVersion7UuidsInIncreasingOrder() {
        // An instance of its own: Axon's, shared with whatever else runs in this JVM, promises no order across threads.
        TimeOrderedMessageIds factory = new TimeOrderedMessageIds();
        long before = System.currentTimeMillis();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            ids.add(factory.generateIdentifier());
        }
        long after = System.currentTimeMillis();

        assertThat(new HashSet<>(ids)).hasSize(ids.size());
        assertThat(ids).isSorted().allSatisfy(id -> {
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(7);
            assertThat(uuid.getMostSignificantBits() >>> 16).as("its millisecond").isBetween(before, after);
        });
    }

    @Test
    void concurrentCallersNeverShareAnId() throws Exception {
        TimeOrderedMessageIds factory = new TimeOrderedMessageIds();
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> drawn = new ArrayList<>();
            for (int caller = 0; caller < 4; caller++) {
                drawn.add(callers.submit(() -> {
                    List<String> ids = new ArrayList<>();
                    for (int i = 0; i < 25_000; i++) {
                        ids.add(factory.generateIdentifier());
                    }
                    return ids;
                }));
            }
            Set<String> distinct = new HashSet<>();
            int total = 0;
            for (Future<List<String>> ids : drawn) {
                distinct.addAll(ids.get());
                total += ids.get().size();
            }
            assertThat(total).isEqualTo(100_000);
            assertThat(distinct).hasSize(total);
        } finally {
            callers.shutdownNow();
        }
    }
}
