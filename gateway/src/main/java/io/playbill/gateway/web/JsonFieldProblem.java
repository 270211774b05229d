package io.playbill.gateway.web;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A body that is JSON but holds a value of the wrong type for one of its fields ({@code "amount":"12"}): the field,
 * named in the error code ({@code invalid_amount}), and what its value must be. Shared by the JSON endpoints and the
 * demo paths, which parse their bodies themselves.
 *
 * @param field       the field's name, as sent
 * @param expectation what its value must be, e.g. "must be a JSON integer"
 */
public record JsonFieldProblem(String field, String expectation) {

    /**
     * A field name that can be part of an error code ({@code lastDeadline} → {@code invalid_last_deadline}). A body
     * bound to a map (Actuator's endpoints take one) reports whatever key the client sent, control characters
     * included; such a body is just malformed.
     */
    static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,63}");

    /** The field problem behind {@code failure}, or null when the JSON itself is broken or no field is named. */
    public static JsonFieldProblem of(Throwable failure) {
        JsonMappingException mapping = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof JsonParseException) {
                return null;
            }
            if (mapping == null && t instanceof JsonMappingException found) {
                mapping = found;
            }
        }
        String field = mapping == null ? null : lastFieldName(mapping);
        return field == null ? null : new JsonFieldProblem(field, expectation(mapping));
    }

    private static String lastFieldName(JsonMappingException mapping) {
        List<JsonMappingException.Reference> path = mapping.getPath();
        for (int i = path.size() - 1; i >= 0; i--) {
            String name = path.get(i).getFieldName();
            if (name != null) {
                return FIELD_NAME.matcher(name).matches() ? name : null;
            }
        }
        return null;
    }

    private static String expectation(JsonMappingException mapping) {
        if (mapping.getCause() instanceof InputCoercionException) {
            return "is out of range";
        }
        if (mapping instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            Class<?> target = mismatch.getTargetType();
            if (target == Long.class || target == long.class || target == Integer.class || target == int.class) {
                return "must be a JSON integer";
            }
            if (target == String.class) {
                return "must be a JSON string";
            }
        }
        return "has the wrong JSON type";
    }
}
