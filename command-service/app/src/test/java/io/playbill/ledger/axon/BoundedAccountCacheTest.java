package io.playbill.ledger.axon;

import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class BoundedAccountCacheTest {

    private final BoundedAccountCache cache = new BoundedAccountCache(2);
    private final List<String> heard = new ArrayList<>();
    private final Registration registration = cache.registerCacheEntryListener(new Recorder(heard));

    @Test
    void listenersHearEveryChangeMadeThroughTheCache() {
        cache.put("a", 1);
        cache.put("a", 2);
        assertThat(cache.putIfAbsent("a", 3)).isFalse();
        assertThat(cache.<String, Integer>get("a")).isEqualTo(2);
        assertThat(cache.<String, Integer>get("missing")).isNull();
        cache.computeIfAbsent("b", () -> 10);
        cache.computeIfAbsent("b", () -> 11);
        cache.<Integer>computeIfPresent("b", v -> v + 1);
        cache.<Integer>computeIfPresent("missing", v -> v + 1);
        assertThat(cache.remove("a")).isTrue();
        assertThat(cache.remove("a")).isFalse();
        cache.removeAll();

        assertThat(heard).containsExactly("created a=1", "updated a=2", "read a=2", "created b=10",
                "updated b=11", "removed a", "removed b");
        assertThat(cache.containsKey("b")).isFalse();
    }

    @Test
    void anEvictedEntryIsReportedAsExpiredAndTheCacheStaysWithinItsBound() {
        for (int i = 0; i < 50; i++) {
            cache.put("user-" + i, i);
            cache.get("user-0"); // Caffeine may keep a frequently read entry: the bound is what matters
        }
        long cached = IntStream.range(0, 50).filter(i -> cache.containsKey("user-" + i)).count();

        assertThat(cached).isLessThanOrEqualTo(2);
        assertThat(heard.stream().filter(event -> event.startsWith("expired"))).hasSize(50 - (int) cached);
    }

    @Test
    void aCancelledListenerHearsNothingMore() {
        cache.put("a", 1);
        registration.cancel();
        cache.put("a", 2);

        assertThat(heard).containsExactly("created a=1");
    }

    private static final class Recorder extends Cache.EntryListenerAdapter {
        private final List<String> heard;

        Recorder(List<String> heard) {
            this.heard = heard;
        }

        @Override
        public void onEntryCreated(Object key, Object value) {
            heard.add("created " + key + "=" + value);
        }

        @Override
        public void onEntryUpdated(Object key, Object value) {
            heard.add("updated " + key + "=" + value);
        }

        @Override
        public void onEntryRead(Object key, Object value) {
            heard.add("read " + key + "=" + value);
        }

        @Override
        public void onEntryRemoved(Object key) {
            heard.add("removed " + key);
        }

        @Override
        public void onEntryExpired(Object key) {
            heard.add("expired " + key);
        }
    }
}
