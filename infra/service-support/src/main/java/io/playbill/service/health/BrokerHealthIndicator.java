package io.playbill.service.health;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.boot.ssl.SslBundles;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Health {@code broker}: whether the broker describes a topic the service already uses to it within 2 s (so the check
 * needs no right of its own). Part of readiness, not of liveness: the Kafka clients reconnect by themselves once the
 * broker is back, so an outage is no reason to restart the service.
 */
public final class BrokerHealthIndicator implements HealthIndicator, DisposableBean {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final Admin admin;
    private final String topic;

    /** {@code clientId} names this check in the broker's logs; {@code topic} is one the service may read or write. */
    public BrokerHealthIndicator(KafkaProperties kafka, ObjectProvider<SslBundles> ssl, String clientId,
                                 String topic) {
        Map<String, Object> config = kafka.buildAdminProperties(ssl.getIfAvailable());
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        this.admin = Admin.create(config);
        this.topic = topic;
    }

    @Override
    public Health health() {
        try {
            admin.describeTopics(List.of(topic), new DescribeTopicsOptions().timeoutMs((int) TIMEOUT.toMillis()))
                    .allTopicNames().get(TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS);
            return Health.up().build();
        } catch (ExecutionException e) {
            return Health.down().withDetail("error", String.valueOf(e.getCause())).build();
        } catch (TimeoutException e) {
            return Health.down().withDetail("error", "no answer within " + TIMEOUT.toSeconds() + " s").build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down().withDetail("error", "interrupted").build();
        }
    }

    @Override
    public void destroy() {
        admin.close(Duration.ofSeconds(1));
    }
}
