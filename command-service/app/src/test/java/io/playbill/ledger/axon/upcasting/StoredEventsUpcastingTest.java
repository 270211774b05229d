package io.playbill.ledger.axon.upcasting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.playbill.ledger.api.events.SessionRenewed;
import org.axonframework.eventhandling.EventData;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import org.axonframework.serialization.upcasting.event.InitialEventRepresentation;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ledger reads every event payload stored before events carried a revision (the api's golden files
 * {@code events/<Type>/unrevised*.json}) through its upcaster chain as revision 1: every field of the revision-1
 * golden file present, every stored value kept. Plain Jackson's reading of the same files is the api's
 * {@code StoredEventsJsonTest}.
 */
class StoredEventsUpcastingTest {

    /** The api module's golden files; the tests run in this module's directory. */
    private static final Path GOLDEN = Path.of("..", "api", "src", "test", "resources", "events");
    private static final String EVENTS_PACKAGE = "io.playbill.ledger.api.events.";

    private final ObjectMapper json = new ObjectMapper();
    private final Serializer serializer = JacksonSerializer.builder().objectMapper(json)
            .revisionResolver(new LedgerEventRevisions()).build();
    private final EventUpcasterChain upcasters = new EventUpcasterChain(new UnrevisedEventUpcaster());

    static Stream<Path> unrevisedPayloads() throws IOException {
        try (Stream<Path> files = Files.walk(GOLDEN)) {
            List<Path> unrevised = new ArrayList<>();
            files.filter(file -> file.getFileName().toString().startsWith("unrevised")).sorted().forEach(unrevised::add);
            assertThat(unrevised).as("golden files under " + GOLDEN.toAbsolutePath()).hasSizeGreaterThanOrEqualTo(10);
            return unrevised.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unrevisedPayloads")
    void anUnrevisedPayloadIsReadAsRevisionOneWithItsValuesKept(Path file) throws Exception {
        String type = EVENTS_PACKAGE + file.getParent().getFileName();
        byte[] stored = Files.readAllBytes(file);

        IntermediateEventRepresentation read = upcast(type, null, stored);

        assertThat(read.getType().getRevision()).isEqualTo(UnrevisedEventUpcaster.TARGET_REVISION);
        JsonNode upcast = read.getData(JsonNode.class).getData();
        JsonNode revisionOne = json.readTree(GOLDEN.resolve(file.getParent().getFileName()).resolve("1.json").toFile());
        assertThat(fieldNames(upcast)).as("every field of revision 1").isEqualTo(fieldNames(revisionOne));
        Object event = serializer.deserialize(read.getData());
        assertThat(event).isEqualTo(json.readValue(stored, Class.forName(type)));
    }

    @Test
    void aRenewStoredBeforeTheBalanceLimitReadsAsNotLimited() throws Exception {
        byte[] stored = Files.readAllBytes(GOLDEN.resolve("SessionRenewed/unrevised-before-balance-limited.json"));

        IntermediateEventRepresentation read = upcast(SessionRenewed.class.getName(), null, stored);

        assertThat(read.getData(JsonNode.class).getData().get("balanceLimited").isBoolean()).isTrue();
        assertThat(((SessionRenewed) serializer.deserialize(read.getData())).balanceLimited()).isFalse();
    }

    @Test
    void aRevisionOnePayloadAndAnotherTypeAreLeftAsStored() throws Exception {
        byte[] renewed = Files.readAllBytes(GOLDEN.resolve("SessionRenewed/1.json"));
        byte[] snapshot = "{\"userId\":\"alice\"}".getBytes(StandardCharsets.UTF_8);

        IntermediateEventRepresentation revisionOne = upcast(SessionRenewed.class.getName(), "1", renewed);
        IntermediateEventRepresentation other = upcast("io.playbill.ledger.axon.UserAccount", null, snapshot);

        assertThat(revisionOne.getType().getRevision()).isEqualTo("1");
        assertThat(revisionOne.getData(byte[].class).getData()).isEqualTo(renewed);
        assertThat(other.getType().getRevision()).isNull();
        assertThat(other.getData(byte[].class).getData()).isEqualTo(snapshot);
    }

    private IntermediateEventRepresentation upcast(String type, String revision, byte[] payload) {
        var stored = new Stored(new SimpleSerializedObject<>(payload, byte[].class, type, revision));
        List<IntermediateEventRepresentation> read = upcasters
                .upcast(Stream.of(new InitialEventRepresentation(stored, serializer))).toList();
        assertThat(read).hasSize(1);
        return read.get(0);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names.stream().sorted().toList();
    }

    /** A stored event as the event store hands it to the upcasters (Axon's own entry classes carry JPA annotations). */
    private record Stored(SerializedObject<byte[]> payload) implements EventData<byte[]> {

        @Override
        public SerializedObject<byte[]> getPayload() {
            return payload;
        }

        @Override
        public String getEventIdentifier() {
            return "event-1";
        }

        @Override
        public Instant getTimestamp() {
            return Instant.EPOCH;
        }

        @Override
        public SerializedObject<byte[]> getMetaData() {
            return new SimpleSerializedObject<>("{}".getBytes(StandardCharsets.UTF_8), byte[].class,
                    MetaData.class.getName(), null);
        }
    }
}
