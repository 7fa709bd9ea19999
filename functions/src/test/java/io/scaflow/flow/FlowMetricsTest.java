package io.scaflow.flow;

import static io.scaflow.flow.FlowKit.T0;
import static io.scaflow.flow.FlowKit.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.log.MetricLines;
import io.scaflow.shine.ShineOutcomeUnknownException;
import io.scaflow.testing.TestContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The metric lines the steps' writes leave: one per confirmation and per ended flow, with the step's context. */
class FlowMetricsTest {

    private final FlowKit kit = new FlowKit();
    private final MetricLines metrics = new MetricLines();

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void anOutcomeUnknownIsCountedOnceByStatusAndAsOutcomeUnknownWithTheStepsContext() {
        ExecuteActionHandler handler = new ExecuteActionHandler(kit.services);
        kit.confirmed("f-1");
        kit.shine.failNextExecute(new ShineOutcomeUnknownException("no answer within 15000 ms", null));

        FlowKit.run(handler, event("f-1").getBytes(StandardCharsets.UTF_8), new TestContext(30_000));
        FlowKit.run(handler, event("f-1").getBytes(StandardCharsets.UTF_8), new TestContext(30_000));

        List<ObjectNode> ended = metrics.named("FlowsEnded");
        assertThat(ended).as("the second invocation wrote nothing, so counted nothing").hasSize(1);
        ObjectNode line = ended.get(0);
        assertThat(line.path("Status").asText()).isEqualTo("OUTCOME_UNKNOWN");
        assertThat(line.path("OutcomeUnknown").asDouble()).isEqualTo(1.0);
        assertThat(line.at("/_aws/CloudWatchMetrics/0/Dimensions").toString())
                .isEqualTo("[[\"Service\"],[\"Service\",\"Status\"]]");
        assertThat(line.path("flowId").asText()).isEqualTo("f-1");
        assertThat(line.path("requestId").asText()).isEqualTo("test-request");
        assertThat(line.path("coldStart").asBoolean()).isTrue();
        assertThat(metrics.named("OutcomeUnknown")).hasSize(1);
    }

    @Test
    void aSucceededFlowIsCountedByItsStatusWithoutOutcomeUnknown() {
        kit.confirmed("f-1");

        FlowKit.run(new ExecuteActionHandler(kit.services), event("f-1").getBytes(StandardCharsets.UTF_8),
                new TestContext(30_000));

        assertThat(metrics.named("FlowsEnded")).singleElement()
                .satisfies(line -> assertThat(line.path("Status").asText()).isEqualTo("SUCCEEDED"));
        assertThat(metrics.named("OutcomeUnknown")).isEmpty();
    }

    @Test
    void theConfirmationIsMeasuredFromTheFlowsStart() {
        kit.awaiting("f-1");
        kit.clock.advanceSeconds(10);
        kit.shine.confirm("ar-1", T0.plusSeconds(8));

        FlowKit.run(new PollActionRequestHandler(kit.services), event("f-1", "pollCount", "3"));

        assertThat(metrics.named("TimeToConfirmation")).singleElement().satisfies(line -> {
            assertThat(line.path("TimeToConfirmation").asDouble()).isEqualTo(8_000.0);
            assertThat(line.at("/_aws/CloudWatchMetrics/0/Metrics/0/Unit").asText()).isEqualTo("Milliseconds");
        });
        assertThat(metrics.named("FlowsEnded")).isEmpty();
    }

    @Test
    void aRejectionEndsTheFlowAsRejected() {
        kit.awaiting("f-1");
        kit.shine.reject("ar-1");

        FlowKit.run(new PollActionRequestHandler(kit.services), event("f-1"));

        assertThat(metrics.named("FlowsEnded")).singleElement()
                .satisfies(line -> assertThat(line.path("Status").asText()).isEqualTo("REJECTED"));
    }
}
