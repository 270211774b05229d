package io.playbill.gsemulator;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The pools under contention, without HTTP in between so that races have a chance to show. */
class WorkerPoolsTest {

    private static final int THREADS = 4;
    private static final int USERS_PER_THREAD = 5_000;
    private static final int WORKERS = 100;

    @Test
    void concurrentLocksAndStopsNeverShareOrLoseAWorker() throws Exception {
        WorkerPools pools = new WorkerPools(GsEmulatorConfig.defaults().withWorkersPerGame(WORKERS));
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Integer>> locked = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                locked.add(threads.submit(() -> {
                    go.await();
                    int count = 0;
                    for (int i = 0; i < USERS_PER_THREAD; i++) {
                        String user = "user-" + thread + "-" + i;
                        try {
                            pools.trylock(user, "game", "a-region-without-workers", "");
                            count++;
                            if (i % 2 == 0) { // free half again, so locks and stops interleave
                                pools.stop(user);
                                count--;
                            }
                        } catch (GsApiException noIdle) {
                            assertThat(noIdle.code()).isEqualTo("ResourceNotFound.NoIdle");
                        }
                    }
                    return count;
                }));
            }
            go.countDown();
            int held = 0;
            for (Future<Integer> f : locked) {
                held += f.get(30, TimeUnit.SECONDS);
            }

            WorkerPools.Snapshot snapshot = pools.snapshot();
            assertThat(held).isEqualTo(WORKERS);
            assertThat(snapshot.locks()).hasSize(WORKERS)
                    .extracting(EmulatorState.Lock::workerId).doesNotHaveDuplicates();
            assertThat(snapshot.pools()).singleElement().satisfies(p -> assertThat(p.idle()).isZero());
        } finally {
            threads.shutdownNow();
        }
    }
}
