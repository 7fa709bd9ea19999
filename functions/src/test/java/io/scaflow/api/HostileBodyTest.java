package io.scaflow.api;

import static io.scaflow.api.ApiKit.post;
import static io.scaflow.api.ApiKit.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bodies built to hurt the parser or the validator (deep nesting, huge numbers, odd JSON, bad encodings): each one
 * gets a 4xx problem document naming a field, a reason and a stable code, nothing is stored, nothing is started.
 */
class HostileBodyTest {

    /** With 1 MiB bodies allowed (a deployment may raise MAX_BODY_BYTES): the parser's own bounds are what hold. */
    private final ApiKit api = new ApiKit(Map.of("MAX_BODY_BYTES", "1048576",
            "SHINE_ACTIONS", "{\"bank:beneficiaries:create\": {\"method\": \"POST\", \"path\": \"/v3/bank/beneficiaries\"}}"));

    static String nested(String open, String close, int depth, String inner) {
        return open.repeat(depth) + inner + close.repeat(depth);
    }

    static Stream<Arguments> malformedBodies() {
        return Stream.of(
                Arguments.of("a uid of 5,000 nested arrays", "{\"uid\": " + nested("[", "]", 5_000, "1")
                        + ", \"amount\": 1, \"bankTransferRecipientId\": \"r-1\", \"accessToken\": \"t\"}"),
                Arguments.of("5,000 nested objects", "{\"uid\": \"u-1\", \"x\": " + nested("{\"a\": ", "}", 5_000, "1") + "}"),
                Arguments.of("nesting just past the limit", "{\"uid\": " + nested("[", "]", 64, "1") + "}"),
                Arguments.of("a 2,000-digit number", "{\"uid\": \"u-1\", \"amount\": " + "9".repeat(2_000) + "}"),
                Arguments.of("an exponent past what a decimal holds", "{\"uid\": \"u-1\", \"amount\": 1e99999999999}"),
                Arguments.of("NaN", "{\"uid\": \"u-1\", \"amount\": NaN}"),
                Arguments.of("Infinity", "{\"uid\": \"u-1\", \"amount\": -Infinity}"),
                Arguments.of("a leading zero", "{\"uid\": \"u-1\", \"amount\": 012}"),
                Arguments.of("single quotes", "{'uid': 'u-1'}"),
                Arguments.of("a comment", "{\"uid\": \"u-1\" /* hi */}"),
                Arguments.of("a raw control character in a string", "{\"uid\": \"u\u0001-1\"}"),
                Arguments.of("a duplicated key", "{\"uid\": \"u-1\", \"uid\": \"u-2\"}"),
                Arguments.of("two documents", "{} {}"),
                Arguments.of("an unterminated string", "{\"uid\": \"u-1"),
                Arguments.of("only a number", "42"),
                Arguments.of("only a string", "\"{}\""),
                Arguments.of("null", "null"),
                Arguments.of("an array", "[{\"uid\": \"u-1\"}]"),
                Arguments.of("whitespace only", " \n\t "),
                Arguments.of("a byte order mark", "\uFEFF{\"uid\": \"u-1\"}"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("malformedBodies")
    void aBodyThatIsNotStrictJsonIsMalformed(String what, String body) {
        api.send(post("/v1/transfers", body)).assertProblem(400, "malformed-json", "body");
        api.send(post("/v1/actions", body)).assertProblem(400, "malformed-json", "body");
        assertThat(api.dynamo.size()).isZero();
        assertThat(api.sfn.started()).isEmpty();
    }

    @Test
    void aDuplicatedKeySaysSo() {
        ApiKit.Answer answer = api.send(post("/v1/transfers", "{\"uid\": \"u-1\", \"uid\": \"u-2\"}"))
                .assertProblem(400, "malformed-json", "body");
        assertThat(answer.body().path("detail").asText()).contains("gives a field twice");
    }

    static Stream<Arguments> hugeAmounts() {
        return Stream.of(
                Arguments.of("1e999999", "1e999999"),
                Arguments.of("-1e999999", "-1e999999"),
                Arguments.of("1e-999999", "1e-999999"),
                Arguments.of("a 400-digit integer", "1" + "0".repeat(399)),
                Arguments.of("900 decimals", "1." + "0".repeat(898) + "1"),
                Arguments.of("three decimals", "10.001"),
                Arguments.of("negative zero", "-0.0"),
                Arguments.of("a number as a string", "\"10\""),
                Arguments.of("true", "true"),
                Arguments.of("an object", "{\"value\": 10}"));
    }

    @ParameterizedTest(name = "amount {0}")
    @MethodSource("hugeAmounts")
    void aHugeTinyOrOddAmountIsRefusedByField(String what, String amount) {
        api.send(post("/v1/transfers", transfer("u-1", amount))).assertProblem(400, "invalid-input", "amount");
        api.send(post("/v1/actions", "{\"action\": \"bank:transfers:create\", \"uid\": \"u-1\", \"accessToken\": \"t\", "
                + "\"payload\": {\"amount\": " + amount + ", \"bankTransferRecipientId\": \"r-1\"}}"))
                .assertProblem(400, "invalid-input", "payload.amount");
        assertThat(api.dynamo.size()).isZero();
    }

    @Test
    void numbersOfAnotherActionMustBeWritableInFull() {
        for (String number : new String[] {"1e999999", "1e-999999", "1" + "0".repeat(400), "-2.5E+400"}) {
            api.send(post("/v1/actions", "{\"action\": \"bank:beneficiaries:create\", \"uid\": \"u-1\", "
                    + "\"accessToken\": \"t\", \"payload\": {\"name\": \"x\", \"limits\": [1, {\"max\": " + number + "}]}}"))
                    .assertProblem(400, "invalid-input", "payload.limits[1].max");
        }
        assertThat(api.dynamo.size()).isZero();
    }

    @Test
    void stringsWithNulBytesLoneSurrogatesOrHugeLengthsAreRefusedByField() {
        api.send(post("/v1/transfers", transfer("u\\u0000-1", "10"))).assertProblem(400, "invalid-input", "uid");
        api.send(post("/v1/transfers", transfer("\\ud800", "10"))).assertProblem(400, "invalid-input", "uid");
        api.send(post("/v1/transfers", transfer("u".repeat(129), "10"))).assertProblem(400, "invalid-input", "uid");
        api.send(post("/v1/transfers", "{\"uid\": \"u-1\", \"amount\": 10, \"bankTransferRecipientId\": \"r-1\", "
                + "\"accessToken\": \"a\\r\\nX-Injected: 1\"}")).assertProblem(400, "invalid-input", "accessToken");
        assertThat(api.dynamo.size()).isZero();
    }

    @Test
    void aBodyOverMaxBodyBytesIs413WhateverItHolds() {
        ApiKit api = new ApiKit();   // MAX_BODY_BYTES 16384, the default
        String big = "{\"uid\": \"" + "x".repeat(20_000) + "\"}";
        api.send(post("/v1/transfers", big)).assertProblem(413, "body-too-large", "body");
        String deepAndBig = nested("[", "]", 9_000, "1");
        api.send(post("/v1/actions", deepAndBig)).assertProblem(413, "body-too-large", "body");
        String multibyte = "{\"uid\": \"" + "é".repeat(8_200) + "\"}";   // 8,200 characters, 16,400 bytes
        api.send(post("/v1/transfers", multibyte)).assertProblem(413, "body-too-large", "body");
    }

    @Test
    void aBase64BodyMustDecodeToUtf8Json() {
        api.send(base64Transfer("%%% not base64 %%%")).assertProblem(400, "malformed-json", "body");
        api.send(base64Transfer(Base64.getEncoder().encodeToString(
                transfer("u-é", "10").getBytes(StandardCharsets.ISO_8859_1))))
                .assertProblem(400, "malformed-json", "body");
        assertThat(api.send(base64Transfer(Base64.getEncoder().encodeToString(
                transfer("u-1", "10").getBytes(StandardCharsets.UTF_8)))).status()).isEqualTo(202);
    }

    /** POST /v1/transfers whose body API Gateway says is base64 ({@code isBase64Encoded}). */
    private static ApiKit.Event base64Transfer(String body) {
        ApiKit.Event event = post("/v1/transfers", body);
        event.json().put("isBase64Encoded", true);
        return event;
    }

    @Test
    void nestingUnderTheLimitIsJustAnInvalidField() {
        api.send(post("/v1/transfers", "{\"uid\": " + nested("[", "]", 20, "1")
                        + ", \"amount\": 1, \"bankTransferRecipientId\": \"r-1\", \"accessToken\": \"t\"}"))
                .assertProblem(400, "invalid-input", "uid");
    }

    @Test
    void aNormalTransferStillStarts() {
        ApiKit.Answer answer = api.send(post("/v1/transfers", transfer("u-1", "234.50")));

        assertThat(answer.status()).as(answer.proxy().toString()).isEqualTo(202);
        assertThat(answer.body().get("payload").get("amount").decimalValue()).isEqualByComparingTo("234.50");
        assertThat(api.sfn.started()).hasSize(1);
    }
}
