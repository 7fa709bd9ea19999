package io.scaflow.local.iam;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.json.Json;
import io.scaflow.local.emulator.RepoRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tools/iam-check.py on made-up records of one local deployment of template.yaml: calls the roles allow pass, and a
 * call outside a role (an action it lacks, another table, the wrong encryption context, a decrypt by a role the
 * key policy does not name, another secret) fails the check, each named.
 */
class IamCheckTest {

    private static final String ACCOUNT = "123456789012";
    private static final String TABLE = "arn:aws:dynamodb:eu-west-3:" + ACCOUNT + ":table/flows-test";
    private static final String KEY = "arn:aws:kms:eu-west-3:" + ACCOUNT + ":key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private static final String CREDENTIALS = "arn:aws:secretsmanager:eu-west-3:" + ACCOUNT
            + ":secret:scaflow/shine-credentials-AbCdEf";
    private static final String MACHINE = "arn:aws:states:eu-west-3:" + ACCOUNT + ":stateMachine:ScaFlowStateMachine";

    @TempDir
    Path dir;

    @Test
    void callsTheRolesAllowPass() throws Exception {
        Result result = check(List.of(
                call("ApiFunction", "dynamodb:PutItem", TABLE, Map.of()),
                call("ApiFunction", "kms:Encrypt", KEY, Map.of("kms:EncryptionContext:attribute", "accessToken",
                        "kms:EncryptionContext:flowId", "f-1")),
                call("ApiFunction", "states:StartExecution", MACHINE, Map.of()),
                call("ApiFunction", "states:StopExecution", "arn:aws:states:eu-west-3:" + ACCOUNT
                        + ":execution:ScaFlowStateMachine:f-1", Map.of()),
                call("ExecuteActionFunction", "kms:Decrypt", KEY, Map.of("kms:EncryptionContext:attribute",
                        "shortLivedToken", "kms:EncryptionContext:flowId", "f-1")),
                call("ExecuteActionFunction", "secretsmanager:GetSecretValue", CREDENTIALS, Map.of())));
        assertThat(result.exit).as(result.output).isZero();
        assertThat(result.output).doesNotContain("DENIED", "note:")
                .contains("6 recorded calls of 2 functions", "0 denied")
                .contains("unused: ApiFunction: dynamodb:GetItem");
    }

    @Test
    void aCallOutsideTheRoleFailsTheCheck() throws Exception {
        Result result = check(List.of(
                call("RecordFailureFunction", "dynamodb:GetItem", TABLE, Map.of()),
                call("RecordFailureFunction", "dynamodb:DeleteTable", TABLE, Map.of()),
                call("ApiFunction", "dynamodb:PutItem", TABLE.replace("flows-test", "other-table"), Map.of()),
                call("ApiFunction", "kms:Encrypt", KEY, Map.of("kms:EncryptionContext:attribute", "shortLivedToken",
                        "kms:EncryptionContext:flowId", "f-1")),
                call("ApiFunction", "kms:Encrypt", KEY, Map.of("kms:EncryptionContext:attribute", "accessToken")),
                call("ApiFunction", "kms:Decrypt", KEY, Map.of("kms:EncryptionContext:attribute", "accessToken",
                        "kms:EncryptionContext:flowId", "f-1")),
                call("PollActionRequestFunction", "secretsmanager:GetSecretValue", CREDENTIALS.replace(
                        "shine-credentials-AbCdEf", "shine-credentials-old-AbCdEf"), Map.of())));
        assertThat(result.exit).as(result.output).isEqualTo(1);
        assertThat(result.output)
                .contains("DENIED RecordFailureFunction: dynamodb:DeleteTable on " + TABLE)
                .contains("DENIED ApiFunction: dynamodb:PutItem on " + TABLE.replace("flows-test", "other-table"))
                .contains("DENIED ApiFunction: kms:Decrypt on " + KEY + " (1x): the key policy neither allows")
                .contains("DENIED PollActionRequestFunction: secretsmanager:GetSecretValue")
                .contains("6 denied (6 distinct)")
                .doesNotContain("DENIED RecordFailureFunction: dynamodb:GetItem");
        assertThat(result.output.lines().filter(l -> l.startsWith("DENIED ApiFunction: kms:Encrypt"))).hasSize(2);
    }

    @Test
    void aStateMachineTaskOutsideItsRoleFailsTheCheck() throws Exception {
        Path root = RepoRoot.find();
        Path copy = Files.createDirectories(dir.resolve("app"));
        String template = Files.readString(root.resolve("template.yaml"));
        String grant = """
                        - LambdaInvokePolicy:
                            FunctionName: !Ref RecordFailureFunction
                """;
        assertThat(template).contains(grant);
        Files.writeString(copy.resolve("template.yaml"), template.replace(grant, ""));
        for (String folder : List.of("statemachine", "openapi")) {
            Files.createDirectories(copy.resolve(folder));
            try (var files = Files.list(root.resolve(folder))) {
                for (Path file : files.toList()) {
                    Files.copy(file, copy.resolve(folder).resolve(file.getFileName()));
                }
            }
        }
        Result result = check(copy.resolve("template.yaml"),
                List.of(call("RecordFailureFunction", "dynamodb:GetItem", TABLE, Map.of())));
        assertThat(result.exit).as(result.output).isEqualTo(1);
        assertThat(result.output).contains("DENIED ScaFlowStateMachine: lambda:InvokeFunction on arn:aws:lambda:"
                + "eu-west-3:" + ACCOUNT + ":function:RecordFailureFunction:live").contains("1 denied (1 distinct)");
        assertThat(check(List.of(call("RecordFailureFunction", "dynamodb:GetItem", TABLE, Map.of()))).output)
                .contains("derived calls of 2 state machines", "0 denied");
    }

    private Result check(List<ObjectNode> calls) throws IOException, InterruptedException {
        return check(RepoRoot.find().resolve("template.yaml"), calls);
    }

    private Result check(Path template, List<ObjectNode> calls) throws IOException, InterruptedException {
        Path file = dir.resolve("aws-calls.jsonl");
        List<String> lines = new ArrayList<>();
        lines.add(Json.MAPPER.writeValueAsString(deployment(template)));
        for (ObjectNode call : calls) {
            lines.add(Json.MAPPER.writeValueAsString(call));
        }
        Files.write(file, lines, StandardCharsets.UTF_8);
        Path root = RepoRoot.find();
        Process process = new ProcessBuilder(root.resolve(".venv/bin/python").toString(),
                root.resolve("tools/iam-check.py").toString(), "--calls", file.toString(),
                "--template", template.toString())
                .directory(root.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    private ObjectNode deployment(Path template) {
        ObjectNode line = Json.MAPPER.createObjectNode().put("type", "deployment").put("deployment", "d-test")
                .put("template", template.toString())
                .put("region", "eu-west-3").put("account", ACCOUNT);
        line.putObject("references").put("AWS::AccountId", ACCOUNT).put("AWS::Region", "eu-west-3")
                .put("AWS::Partition", "aws").put("AWS::StackName", "scaflow-local")
                .put("AWS::URLSuffix", "amazonaws.com").put("FlowTable", "flows-test")
                .put("FlowTable.StreamArn", "arn:aws:dynamodb:eu-west-3:" + ACCOUNT
                        + ":table/flows-test/stream/2026-12-02T00:00:00.000")
                .put("TokenKey", KEY.substring(KEY.lastIndexOf('/') + 1)).put("TokenKey.Arn", KEY)
                .put("TableKey", "table-key").put("TableKey.Arn", KEY.replace("1234abcd", "5678abcd"))
                .put("ShineCredentialsSecretName", "scaflow/shine-credentials")
                .put("UserTokenSecretPrefix", "scaflow/users/").put("ScaFlowStateMachine", MACHINE)
                .put("ScaFlowStateMachine.Name", "ScaFlowStateMachine")
                .put("FollowActionRequestStateMachine", MACHINE.replace("ScaFlow", "FollowActionRequest"))
                .put("FollowActionRequestStateMachine.Name", "FollowActionRequestStateMachine");
        ObjectNode refs = (ObjectNode) line.get("references");
        for (String function : List.of("ApiFunction", "CreateActionRequestFunction", "PollActionRequestFunction",
                "ExecuteActionFunction", "RecordFailureFunction", "ExecutionEndedFunction")) {
            refs.put(function, function);
        }
        return line;
    }

    @Test
    void aCallThatGotNoAnswerIsCountedButNotJudged() throws Exception {
        // a transport failure to the emulator: the secret's ARN is only the name the request gave (no suffix)
        String bare = CREDENTIALS.substring(0, CREDENTIALS.lastIndexOf('-'));
        Result unanswered = check(List.of(call("CreateActionRequestFunction", "secretsmanager:GetSecretValue", bare,
                Map.of()).put("outcome", "unanswered:SdkClientException")));
        assertThat(unanswered.exit).as(unanswered.output).isZero();
        assertThat(unanswered.output).contains("0 denied", "1 unanswered calls not judged");

        Result answered = check(List.of(call("CreateActionRequestFunction", "secretsmanager:GetSecretValue", bare,
                Map.of()).put("outcome", "error:ResourceNotFoundException")));
        assertThat(answered.exit).as(answered.output).isEqualTo(1);
        assertThat(answered.output).contains("DENIED CreateActionRequestFunction: secretsmanager:GetSecretValue");
    }

    private static ObjectNode call(String principal, String action, String resource, Map<String, String> context) {
        ObjectNode line = Json.MAPPER.createObjectNode().put("type", "call").put("deployment", "d-test")
                .put("principal", principal).put("action", action);
        line.putArray("resources").add(resource);
        ObjectNode keys = line.putObject("context");
        context.forEach(keys::put);
        return line.put("outcome", "ok");
    }

    private record Result(int exit, String output) {
    }
}
