package io.scaflow.api;

import static io.scaflow.api.ApiKit.post;
import static io.scaflow.api.ApiKit.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * POST bodies must be {@code application/json} (any letter case, with or without a UTF-8 charset): anything else,
 * {@code application/*+json} included, is 415 {@code unsupported-media-type} naming the {@code Content-Type}, with
 * {@code Accept: application/json} (RFC 9110, 15.5.16). GET and DELETE read no body and no content type.
 */
class ContentTypeTest {

    private final ApiKit api = new ApiKit();

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "Application/JSON",
            "application/json;charset=UTF-8", "application/json; charset=\"utf-8\"", " application/json "})
    void jsonIsAccepted(String contentType) {
        ApiKit.Answer answer = api.send(post("/v1/transfers", transfer("u-1", "10")).withoutHeader("Content-Type")
                .header("content-type", contentType));
        assertThat(answer.status()).as(answer.proxy().toString()).isEqualTo(202);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x", "application/xml", "application/merge-patch+json",
            "application/vnd.api+json", "application/problem+json", "application/jsonp", "application/json-seq",
            "application/x-json", "text/json", "application/json; charset=iso-8859-1", "application/json; charset=utf-16",
            "application/json, text/plain", "application", "application/", "/json", "*/*", ";", ""})
    void anythingElseIs415(String contentType) {
        ApiKit.Answer answer = api.send(post("/v1/transfers", transfer("u-1", "10")).withoutHeader("Content-Type")
                .header("Content-Type", contentType)).assertProblem(415, "unsupported-media-type", "Content-Type");
        assertThat(answer.header("Accept")).isEqualTo("application/json");
        api.send(post("/v1/actions", "{}").withoutHeader("Content-Type").header("Content-Type", contentType))
                .assertProblem(415, "unsupported-media-type", "Content-Type");
        assertThat(api.dynamo.size()).isZero();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"text/<b>\"x\"", "text/plain; boundary=<script>", "application/json; charset=<svg>"})
    void anOddContentTypeIsNotQuotedBack(String contentType) {
        ApiKit.Answer answer = api.send(post("/v1/transfers", transfer("u-1", "10")).withoutHeader("Content-Type")
                .header("Content-Type", contentType)).assertProblem(415, "unsupported-media-type", "Content-Type");
        assertThat(answer.proxy().toString()).doesNotContain("<b>").doesNotContain("<script>").doesNotContain("<svg>");
    }

    @Test
    void aPlainMediaTypeIsNamed() {
        ApiKit.Answer answer = api.send(post("/v1/transfers", transfer("u-1", "10")).withoutHeader("Content-Type")
                .header("Content-Type", "text/plain")).assertProblem(415, "unsupported-media-type", "Content-Type");
        assertThat(answer.body().path("detail").asText()).contains("names text/plain");
    }

    @Test
    void aBodyWithoutContentTypeIs415() {
        api.send(post("/v1/transfers", transfer("u-1", "10")).withoutHeader("Content-Type"))
                .assertProblem(415, "unsupported-media-type", "Content-Type");
    }

    @Test
    void theContentTypeIsCheckedBeforeTheSize() {
        api.send(post("/v1/transfers", "x".repeat(100_000)).withoutHeader("Content-Type").header("Content-Type", "text/plain"))
                .assertProblem(415, "unsupported-media-type", "Content-Type");
    }

    @Test
    void getAndDeleteIgnoreTheContentType() {
        api.send(ApiKit.get("no-such-flow").header("Content-Type", "text/plain")).assertProblem(404, "not-found", "id");
        api.send(ApiKit.delete("no-such-flow").header("Content-Type", "image/png")).assertProblem(404, "not-found", "id");
    }
}
