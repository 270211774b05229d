package io.playbill.infra.loadgen.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/** A service's {@code /actuator/prometheus} text, read with the platform's scrape token (decision 017). */
final class PrometheusText {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private PrometheusText() {
    }

    /** The exposition of the service at {@code serviceUrl}; empty if it does not answer 200. */
    static Optional<String> read(HttpClient http, String serviceUrl, String scrapeToken) {
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                            URI.create(serviceUrl + "/actuator/prometheus"))
                    .header("Authorization", "Bearer " + scrapeToken).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return answer.statusCode() == 200 ? Optional.of(answer.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * The sum of the samples of {@code series} (a metric name such as {@code "jvm_gc_pause_seconds_count"}) whose line
     * also contains every one of {@code labels}; 0 when none does. A series without labels has no braces, so the name
     * is matched up to a brace or the space before the value, never as the prefix of a longer name.
     */
    static double sum(String exposition, String series, String... labels) {
        double sum = 0;
        for (String line : exposition.split("\n")) {
            if (line.startsWith(series) && line.length() > series.length()
                    && (line.charAt(series.length()) == '{' || line.charAt(series.length()) == ' ')
                    && Arrays.stream(labels).allMatch(line::contains)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim());
            }
        }
        return sum;
    }
}
