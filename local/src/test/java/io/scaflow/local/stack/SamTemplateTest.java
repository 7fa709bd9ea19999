package io.scaflow.local.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.scaflow.local.emulator.RepoRoot;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SamTemplateTest {

    private final SamTemplate template = SamTemplate.read(RepoRoot.find().resolve("template.yaml"));

    @Test
    void jacksonsTreeReaderDropsTheShortTags() throws Exception {
        // Why SamTemplate reads tokens itself: readTree keeps "FlowTable" and loses the !Ref.
        JsonNode tree = new ObjectMapper(new YAMLFactory()).readTree("a: !Ref FlowTable\nb: !GetAtt [X, Arn]\n");
        assertThat(tree.get("a").asText()).isEqualTo("FlowTable");
        assertThat(tree.get("b").isArray()).isTrue();
        JsonNode parsed = SamTemplate.parse("a: !Ref FlowTable\nb: !GetAtt [X, Arn]\nc: !Sub 'x-${Y}'\nd: 2\n").root();
        assertThat(parsed.get("a").toString()).isEqualTo("{\"Ref\":\"FlowTable\"}");
        assertThat(parsed.get("b").toString()).isEqualTo("{\"Fn::GetAtt\":[\"X\",\"Arn\"]}");
        assertThat(parsed.get("c").toString()).isEqualTo("{\"Fn::Sub\":\"x-${Y}\"}");
        assertThat(parsed.get("d").asInt()).isEqualTo(2);
    }

    @Test
    void readsTheFourStepFunctionsAndTheApiFunction() {
        Map<String, SamTemplate.Function> functions = template.functions();
        assertThat(functions).containsOnlyKeys("CreateActionRequestFunction", "PollActionRequestFunction",
                "ExecuteActionFunction", "RecordFailureFunction", "ApiFunction", "ExecutionEndedFunction",
                "PublishStatusEventsFunction");
        assertThat(functions.get("CreateActionRequestFunction").handler())
                .isEqualTo("io.scaflow.flow.CreateActionRequestHandler::handleRequest");
        assertThat(functions.get("PollActionRequestFunction").handlerClass())
                .isEqualTo("io.scaflow.flow.PollActionRequestHandler");
        assertThat(functions.get("ExecuteActionFunction").handlerClass()).isEqualTo("io.scaflow.flow.ExecuteActionHandler");
        assertThat(functions.get("RecordFailureFunction").handlerMethod()).isEqualTo("handleRequest");
        assertThat(functions.get("ExecuteActionFunction").timeoutSeconds()).isEqualTo(30);
        assertThat(functions.get("RecordFailureFunction").timeoutSeconds()).isEqualTo(25);
        assertThat(functions.get("CreateActionRequestFunction").autoPublishAlias()).isEqualTo("live");

        Map<String, JsonNode> env = functions.get("CreateActionRequestFunction").environment();
        assertThat(env.get("TABLE_NAME").toString()).isEqualTo("{\"Ref\":\"FlowTable\"}");
        assertThat(env.get("SHINE_CONNECT_TIMEOUT_MS").asText()).isEqualTo("2000");
        assertThat(env).containsKeys("SHINE_API_BASE_URL", "SHINE_CREDENTIALS_SECRET_ID", "MAX_ATTEMPTS");
    }

    @Test
    void readsTheTableTheStateMachineAndTheParameters() {
        SamTemplate.Table table = template.table();
        assertThat(table.logicalId()).isEqualTo("FlowTable");
        assertThat(table.keySchema()).containsExactly(new SamTemplate.KeyElement("flowId", "HASH", "S"));
        assertThat(table.ttlAttribute()).contains("ttl");

        // the child first: the parent's substitutions name it
        assertThat(template.stateMachines()).extracting(SamTemplate.StateMachine::logicalId)
                .containsExactly("FollowActionRequestStateMachine", "ScaFlowStateMachine");
        SamTemplate.StateMachine machine = template.rootStateMachine();
        assertThat(machine.logicalId()).isEqualTo("ScaFlowStateMachine");
        assertThat(machine.type()).isEqualTo("STANDARD");
        assertThat(machine.definitionUri()).isEqualTo("statemachine/sca-flow.asl.json");
        assertThat(machine.substitutions()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "CreateActionRequestFunctionArn", "CreateActionRequestFunction",
                "ExecuteActionFunctionArn", "ExecuteActionFunction",
                "RecordFailureFunctionArn", "RecordFailureFunction",
                "FollowActionRequestStateMachineArn", "FollowActionRequestStateMachine"));
        assertThat(Files.isRegularFile(template.definitionFile(machine))).isTrue();
        SamTemplate.StateMachine child = template.stateMachine("FollowActionRequestStateMachine");
        assertThat(child.type()).isEqualTo("EXPRESS");
        assertThat(child.substitutions()).containsExactlyEntriesOf(Map.of(
                "PollActionRequestFunctionArn", "PollActionRequestFunction"));
        assertThat(Files.isRegularFile(template.definitionFile(child))).isTrue();

        assertThat(template.parameterValues(Map.of())).containsEntry("ShineCredentialsSecretName", "scaflow/shine-credentials")
                .containsEntry("MaxAttempts", "3").containsEntry("ShineApiBaseUrl", "https://api.shine.fr");
        assertThat(template.parameterValues(Map.of("MaxAttempts", "5"))).containsEntry("MaxAttempts", "5");
        assertThatThrownBy(() -> template.parameterValues(Map.of("Nope", "1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Nope");
    }

    @Test
    void ordersStateMachinesByTheirReferencesAndRefusesACycle() {
        SamTemplate chain = SamTemplate.parse("""
                Resources:
                  A:
                    Type: AWS::Serverless::StateMachine
                    Properties: {DefinitionUri: a.json, DefinitionSubstitutions: {B: !GetAtt B.Arn}}
                  B:
                    Type: AWS::Serverless::StateMachine
                    Properties: {Type: EXPRESS, DefinitionUri: b.json, DefinitionSubstitutions: {C: !Ref C}}
                  C:
                    Type: AWS::Serverless::StateMachine
                    Properties: {DefinitionUri: c.json}
                """);
        assertThat(chain.stateMachines()).extracting(SamTemplate.StateMachine::logicalId).containsExactly("C", "B", "A");
        assertThat(chain.rootStateMachine().logicalId()).isEqualTo("A");
        SamTemplate cycle = SamTemplate.parse("""
                Resources:
                  A:
                    Type: AWS::Serverless::StateMachine
                    Properties: {DefinitionUri: a.json, DefinitionSubstitutions: {B: !Ref B}}
                  B:
                    Type: AWS::Serverless::StateMachine
                    Properties: {DefinitionUri: b.json, DefinitionSubstitutions: {A: !Ref A}}
                """);
        assertThatThrownBy(cycle::stateMachines).isInstanceOf(IllegalStateException.class).hasMessageContaining("cycle");
    }

    @Test
    void resolvesReferencesThroughTheCallersMap() {
        Map<String, String> refs = Map.of("FlowTable", "flows", "AWS::Region", "eu-west-3", "X.Arn", "arn:x");
        assertThat(SamTemplate.resolve(SamTemplate.parse("v: !Ref FlowTable").root().get("v"), refs)).isEqualTo("flows");
        assertThat(SamTemplate.resolve(SamTemplate.parse("v: !GetAtt X.Arn").root().get("v"), refs)).isEqualTo("arn:x");
        assertThat(SamTemplate.resolve(SamTemplate.parse("v: !Sub 'a-${AWS::Region}-${!Literal}'").root().get("v"), refs))
                .isEqualTo("a-eu-west-3-${Literal}");
        assertThatThrownBy(() -> SamTemplate.resolve(SamTemplate.parse("v: !Ref Missing").root().get("v"), refs))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Missing");
    }
}
