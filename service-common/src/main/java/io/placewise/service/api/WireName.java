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
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * A string that names a constant of {@code value()} as on the wire: the enum's {@code wireName()}
 * (e.g. {@code Goal}: balance, hotspot). Null passes (pair with {@code @NotNull} when required).
 */
@Documented
@Constraint(validatedBy = WireName.Validator.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface WireName {
    /** An enum with a public {@code String wireName()}. */
    Class<? extends Enum<?>> value();

    String message() default "must be one of the listed names";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Validator implements ConstraintValidator<WireName, String> {
        private List<String> names;

        @Override
        public void initialize(WireName annotation) {
            names = new ArrayList<>();
            try {
                Method wire = annotation.value().getMethod("wireName");
                for (Enum<?> e : annotation.value().getEnumConstants()) {
                    names.add((String) wire.invoke(e));
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalArgumentException(annotation.value() + " has no wireName()", e);
            }
        }

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null || names.contains(value)) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate("must be one of " + String.join(", ", names))
                    .addConstraintViolation();
            return false;
        }
    }
}
