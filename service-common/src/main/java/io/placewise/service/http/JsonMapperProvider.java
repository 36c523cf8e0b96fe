package io.placewise.service.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;

/**
 * The one JSON mapper: snake_case (OpenStack convention), strict about types (no "8" for 8, no
 * 2.5 for an integer), finite numbers only ({@code 1e400} reads as Infinity and is refused, as
 * are NaN and ±Infinity), tolerant of unknown fields so that agents and clients of a newer version
 * keep working; {@link #STRICT} refuses them where the API does (an admin's PATCH).
 */
@Provider
public final class JsonMapperProvider implements ContextResolver<ObjectMapper> {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .addModule(new JavaTimeModule())
            .addModule(new SimpleModule("finite-numbers")
                    .addDeserializer(Double.class, new FiniteDouble(new NumberDeserializers.DoubleDeserializer(Double.class, null)))
                    .addDeserializer(double.class, new FiniteDouble(new NumberDeserializers.DoubleDeserializer(Double.TYPE, 0.0))))
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    /** As {@link #MAPPER}, and an unknown field is an error naming it (Jackson's UnrecognizedPropertyException). */
    public static final ObjectReader STRICT = MAPPER.reader().with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Override
    public ObjectMapper getContext(Class<?> type) {
        return MAPPER;
    }

    /** Jackson's double reader, then: Infinity (an overflow such as 1e400) and NaN are not numbers a client means. */
    static final class FiniteDouble extends StdScalarDeserializer<Double> {
        private final JsonDeserializer<Double> base;

        FiniteDouble(JsonDeserializer<Double> base) {
            super(Double.class);
            this.base = base;
        }

        @Override
        public Double deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            Double d = base.deserialize(p, ctxt);
            if (d != null && !Double.isFinite(d)) {
                throw InvalidFormatException.from(p, "not a finite number", p.getText(), Double.class);
            }
            return d;
        }

        @Override
        public Double getNullValue(DeserializationContext ctxt) throws com.fasterxml.jackson.databind.JsonMappingException {
            return base.getNullValue(ctxt);
        }
    }
}
