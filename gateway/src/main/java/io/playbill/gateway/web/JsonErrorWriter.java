package io.playbill.gateway.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.playbill.service.web.ApiErrorBody;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

import java.io.IOException;

/** Writes the {@link ApiErrorBody} shape where no controller runs: servlet filters and Spring Security. */
@Component
public class JsonErrorWriter {

    private final ObjectMapper json;

    public JsonErrorWriter(ObjectMapper json) {
        this.json = json;
    }

    public void write(HttpServletResponse response, HttpStatus status, String code, String message)
            throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getOutputStream().write(bytes(code, message));
    }

    public byte[] bytes(String code, String message) {
        try {
            return json.writeValueAsBytes(ApiErrorBody.of(code, message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise an error body", e);
        }
    }
}
