package io.scaflow.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Runtime API as a runtime sees it: the next invocation with Lambda's headers, and each way to answer it. */
class RuntimeApiTest {

    private static final String ARN = "arn:aws:lambda:eu-west-3:123456789012:function:F:live";
    private final HttpClient http = HttpClient.newHttpClient();
    private RuntimeApi api;

    @BeforeEach
    void start() throws Exception {
        api = new RuntimeApi("runtime-api-test");
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void nextGivesThePayloadWithLambdasHeadersAndAResponseEndsTheInvocation() throws Exception {
        RuntimeApi.Invocation invocation = new RuntimeApi.Invocation("req-1", ARN, "{\"a\":1}".getBytes(StandardCharsets.UTF_8), 3000);
        api.submit(invocation);
        long before = System.currentTimeMillis();
        HttpResponse<String> next = call("GET", "invocation/next", null);

        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(next.body()).isEqualTo("{\"a\":1}");
        assertThat(next.headers().firstValue("Lambda-Runtime-Aws-Request-Id")).contains("req-1");
        assertThat(next.headers().firstValue("Lambda-Runtime-Invoked-Function-Arn")).contains(ARN);
        assertThat(next.headers().firstValue("Lambda-Runtime-Trace-Id").orElseThrow()).matches(
                "Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0");
        long deadline = Long.parseLong(next.headers().firstValue("Lambda-Runtime-Deadline-Ms").orElseThrow());
        assertThat(deadline).isBetween(before + 3000, System.currentTimeMillis() + 3000);
        assertThat(invocation.delivered.join()).isEqualTo(deadline);

        HttpResponse<String> answer = call("POST", "invocation/req-1/response", "{\"ok\":true}");
        assertThat(answer.statusCode()).isEqualTo(202);
        assertThat(answer.body()).isEqualTo("{\"status\":\"OK\"}");
        HostedFunction.Outcome outcome = invocation.result.join();
        assertThat(new String(outcome.output(), StandardCharsets.UTF_8)).isEqualTo("{\"ok\":true}");
        assertThat(outcome.errorType()).isNull();

        assertThat(call("POST", "invocation/req-1/response", "{}").statusCode())
                .as("an invocation is answered once").isEqualTo(400);
    }

    @Test
    void anErrorIsKeptAsThePostedDocumentOrBuiltFromItsHeaderWhenNotJson() throws Exception {
        RuntimeApi.Invocation json = new RuntimeApi.Invocation("req-2", ARN, new byte[0], 3000);
        RuntimeApi.Invocation text = new RuntimeApi.Invocation("req-3", ARN, new byte[0], 3000);
        api.submit(json);
        api.submit(text);
        String document = "{\"errorMessage\":\"boom\",\"errorType\":\"java.lang.IllegalStateException\",\"stackTrace\":[]}";
        assertThat(call("POST", "invocation/req-2/error", document).statusCode()).isEqualTo(202);
        assertThat(call("POST", "invocation/req-3/error", "not json").statusCode()).isEqualTo(202);

        HostedFunction.Outcome posted = json.result.join();
        assertThat(posted.errorType()).isEqualTo("java.lang.IllegalStateException");
        assertThat(posted.errorMessage()).isEqualTo("boom");
        assertThat(new String(posted.errorPayload(), StandardCharsets.UTF_8)).isEqualTo(document);
        HostedFunction.Outcome plain = text.result.join();
        assertThat(plain.errorType()).isEqualTo("Runtime.UserException");
        assertThat(plain.errorMessage()).isEqualTo("not json");
    }

    @Test
    void anInitErrorIsRecordedAndUnknownIdsAndPathsAreRefused() throws Exception {
        assertThat(call("POST", "invocation/nobody/response", "{}").statusCode()).isEqualTo(400);
        assertThat(call("GET", "invocation/nobody", null).statusCode()).isEqualTo(404);
        assertThat(call("POST", "init/error", "{\"errorMessage\":\"Class not found: X\","
                + "\"errorType\":\"java.lang.ClassNotFoundException\"}").statusCode()).isEqualTo(202);
        HostedFunction.Outcome init = api.initError.join();
        assertThat(init.errorType()).isEqualTo("java.lang.ClassNotFoundException");
        assertThat(init.errorMessage()).isEqualTo("Class not found: X");
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + api.address()
                + RuntimeApi.PREFIX + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Lambda-Runtime-Function-Error-Type", "Runtime.UserException");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
