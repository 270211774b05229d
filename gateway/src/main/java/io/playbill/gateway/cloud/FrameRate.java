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

/** A frame rate CreateSession accepts ({@link CloudInput#FPS}). {@code null} passes: the field is optional. */
@Documented
@Constraint(validatedBy = FrameRate.Validator.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
@interface FrameRate {

    String message() default CloudInput.FPS_RULE;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Validator implements ConstraintValidator<FrameRate, Long> {

        @Override
        public boolean isValid(Long value, ConstraintValidatorContext context) {
            return value == null || CloudInput.FPS.contains(value);
        }
    }
}
