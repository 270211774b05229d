package io.playbill.gateway.ledger;

import io.playbill.ledger.api.LedgerTopics;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/** Up while this gateway instance reads a partition of the replies topic, where its ledger requests ask for replies. */
final class ReplyPartitionHealth implements HealthIndicator {

    private final ReplyPartitionAssignment assignment;

    ReplyPartitionHealth(ReplyPartitionAssignment assignment) {
        this.assignment = assignment;
    }

    @Override
    public Health health() {
        return assignment.replyPartition().isPresent() ? Health.up().build()
                : Health.down().withDetail("reason", "this instance reads no partition of " + LedgerTopics.REPLIES
                        + " (more gateway instances than its partitions, or the broker unreachable)").build();
    }
}
