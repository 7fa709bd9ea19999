package io.scaflow.api;

import static io.scaflow.api.ApiKit.post;
import static io.scaflow.api.ApiKit.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The headers the API reads ({@code Idempotency-Key}, {@code Content-Type}) given CR/LF, control characters,
 * odd lengths, or more than once: a 4xx problem document naming the header, and nothing a caller sent is ever
 * written back into a response header.
 */
class HostileHeaderTest {

    private final ApiKit api = new ApiKit();

    static Stream<Arguments> badKeys() {
        return Stream.of(
                Arguments.of("CR LF and a header", "k-1\r\nX-Injected: yes"),
                Arguments.of("a bare LF", "k-1\nSet-Cookie: a=b"),
                Arguments.of("NUL", "k\u0000-1"),
                Arguments.of("a tab", "k\t1"),
                Arguments.of("DEL", "k\u007f1"),
                Arguments.of("an escape sequence", "\u001b[31mred"),
                Arguments.of("unicode", "clé-1"),
                Arguments.of("a line separator", "k\u20281"),
                Arguments.of("empty", ""),
                Arguments.of("spaces only", "   "),
                Arguments.of("a leading space", " k-1"),
                Arguments.of("a trailing space", "k-1 "),
                Arguments.of("256 characters", "k".repeat(256)),
                Arguments.of("10,000 characters", "k".repeat(10_000)));
    }

    @ParameterizedTest(name = "Idempotency-Key with {0}")
    @MethodSource("badKeys")
    void aBadIdempotencyKeyIsRefusedAndNotEchoed(String what, String key) {
        ApiKit.Answer answer = api.send(post("/v1/transfers", transfer("u-1", "10")).header("Idempotency-Key", key))
                .assertProblem(400, "invalid-input", "Idempotency-Key");

        assertThat(answer.proxy().path("headers").fieldNames()).toIterable()
                .containsOnly("Content-Type");
        if (key.length() > 3) {
            assertThat(answer.proxy().toString()).doesNotContain(key);
        }
        assertThat(api.dynamo.size()).isZero();
    }

    @Test
    void theLongestPrintableKeyIsFine() {
        String key = "!" + " ~".repeat(126) + "!";
        assertThat(key).hasSize(254);
        assertThat(api.send(post("/v1/transfers", transfer("u-1", "10")).header("Idempotency-Key", key)).status())
                .isEqualTo(202);
    }

    @Test
    void twoDifferentIdempotencyKeysAreRefused() {
        ApiKit.Event event = post("/v1/transfers", transfer("u-1", "10")).header("Idempotency-Key", "k-1")
                .header("Idempotency-Key", "k-2");
        api.send(event).assertProblem(400, "invalid-input", "Idempotency-Key");

        // the same header name twice, spelt differently, as API Gateway passes names as sent
        ApiKit.Event cased = post("/v1/transfers", transfer("u-1", "10")).header("Idempotency-Key", "k-1")
                .header("idempotency-key", "k-2");
        api.send(cased).assertProblem(400, "invalid-input", "Idempotency-Key");
        assertThat(api.dynamo.size()).isZero();
    }

    @Test
    void theSameKeyTwiceIsOneKey() {
        ApiKit.Event event = post("/v1/transfers", transfer("u-1", "10")).header("Idempotency-Key", "k-1")
                .header("idempotency-key", "k-1");
        ApiKit.Answer answer = api.send(event);
        assertThat(answer.status()).as(answer.proxy().toString()).isEqualTo(202);
        assertThat(api.sfn.started()).containsExactly(answer.body().get("id").asText());
    }

    @Test
    void aHandEditedEventIsReadAsItsHeadersMapSays() {
        ApiKit.Event event = post("/v1/transfers", transfer("u-1", "10")).header("Idempotency-Key", "k-old");
        ((ObjectNode) event.json().get("headers")).put("Idempotency-Key", "k-new");
        ApiKit.Answer answer = api.send(event);

        assertThat(answer.status()).as(answer.proxy().toString()).isEqualTo(202);
        ApiKit.Answer sameKey = api.send(post("/v1/transfers", transfer("u-2", "10")).header("Idempotency-Key", "k-new"));
        sameKey.assertProblem(409, "idempotency-key-reused", "Idempotency-Key");
    }

    @Test
    void aContentTypeWithControlCharactersIsUnsupported() {
        api.send(post("/v1/transfers", transfer("u-1", "10")).withoutHeader("Content-Type")
                        .header("Content-Type", "application/json\r\nX-Injected: yes"))
                .assertProblem(415, "unsupported-media-type", "Content-Type");
        api.send(post("/v1/transfers", transfer("u-1", "10")).withoutHeader("Content-Type")
                        .header("Content-Type", "application/json\u0000"))
                .assertProblem(415, "unsupported-media-type", "Content-Type");
    }

    @Test
    void twoDifferentContentTypesAreRefused() {
        api.send(post("/v1/transfers", transfer("u-1", "10")).header("Content-Type", "text/plain"))
                .assertProblem(415, "unsupported-media-type", "Content-Type");
    }

    @Test
    void oddHeaderShapesInTheEventAreIgnoredNotFatal() {
        ApiKit.Event nullHeaders = post("/v1/transfers", transfer("u-1", "10"));
        nullHeaders.json().putNull("headers");
        nullHeaders.json().putNull("multiValueHeaders");
        api.send(nullHeaders).assertProblem(415, "unsupported-media-type", "Content-Type");

        ApiKit.Event numbers = post("/v1/transfers", transfer("u-1", "10"));
        ((ObjectNode) numbers.json().get("headers")).put("Idempotency-Key", 12);
        ((ArrayNode) ((ObjectNode) numbers.json().get("multiValueHeaders")).putArray("X-Odd")).addNull().add(3);
        ((ObjectNode) numbers.json().get("headers")).putObject("X-Object").put("a", 1);
        assertThat(api.send(numbers).status()).isEqualTo(202);

        ApiKit.Event manyHeaders = post("/v1/transfers", transfer("u-2", "10"));
        for (int i = 0; i < 500; i++) {
            manyHeaders.header("X-Filler-" + i, "v".repeat(100));
        }
        assertThat(api.send(manyHeaders).status()).isEqualTo(202);
    }
}
