package io.playbill.ledger.infrastructure;

import com.fasterxml.uuid.UUIDClock;
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
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class TimeOrderedMessageIdsTest {

    @Test
    void axonTakesItsMessageIdsFromTheTimeOrderedFactory() {
        assertThat(IdentifierFactory.getInstance()).isInstanceOf(TimeOrderedMessageIds.class);
        String id = GenericEventMessage.asEventMessage("an event").getIdentifier();
        assertThat(UUID.fromString(id).version()).isEqualTo(7);
    }

    @Test
    void oneCallersIdsAreDistinctVersion7UuidsInIncreasingOrder() {
        // A clock of the test's own, so a step of the host's clock cannot reorder the ids; a thousand ids in each
        // millisecond make the generator count up within one as well as start the next.
        long start = 1_764_979_200_000L;
        AtomicLong calls = new AtomicLong();
        UUIDClock clock = new UUIDClock() {
            @Override
            public long currentTimeMillis() {
                return start + calls.getAndIncrement() / 1_000;
            }
        };
        TimeOrderedMessageIds factory = new TimeOrderedMessageIds(clock);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            ids.add(factory.generateIdentifier());
        }

        assertThat(new HashSet<>(ids)).hasSize(ids.size());
        assertThat(ids).isSorted();
        for (int i = 0; i < ids.size(); i++) {
            UUID uuid = UUID.fromString(ids.get(i));
            assertThat(uuid.version()).isEqualTo(7);
            assertThat(uuid.getMostSignificantBits() >>> 16).as("its millisecond").isEqualTo(start + i / 1_000);
        }
    }

    @Test
    void theFactoryAxonLoadsStampsTheSystemClocksMillisecond() {
        long before = System.currentTimeMillis();
        UUID id = UUID.fromString(new TimeOrderedMessageIds().generateIdentifier());
        long after = System.currentTimeMillis();

        assertThat(id.getMostSignificantBits() >>> 16).isBetween(before, after);
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
