package io.playbill.ledger.infrastructure;

import org.axonframework.common.IdentifierFactory;
import org.axonframework.eventhandling.GenericEventMessage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;

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
}
