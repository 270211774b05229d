package io.playbill.query.web;

import io.playbill.service.web.ApiErrorBody;
import io.playbill.service.web.ApiException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A refusal the service throws keeps the headers it carries, and every 503 says when to come back (docs/api-query.md):
 * a parked retry's 503 {@code busy} had no {@code Retry-After}.
 */
class ApiErrorsTest {

    private final ApiErrors errors = new ApiErrors();

    @Test
    void a503RefusalSuchAsBusyCarriesRetryAfter() {
        ResponseEntity<ApiErrorBody> busy = errors.refused(new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "busy",
                "The parked rows are busy; try again"));

        assertThat(busy.getStatusCode().value()).isEqualTo(503);
        assertThat(busy.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("5");
        assertThat(busy.getHeaders().getContentType()).hasToString("application/json");
        assertThat(busy.getBody()).isEqualTo(ApiErrorBody.of("busy", "The parked rows are busy; try again"));
    }

    @Test
    void theHeadersARefusalCarriesAreAnsweredWithIt() {
        ResponseEntity<ApiErrorBody> refused = errors.refused(new ApiException(HttpStatus.SERVICE_UNAVAILABLE,
                "busy", "later") {
            @Override
            public HttpHeaders headers() {
                HttpHeaders headers = new HttpHeaders();
                headers.set(HttpHeaders.RETRY_AFTER, "30");
                headers.set("X-Reason", "maintenance");
                return headers;
            }
        });

        assertThat(refused.getHeaders().get(HttpHeaders.RETRY_AFTER)).containsExactly("30");
        assertThat(refused.getHeaders().getFirst("X-Reason")).isEqualTo("maintenance");
        assertThat(errors.refused(ApiException.badRequest("invalid_from", "no")).getHeaders()
                .containsKey(HttpHeaders.RETRY_AFTER)).isFalse();
    }
}
