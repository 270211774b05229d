package io.playbill.gateway.game;

import io.playbill.gateway.config.SettingsCheck;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.List;

/**
 * {@code playbill.game.*}: the queues (hardware tiers) SDK clients may ask for.
 *
 * @param queues       every queue clients may use (default {@code standard}); in billing modes under and over each
 *                     also needs a price in the ledger
 * @param defaultQueue the queue of a request that names none (default {@code standard})
 */
@ConfigurationProperties("playbill.game")
public record GameProperties(@DefaultValue("standard") List<String> queues,
                             @DefaultValue("standard") String defaultQueue) {

    static final String QUEUE_PATTERN = "[A-Za-z0-9._-]{1,64}";

    public GameProperties {
        queues = List.copyOf(queues);
        new SettingsCheck("playbill.game")
                .require(!queues.isEmpty(), "queues", "must name at least one queue")
                .require(queues.stream().allMatch(q -> q.matches(QUEUE_PATTERN)), "queues",
                        "must be 1-64 letters, digits, '.', '_' or '-' each")
                .require(queues.contains(defaultQueue), "default-queue", "must be one of playbill.game.queues")
                .throwIfInvalid();
    }
}
