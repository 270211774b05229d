package io.playbill.ledger.intake;

import io.playbill.ledger.api.LedgerTopics;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.Set;

/**
 * {@code playbill.ledger.reply-topics}: the only topics the ledger answers on (default: {@code
 * playbill.ledger-replies}). Each request names its reply topic in a header; without this list, whoever can write
 * a request could make the ledger write into any topic the ledger may write, the forever-kept ledger-events topic
 * included. A request naming another topic is not decided at all (see {@link LedgerRequestListener}).
 *
 * @param replyTopics the topic names allowed in a request's {@code kafka_replyTopic} header
 */
@ConfigurationProperties("playbill.ledger")
record ReplyTopics(@DefaultValue(LedgerTopics.REPLIES) Set<String> replyTopics) {

    ReplyTopics {
        if (replyTopics.isEmpty() || replyTopics.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("playbill.ledger.reply-topics must name at least one topic, and no"
                    + " blank one: " + replyTopics);
        }
        replyTopics = Set.copyOf(replyTopics);
    }

    boolean allows(String topic) {
        return replyTopics.contains(topic);
    }
}
