package io.playbill.service.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;

class ApiExceptionTest {

    @ParameterizedTest
    @CsvSource({"lastDeadline, invalid_last_deadline", "page, invalid_page", "gs2Region, invalid_gs2_region"})
    void aFieldsCodeIsInvalidAndTheFieldInSnakeCase(String field, String code) {
        assertThat(ApiException.invalidCode(field)).isEqualTo(code);
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
