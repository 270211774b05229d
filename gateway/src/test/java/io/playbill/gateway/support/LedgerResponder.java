package io.playbill.gateway.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.playbill.ledger.api.LedgerTopics;
import io.playbill.ledger.api.messages.LedgerHeaders;
import io.playbill.ledger.api.messages.LedgerOperation;
import io.playbill.ledger.api.messages.LedgerReply;
import io.playbill.ledger.api.messages.LedgerRequest;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A stand-in ledger on the real broker, speaking only the contract of ledger-api: it reads
 * {@link LedgerTopics#REQUESTS} from the end, records every request, and answers on the topic named by the
 * request's {@code kafka_replyTopic} header, copying {@code kafka_correlationId}. What it answers is scripted.
 */
public final class LedgerResponder implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A request as it arrived on Kafka. */
    public record Received(String key, LedgerRequest request) {
    }

    private final KafkaConsumer<String, String> consumer;
    private final KafkaProducer<String, String> producer;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final Thread thread;
    /** The reply's JSON to each request, if any. */
    private volatile Function<LedgerRequest, Optional<String>> script = request -> Optional.empty();
    private volatile boolean running = true;

    private LedgerResponder(String bootstrapServers) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                new StringDeserializer(), new StringDeserializer());
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), new StringSerializer());
        List<TopicPartition> partitions = consumer.partitionsFor(LedgerTopics.REQUESTS).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // settle "the end" now, before any test request is sent
        thread = new Thread(this::run, "test-ledger-responder");
        thread.setDaemon(true);
        thread.start();
    }

    public static LedgerResponder start(String bootstrapServers) {
        return new LedgerResponder(bootstrapServers);
    }

    /**
     * A ledger that accepts everything: every session is on queue {@code standard}, the balance is 1000, and a renew
     * grants one more minute than the deadline the client holds.
     */
    public static LedgerReply generous(LedgerRequest request) {
        LedgerOperation operation = request.operation();
        if (operation instanceof LedgerOperation.RenewSession renew) {
            return LedgerReply.accepted(request.requestId(), 1000L, renew.lastDeadline() + 60, "standard");
        }
        boolean session = operation instanceof LedgerOperation.AuthorizeSession
                || operation instanceof LedgerOperation.StartSession || operation instanceof LedgerOperation.StopSession
                || operation instanceof LedgerOperation.AdmitCloudGame;
        return LedgerReply.accepted(request.requestId(), 1000L, null, session ? "standard" : null);
    }

    /** Answer every request with {@code reply}. */
    public void answer(Function<LedgerRequest, LedgerReply> reply) {
        script = request -> Optional.of(json(reply.apply(request)));
    }

    /** Answer each request with what {@code reply} gives, or not at all when it gives nothing. */
    public void answerSome(Function<LedgerRequest, Optional<LedgerReply>> reply) {
        script = request -> reply.apply(request).map(LedgerResponder::json);
    }

    /** Answer every request with the JSON {@code reply} gives, as a ledger of another version might write it. */
    public void answerJson(Function<LedgerRequest, String> reply) {
        script = request -> Optional.of(reply.apply(request));
    }

    /** Read requests but never answer, like a ledger that is down. */
    public void stayQuiet() {
        script = request -> Optional.empty();
    }

    /** The next request received, waiting up to 10 s. */
    public Received nextRequest() throws InterruptedException {
        Received next = received.poll(10, TimeUnit.SECONDS);
        if (next == null) {
            throw new AssertionError("The ledger received no request within 10 s");
        }
        return next;
    }

    /** Every request received so far, removing them. */
    public List<Received> drain() {
        List<Received> all = new ArrayList<>();
        received.drainTo(all);
        return all;
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(50))) {
                    handle(record);
                }
            }
        } catch (WakeupException stopping) {
            // close() woke the consumer up
        } finally {
            consumer.close();
        }
    }

    private void handle(ConsumerRecord<String, String> record) {
        LedgerRequest request;
        try {
            request = JSON.readValue(record.value(), LedgerRequest.class);
        } catch (IOException e) {
            throw new IllegalStateException("Not a LedgerRequest: " + record.value(), e);
        }
        received.add(new Received(record.key(), request));
        script.apply(request).ifPresent(reply -> {
            Header correlation = record.headers().lastHeader(LedgerHeaders.CORRELATION_ID);
            Header replyTopic = record.headers().lastHeader(LedgerHeaders.REPLY_TOPIC);
            Header replyPartition = record.headers().lastHeader(LedgerHeaders.REPLY_PARTITION);
            if (correlation == null || replyTopic == null || replyPartition == null) {
                throw new IllegalStateException("Request without reply headers: " + record);
            }
            var answer = new ProducerRecord<>(new String(replyTopic.value(), StandardCharsets.UTF_8),
                    LedgerHeaders.replyPartition(replyPartition.value()).orElseThrow(), record.key(), reply);
            answer.headers().add(LedgerHeaders.CORRELATION_ID, correlation.value());
            producer.send(answer);
        });
    }

    private static String json(LedgerReply reply) {
        try {
            return JSON.writeValueAsString(reply);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
