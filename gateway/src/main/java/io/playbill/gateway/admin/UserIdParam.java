package io.playbill.gateway.admin;

import io.playbill.ledger.api.messages.UserIds;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A user id named in a staff path: the rule of a token's subject ({@link UserIds}). */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = UserIdParam.Check.class)
@interface UserIdParam {

    String message() default UserIds.RULE;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<UserIdParam, String> {

        @Override
        public boolean isValid(String userId, ConstraintValidatorContext context) {
            return UserIds.isAcceptable(userId);
        }
    }
}
