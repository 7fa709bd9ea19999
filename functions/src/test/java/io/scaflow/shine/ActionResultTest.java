package io.scaflow.shine;

import static org.assertj.core.api.Assertions.assertThat;

import io.scaflow.shine.ActionResult.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Any 2xx to an executed action is a success; the body is kept as far as it can be read. */
class ActionResultTest {

    private static final String TRANSFER = "{\"bankTransferId\": \"bt-1\", \"amount\": 234.50, \"uid\": \"u\"}";

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {200, 201, 202, 203, 204, 206, 299})
    void noBodyIsASuccessWithoutResult(int status) {
        for (String body : new String[] {null, "", "  \r\n"}) {
            ActionResult result = WireFormat.actionResult(status, body, false);
            assertThat(result.httpStatus()).isEqualTo(status);
            assertThat(result.shape()).isEqualTo(Shape.EMPTY);
            assertThat(result.data()).isNull();
            assertThat(result.id()).isEmpty();
        }
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {200, 201, 202})
    void aPlainObjectIsKeptAsTheResult(int status) {
        ActionResult result = WireFormat.actionResult(status, TRANSFER, false);

        assertThat(result.shape()).isEqualTo(Shape.OBJECT);
        assertThat(result.data().get("amount").decimalValue()).isEqualByComparingTo("234.50");
        assertThat(result.id()).contains("bt-1");
        assertThat(result.describe()).isEqualTo("HTTP " + status + " with a plain JSON object");
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {200, 201, 202})
    void theEnvelopesDataIsTheResult(int status) {
        ActionResult result = WireFormat.actionResult(status,
                "{\"data\": " + TRANSFER + ", \"metadata\": {\"x\": 1}, \"unknown\": [1]}", false);

        assertThat(result.shape()).isEqualTo(Shape.ENVELOPE);
        assertThat(result.data().get("uid").asText()).isEqualTo("u");
        assertThat(result.data().has("metadata")).isFalse();
        assertThat(result.id()).contains("bt-1");
    }

    @Test
    void anEnvelopeWithNullDataIsASuccessWithoutResult() {
        ActionResult result = WireFormat.actionResult(201, "{\"data\": null, \"metadata\": {}}", false);

        assertThat(result.shape()).isEqualTo(Shape.ENVELOPE);
        assertThat(result.data()).isNull();
    }

    @Test
    void otherJsonValuesAreKept() {
        ActionResult result = WireFormat.actionResult(200, "[{\"id\": \"x\"}]", false);

        assertThat(result.shape()).isEqualTo(Shape.OTHER_JSON);
        assertThat(result.data().isArray()).isTrue();
        assertThat(result.id()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"<html>ok</html>", "{\"data\": ", "{\"a\": 1, \"a\": 2}", "{} trailing", "nul"})
    void anUnreadableBodyIsStillASuccess(String body) {
        ActionResult result = WireFormat.actionResult(201, body, false);

        assertThat(result.httpStatus()).isEqualTo(201);
        assertThat(result.shape()).isEqualTo(Shape.UNREADABLE);
        assertThat(result.data()).isNull();
        assertThat(result.describe()).doesNotContain(body);
    }

    @Test
    void aBodyCutOffOrTooLargeToKeepIsStillASuccess() {
        assertThat(WireFormat.actionResult(200, TRANSFER, true).shape()).isEqualTo(Shape.UNREADABLE);
        String huge = "{\"bankTransferId\": \"bt-1\", \"note\": \"" + "x".repeat(WireFormat.MAX_RESULT_CHARS) + "\"}";
        ActionResult tooLarge = WireFormat.actionResult(200, huge, false);
        assertThat(tooLarge.shape()).isEqualTo(Shape.UNREADABLE);
        assertThat(tooLarge.data()).isNull();
    }

    @Test
    void theIdIsTakenFromTheUsualFields() {
        assertThat(WireFormat.actionResult(200, "{\"transferId\": \"t-9\"}", false).id()).contains("t-9");
        assertThat(WireFormat.actionResult(200, "{\"id\": 42}", false).id()).contains("42");
        assertThat(WireFormat.actionResult(200, "{\"id\": {\"x\": 1}, \"uid\": \"u\"}", false).id()).isEmpty();
    }
}
