package io.scaflow.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.json.Json;
import io.scaflow.testing.TestContext;
import org.junit.jupiter.api.Test;

/** The embedded metric format as CloudWatch reads it: the directive, the dimension sets, the values. */
class MetricsTest {

    @Test
    void aLineDeclaresItsMetricsUnderTheNamespaceWithServiceInEveryDimensionSet() throws Exception {
        ObjectNode line = Metrics.line().dimension("Status", "FAILED").by().by("Status").count("FlowsEnded")
                .value("Took", 12, Metrics.Unit.MILLISECONDS).toJson(1_796_000_000_000L);

        assertThat(line.toString()).isEqualTo(Json.MAPPER.readTree("""
                {"_aws": {"Timestamp": 1796000000000, "CloudWatchMetrics": [{"Namespace": "scaflow",
                  "Dimensions": [["Service"], ["Service", "Status"]],
                  "Metrics": [{"Name": "FlowsEnded", "Unit": "Count"}, {"Name": "Took", "Unit": "Milliseconds"}]}]},
                 "Service": "scaflow", "Status": "FAILED", "FlowsEnded": 1.0, "Took": 12.0}""").toString());
    }

    @Test
    void withoutADimensionSetTheMetricsAreByServiceAlone() {
        ObjectNode line = Metrics.line().count("FlowsStarted").toJson(1L);

        assertThat(line.at("/_aws/CloudWatchMetrics/0/Dimensions").toString()).isEqualTo("[[\"Service\"]]");
        assertThat(line.path("Service").asText()).isEqualTo("scaflow");
    }

    @Test
    void aLineInsideAnInvocationCarriesItsContextAsPlainProperties() {
        ObjectNode line;
        try (LogContext.Scope scope = LogContext.begin(new TestContext(1000), "X", true)) {
            LogContext.flowId("f-1");
            line = Metrics.line().count("FlowsStarted").toJson(1L);
        }

        assertThat(line.path("requestId").asText()).isEqualTo("test-request");
        assertThat(line.path("function").asText()).isEqualTo("test");
        assertThat(line.path("coldStart").asBoolean()).isTrue();
        assertThat(line.path("flowId").asText()).isEqualTo("f-1");
        assertThat(line.at("/_aws/CloudWatchMetrics/0/Dimensions").toString()).isEqualTo("[[\"Service\"]]");
    }

    @Test
    void emitHandsTheLineToTheSinkAndALineWithoutValuesWritesNothing() {
        try (MetricLines lines = new MetricLines()) {
            Metrics.line().dimension("Status", "FAILED").by("Status").emit();
            Metrics.line().count("FlowsStarted").emit();

            assertThat(lines.all()).hasSize(1);
            assertThat(lines.named("FlowsStarted")).hasSize(1);
        }
    }
}
