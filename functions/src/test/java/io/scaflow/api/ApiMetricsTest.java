package io.scaflow.api;

import static io.scaflow.api.ApiKit.post;
import static io.scaflow.api.ApiKit.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.log.MetricLines;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A flow started through the API is counted once, in a line with the API's invocation context and no secret. */
class ApiMetricsTest {

    private final ApiKit api = new ApiKit();
    private final MetricLines metrics = new MetricLines();

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void aStartedFlowIsCountedWithTheFlowIdAndTheColdStartOfTheFirstInvocationOnly() {
        String first = api.send(post("/v1/transfers", transfer("u-1", "12.30"))).body().path("id").asText();
        String second = api.send(post("/v1/transfers", transfer("u-2", "5"))).body().path("id").asText();

        List<ObjectNode> started = metrics.named("FlowsStarted");
        assertThat(started).hasSize(2);
        assertThat(started.get(0).path("flowId").asText()).isEqualTo(first);
        assertThat(started.get(0).path("coldStart").asBoolean()).isTrue();
        assertThat(started.get(1).path("flowId").asText()).isEqualTo(second);
        assertThat(started.get(1).path("coldStart").asBoolean()).isFalse();
        assertThat(started.get(0).path("function").asText())
                .isEqualTo(System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "ApiHandler"));
        assertThat(metrics.all().toString()).doesNotContain("token-u-1").doesNotContain("token-u-2");
    }

    @Test
    void aRefusedStartCountsNothing() {
        api.send(post("/v1/transfers", "{\"uid\": \"u-1\"}"));

        assertThat(metrics.named("FlowsStarted")).isEmpty();
    }
}
