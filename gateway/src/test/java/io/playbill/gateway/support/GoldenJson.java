package io.playbill.gateway.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compares an answer with a golden file under {@code src/test/resources/golden/}: the same keys in the same order, the
 * same values, except {@code "<string>"} (any non-empty string) and {@code "<int>"} (any integer).
 */
public final class GoldenJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private GoldenJson() {
    }

    public static void assertMatches(HttpResult answer, String goldenFile) {
        try (InputStream golden = GoldenJson.class.getResourceAsStream("/golden/" + goldenFile)) {
            assertThat(golden).as("golden file " + goldenFile).isNotNull();
            compare(JSON.readTree(golden), answer.json(), "$");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void compare(JsonNode golden, JsonNode actual, String path) {
        if (golden.isTextual() && golden.asText().equals("<string>")) {
            assertThat(actual.isTextual() && !actual.asText().isEmpty()).as(path + " is a non-empty string, was "
                    + actual).isTrue();
        } else if (golden.isTextual() && golden.asText().equals("<int>")) {
            assertThat(actual.isIntegralNumber()).as(path + " is an integer, was " + actual).isTrue();
        } else if (golden.isObject()) {
            assertThat(actual.isObject()).as(path + " is an object, was " + actual).isTrue();
            assertThat(names(actual)).as("the keys of " + path + ", in order").containsExactlyElementsOf(names(golden));
            golden.properties().forEach(field -> compare(field.getValue(), actual.get(field.getKey()),
                    path + "." + field.getKey()));
        } else {
            assertThat(actual).as(path).isEqualTo(golden);
        }
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        Iterator<String> it = object.fieldNames();
        it.forEachRemaining(names::add);
        return names;
    }
}
