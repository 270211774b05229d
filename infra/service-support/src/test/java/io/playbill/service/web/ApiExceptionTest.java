package io.playbill.service.web;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;

class ApiExceptionTest {

    @Test
    void aFieldsCodeIsInvalidAndTheFieldInSnakeCase() {
        assertThat(ApiException.invalidCode("lastDeadline")).isEqualTo("invalid_last_deadline");
        assertThat(ApiException.invalidCode("page")).isEqualTo("invalid_page");
        assertThat(ApiException.invalidCode("gs2Region")).isEqualTo("invalid_gs2_region");
    }

    @Test
    void anInvalidFieldIsABadRequestWithTheMessageAsGiven() {
        ApiException e = ApiException.invalidField("size", "size is between 1 and 500");

        assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(e.code()).isEqualTo("invalid_size");
        assertThat(e.getMessage()).isEqualTo("size is between 1 and 500");
        assertThat(e.headers()).isEmpty();
    }
}
