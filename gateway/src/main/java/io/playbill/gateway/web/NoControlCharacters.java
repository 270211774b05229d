package io.playbill.gateway.web;

import io.playbill.ledger.api.messages.CleanText;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Text without control characters (C0, DEL, C1, NUL included) and without unpaired surrogates: the rule of
 * {@link CleanText}, which the ledger applies again. {@code null} passes (required fields say so separately).
 */
@Documented
@Constraint(validatedBy = NoControlCharacters.Validator.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
public @interface NoControlCharacters {

    String message() default "must not contain control characters or unpaired surrogates";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Validator implements ConstraintValidator<NoControlCharacters, String> {

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || CleanText.isClean(value);
        }
    }
}
