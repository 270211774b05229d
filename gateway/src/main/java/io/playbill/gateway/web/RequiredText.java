package io.playbill.gateway.web;

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
 * Text that holds something besides whitespace, by Java's {@link String#isBlank()}: the rule the ledger applies. Bean
 * Validation's {@code @NotBlank} only trims characters up to U+0020, so a reason of ideographic spaces (U+3000) would
 * pass the gateway and be refused by the ledger as a 400 that the gateway did not describe.
 */
@Documented
@Constraint(validatedBy = RequiredText.Validator.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
public @interface RequiredText {

    String message() default "is required";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Validator implements ConstraintValidator<RequiredText, String> {

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value != null && !value.isBlank();
        }
    }
}
