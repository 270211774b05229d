package io.playbill.gateway.ledger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;

/**
 * Holds start-up until the reply consumer has its partitions, so the first HTTP requests do not lose their
 * replies. Its lifecycle phase follows the reply consumer's and precedes the web
 * server's, which starts accepting requests last. If Kafka is unreachable it gives up after 30 s and says so;
 * ledger requests then answer 503 until Kafka is back.
 */
final class ReplyConsumerReadiness implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ReplyConsumerReadiness.class);
    private static final Duration MAX_WAIT = Duration.ofSeconds(30);

    private final ReplyPartitionAssignment assignment;
    private final int phase;
    private volatile boolean running;

    /** @param consumerPhase the lifecycle phase of the reply consumer */
    ReplyConsumerReadiness(ReplyPartitionAssignment assignment, int consumerPhase) {
        this.assignment = assignment;
        this.phase = consumerPhase + 1;
    }

    @Override
    public void start() {
        try {
            if (!assignment.awaitFirstAssignment(MAX_WAIT)) {
                log.warn("The ledger reply consumer has no partitions after {} s; ledger requests answer 503 until "
                        + "Kafka is reachable", MAX_WAIT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return phase;
    }
}
