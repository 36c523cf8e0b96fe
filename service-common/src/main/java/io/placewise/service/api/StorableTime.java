package io.placewise.service.api;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Instant;

/**
 * A time the databases store and give back unchanged: from 1970-01-01 to 9999-12-31 (UTC). An
 * ISO-8601 time such as {@code +999999999-12-31T23:59:59Z} parses, but a JDBC timestamp cannot hold
 * it and it would come back as another date. Null passes.
 */
@Documented
@Constraint(validatedBy = StorableTime.Validator.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface StorableTime {
    Instant MIN = Instant.parse("1970-01-01T00:00:00Z");
    Instant MAX = Instant.parse("9999-12-31T23:59:59Z");

    String message() default "must be between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Validator implements ConstraintValidator<StorableTime, Instant> {
        @Override
        public boolean isValid(Instant value, ConstraintValidatorContext context) {
            return value == null || (!value.isBefore(MIN) && !value.isAfter(MAX));
        }
    }
}
