package io.scaflow.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Ids in {@code /v1/actions/{id}} that are no flow id (path traversal, encoded dots and slashes, very long,
 * unicode, control characters): 404 {@code not-found} naming {@code id}; the id is not echoed back (the path is
 * given as {@code instance} only when it is made of letters, digits, '-' and '_').
 */
class HostilePathTest {

    private final ApiKit api = new ApiKit();

    static Stream<Arguments> oddIds() {
        return Stream.of(
                Arguments.of(".."), Arguments.of("."), Arguments.of("../../etc/passwd"), Arguments.of("..%2F..%2Fetc"),
                Arguments.of("%2e%2e"), Arguments.of("%2E%2E%2F"), Arguments.of("a%2Fb"), Arguments.of("a/b"),
                Arguments.of("a\\b"), Arguments.of("%00"), Arguments.of("a\u0000b"), Arguments.of("a\r\nX-Injected: 1"),
                Arguments.of("k".repeat(81)), Arguments.of("k".repeat(100_000)), Arguments.of("flüss"),
                Arguments.of("\uD83D\uDE00"), Arguments.of("\ud800"), Arguments.of(" "), Arguments.of(""),
                Arguments.of("id;drop table"), Arguments.of("id?x=1"), Arguments.of("id#frag"), Arguments.of("*"),
                Arguments.of("${jndi:ldap://x/a}"), Arguments.of("<script>"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("oddIds")
    void anIdThatIsNoFlowIdIsNotFound(String id) {
        for (ApiKit.Event event : new ApiKit.Event[] {ApiKit.get(id), ApiKit.delete(id)}) {
            ApiKit.Answer answer = api.send(event).assertProblem(404, "not-found", "id");
            if (id.length() > 2) {
                assertThat(answer.body().path("detail").asText()).doesNotContain(id);
                assertThat(answer.body().path("errors").toString()).doesNotContain(id);
            }
            if (answer.body().has("instance")) {
                assertThat(answer.body().get("instance").asText()).matches("(/[A-Za-z0-9_-]+)+");
            }
            assertThat(answer.proxy().path("body").asText().length()).isLessThan(1_000);
        }
    }

    @Test
    void noPathParameterIsNotFound() {
        ApiKit.Event event = ApiKit.get("x");
        event.json().putNull("pathParameters");
        api.send(event).assertProblem(404, "not-found", "id");
        event.json().putObject("pathParameters").put("id", 7);
        api.send(event).assertProblem(404, "not-found", "id");
    }

    @Test
    void aWellFormedUnknownIdIsNotFoundToo() {
        api.send(ApiKit.get("no-such-flow")).assertProblem(404, "not-found", "id");
        api.send(ApiKit.delete("k-" + "0".repeat(40))).assertProblem(404, "not-found", "id");
    }

    @Test
    void aHandWrittenEventWithoutResourceIsRoutedByItsPath() {
        ApiKit.Event traversal = new ApiKit.Event("GET", "", "/v1/actions/../../etc/passwd");
        traversal.json().remove("resource");
        api.send(traversal).assertProblem(404, "not-found", "path");

        ApiKit.Event dots = new ApiKit.Event("GET", "", "/v1/actions/..");
        dots.json().remove("resource");
        api.send(dots).assertProblem(404, "not-found", "id");
    }

    @Test
    void aMethodTheResourceDoesNotHaveIs405() {
        ApiKit.Answer answer = api.send(new ApiKit.Event("PUT", "/v1/actions", "/v1/actions").body("{}"))
                .assertProblem(405, "method-not-allowed", "method");
        assertThat(answer.header("Allow")).isEqualTo("POST");
        api.send(new ApiKit.Event("PATCH", "/v1/actions/{id}", "/v1/actions/x").pathParameter("id", "x"))
                .assertProblem(405, "method-not-allowed", "method");
    }

    @Test
    void anEventThatIsNotAnObjectOrNotJsonStillGetsAProblem() {
        for (String event : new String[] {"", "[]", "\"x\"", "{", "{\"httpMethod\": []}", "nope"}) {
            ApiKit.Answer answer = api.send(event.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(answer.status()).as(event + " -> " + answer.proxy()).isBetween(400, 499);
            assertThat(answer.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(answer.body().path("code").asText()).isNotBlank();
        }
    }
}
