package io.scaflow.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import java.io.IOException;
import java.time.Instant;

/**
 * The project's one ObjectMapper. Handlers read and write their events with it (the Lambda runtime's POJO
 * serializer would ignore Jackson annotations), the Shine client speaks the wire with it.
 *
 * <ul>
 *   <li>unknown fields are ignored: Shine may add fields to its answers;</li>
 *   <li>a duplicated key or anything after the JSON value is an error: {@code {"amount": 7, "amount": 9}} is
 *       refused, never read as 9;</li>
 *   <li>numbers with a fraction are read as {@link java.math.BigDecimal}, kept as written ({@code 234.50} stays
 *       {@code 234.50}) and written plain: no binary floating point near money;</li>
 *   <li>{@link Instant} is written as ISO-8601 with nanosecond precision, as Shine does;</li>
 *   <li>what it reads is bounded ({@link #MAX_NESTING_DEPTH}, {@link #MAX_NUMBER_LENGTH},
 *       {@link #MAX_STRING_LENGTH}): a document past a bound fails to parse like malformed JSON, with a
 *       {@link com.fasterxml.jackson.core.exc.StreamConstraintsException}, before it costs memory or time.</li>
 * </ul>
 */
public final class Json {

    /**
     * Objects and arrays nested deeper than this are refused. scaflow's own documents (API bodies, Shine's answers,
     * Lambda events) nest fewer than 10 levels; Jackson's default (1000) would let a 16 KiB body of brackets through.
     */
    public static final int MAX_NESTING_DEPTH = 64;
    /** Characters of one number literal (Jackson's default, pinned): no amount or id needs more. */
    public static final int MAX_NUMBER_LENGTH = 1000;
    /**
     * Characters of one string: 8 MiB, above Lambda's 6 MB synchronous payload, so that any event Lambda delivers
     * (an API request's body is one string in it) can be read and the API can answer its own 413.
     */
    public static final int MAX_STRING_LENGTH = 8 * 1024 * 1024;

    public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_NESTING_DEPTH)
                            .maxNumberLength(MAX_NUMBER_LENGTH)
                            .maxStringLength(MAX_STRING_LENGTH)
                            .build())
                    .build())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .addModule(new SimpleModule("scaflow-time")
                    .addSerializer(Instant.class, new InstantSerializer())
                    .addDeserializer(Instant.class, new InstantDeserializer()))
            .build();

    private Json() {
    }

    private static final class InstantSerializer extends JsonSerializer<Instant> {
        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeString(Timestamps.format(value));
        }
    }

    private static final class InstantDeserializer extends JsonDeserializer<Instant> {
        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String text = p.getValueAsString();
            try {
                return Timestamps.parse(text);
            } catch (IllegalArgumentException e) {
                return (Instant) ctxt.handleWeirdStringValue(Instant.class, text, e.getMessage());
            }
        }
    }
}
