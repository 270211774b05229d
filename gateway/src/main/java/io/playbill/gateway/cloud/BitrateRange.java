package io.playbill.gateway.cloud;

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
 * CreateSession refuses a MinBitrate above the MaxBitrate: the request is refused here, on its {@code minBitrate},
 * before anything is locked. Either one alone passes.
 */
@Documented
@Constraint(validatedBy = BitrateRange.Validator.class)
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@interface BitrateRange {

    String message() default "must not be above maxBitrate";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** A request with both bitrates. */
    interface Bitrates {
        Long minBitrate();

        Long maxBitrate();
    }

    final class Validator implements ConstraintValidator<BitrateRange, Bitrates> {

        @Override
        public boolean isValid(Bitrates value, ConstraintValidatorContext context) {
            if (value == null || value.minBitrate() == null || value.maxBitrate() == null
                    || value.minBitrate() <= value.maxBitrate()) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(context.getDefaultConstraintMessageTemplate())
                    .addPropertyNode("minBitrate").addConstraintViolation();
            return false;
        }
    }
}
