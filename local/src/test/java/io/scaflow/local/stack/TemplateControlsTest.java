package io.scaflow.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.json.Json;
import io.scaflow.local.emulator.RepoRoot;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The security controls of template.yaml (docs/design.md, "Controls in the template"): each function's role allows
 * the calls its code makes and no more, the token key lets only ExecuteAction decrypt, the table is under its own
 * key, the access log format holds no header or body, and the API's resource policy denies unlisted principals.
 */
class TemplateControlsTest {

    private static final String USER_TOKENS = TemplatePolicies.USER_TOKENS;
    private static final String SHINE_CREDENTIALS = TemplatePolicies.SHINE_CREDENTIALS;

    private final SamTemplate template = SamTemplate.read(RepoRoot.find().resolve("template.yaml"));
    private final JsonNode resources = template.root().path("Resources");
    private final TemplatePolicies policies = new TemplatePolicies(template);

    @Test
    void eachRoleAllowsExactlyTheCallsItsFunctionMakes() {
        Map<String, Set<String>> expected = Map.of(
                "ApiFunction", Set.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "kms:Encrypt",
                        "states:StartExecution", "states:StopExecution"),
                "CreateActionRequestFunction", Set.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
                        "kms:Encrypt", "secretsmanager:GetSecretValue " + SHINE_CREDENTIALS,
                        "secretsmanager:GetSecretValue " + USER_TOKENS),
                "PollActionRequestFunction", Set.of("dynamodb:GetItem", "dynamodb:UpdateItem", "kms:Encrypt",
                        "secretsmanager:GetSecretValue " + SHINE_CREDENTIALS),
                "ExecuteActionFunction", Set.of("dynamodb:GetItem", "dynamodb:UpdateItem", "kms:Decrypt",
                        "secretsmanager:GetSecretValue " + SHINE_CREDENTIALS),
                "RecordFailureFunction", Set.of("dynamodb:GetItem", "dynamodb:UpdateItem"),
                "ExecutionEndedFunction", Set.of("dynamodb:GetItem", "dynamodb:UpdateItem"),
                "PublishStatusEventsFunction", Set.of("dynamodb:DescribeStream", "dynamodb:GetRecords",
                        "dynamodb:GetShardIterator", "dynamodb:ListStreams", "events:PutEvents", "sqs:SendMessage"));

        assertThat(template.functions().keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((function, actions) ->
                assertThat(allowed(function)).as(function).containsExactlyInAnyOrderElementsOf(actions));
    }

    @Test
    void eachEncryptingRoleMayEncryptOnlyItsOwnToken() {
        Map<String, String> tokenOf = Map.of("ApiFunction", "accessToken",
                "CreateActionRequestFunction", "accessToken", "PollActionRequestFunction", "shortLivedToken");
        tokenOf.forEach((function, token) -> {
            List<JsonNode> encrypt = statements(function).stream()
                    .filter(s -> actions(s).contains("kms:Encrypt")).toList();
            assertThat(encrypt).as(function).singleElement().satisfies(s -> {
                assertThat(s.path("Resource").toString()).isEqualTo("{\"Fn::GetAtt\":[\"TokenKey\",\"Arn\"]}");
                assertThat(s.path("Condition").path("StringEquals").path("kms:EncryptionContext:attribute").asText())
                        .isEqualTo(token);
            });
        });
    }

    @Test
    void onlyTheExecuteActionRoleMayDecryptATokenAndOnlyWithItsFlowContext() {
        JsonNode key = resources.path("TokenKey");
        List<JsonNode> statements = list(key.path("Properties").path("KeyPolicy").path("Statement"));

        List<JsonNode> decrypting = statements.stream().filter(s -> actions(s).stream()
                .anyMatch(a -> a.equals("kms:*") || a.startsWith("kms:Decrypt") || a.startsWith("kms:ReEncrypt")
                        || a.startsWith("kms:CreateGrant") || a.startsWith("kms:GenerateDataKey"))).toList();
        assertThat(decrypting).singleElement().satisfies(s -> {
            assertThat(s.path("Principal").path("AWS").toString())
                    .isEqualTo("{\"Fn::GetAtt\":[\"ExecuteActionFunctionRole\",\"Arn\"]}");
            assertThat(actions(s)).containsExactly("kms:Decrypt");
        });
        statements.stream().filter(s -> actions(s).stream().anyMatch(a -> a.equals("kms:Encrypt") || a.equals("kms:Decrypt")))
                .forEach(s -> assertThat(s.path("Condition").path("Null").path("kms:EncryptionContext:flowId").asText())
                        .as(s.path("Sid").asText()).isEqualTo("false"));
        assertThat(key.path("Properties").path("EnableKeyRotation").asBoolean()).isTrue();
    }

    @Test
    void theTableIsEncryptedUnderItsOwnRetainedKeyAndRecoverable() {
        JsonNode table = resources.path(template.table().logicalId()).path("Properties");

        assertThat(table.path("SSESpecification").path("SSEType").asText()).isEqualTo("KMS");
        assertThat(table.path("SSESpecification").path("KMSMasterKeyId").toString())
                .isEqualTo("{\"Fn::GetAtt\":[\"TableKey\",\"Arn\"]}");
        assertThat(table.path("PointInTimeRecoverySpecification").path("PointInTimeRecoveryEnabled").asBoolean()).isTrue();
        assertThat(resources.path("TableKey").path("DeletionPolicy").asText()).isEqualTo("RetainExceptOnCreate");
        assertThat(resources.path("TableKey").path("UpdateReplacePolicy").asText()).isEqualTo("Retain");
    }

    /**
     * The table and its key outlive the stack, but a first creation that rolls back deletes them: each failed first
     * attempt would otherwise leave a deletion-protected, empty table and a billed key behind.
     */
    @Test
    void theTableAndItsKeyAreKeptExceptWhenTheFirstCreationRollsBack() {
        for (String retained : List.of(template.table().logicalId(), "TableKey")) {
            assertThat(resources.path(retained).path("DeletionPolicy").asText()).as(retained)
                    .isEqualTo("RetainExceptOnCreate");
            assertThat(resources.path(retained).path("UpdateReplacePolicy").asText()).as(retained).isEqualTo("Retain");
        }
    }

    /** Without OpenApiVersion SAM adds a second, unthrottled stage named "Stage" beside the declared one. */
    @Test
    void theApiHasOneStage() {
        assertThat(resources.path("ScaflowApi").path("Properties").path("OpenApiVersion").asText()).isEqualTo("3.0.3");
    }

    @Test
    void theAccessLogHoldsNoHeaderBodyOrQueryString() throws Exception {
        JsonNode setting = resources.path("ScaflowApi").path("Properties").path("AccessLogSetting");
        String format = setting.path("Format").asText();

        JsonNode line = Json.MAPPER.readTree(format);
        assertThat(line.path("requestId").asText()).isEqualTo("$context.requestId");
        assertThat(line.path("caller").asText()).isEqualTo("$context.identity.userArn");
        assertThat(line.path("status").asText()).isEqualTo("$context.status");
        Set<String> variables = new TreeSet<>();
        Matcher m = Pattern.compile("\\$[A-Za-z.]+").matcher(format);
        while (m.find()) {
            variables.add(m.group());
        }
        assertThat(variables).allSatisfy(v -> assertThat(v).startsWith("$context.")
                .doesNotContainIgnoringCase("header").doesNotContainIgnoringCase("body")
                .doesNotContainIgnoringCase("querystring").doesNotContain("authorizer")
                .doesNotContain("accessKey").doesNotContain("Override"));
        assertThat(setting.path("DestinationArn").toString()).contains("ApiAccessLogGroup");
    }

    @Test
    void theResourcePolicyDeniesEveryPrincipalNotListed() throws Exception {
        JsonNode api = TemplateYaml.parse(Files.readString(RepoRoot.find().resolve("openapi/scaflow-api.yaml")));
        List<JsonNode> statements = list(api.path("x-amazon-apigateway-policy").path("Statement"));

        assertThat(statements).anySatisfy(s -> {
            assertThat(s.path("Effect").asText()).isEqualTo("Deny");
            assertThat(s.path("Principal").asText()).isEqualTo("*");
            assertThat(actions(s)).containsExactly("execute-api:Invoke");
            assertThat(s.path("Condition").path("StringNotLike").path("aws:PrincipalArn").path("Ref").asText())
                    .isEqualTo("ApiAllowedPrincipals");
        });
        assertThat(statements).filteredOn(s -> s.path("Effect").asText().equals("Allow")).allSatisfy(s -> {
            assertThat(s.path("Principal").path("AWS").path("Fn::Sub").asText())
                    .isEqualTo("arn:${AWS::Partition}:iam::${AWS::AccountId}:root");
            assertThat(s.path("Condition").path("StringLike").path("aws:PrincipalArn").path("Ref").asText())
                    .isEqualTo("ApiAllowedPrincipals");
        });
        assertThat(template.parameters().get("ApiAllowedPrincipals").type()).isEqualTo("CommaDelimitedList");
    }

    @Test
    void thePublisherPutsOnItsBusOnlyReadsOnlyTheTablesStreamAndSendsOnlyToItsDeadLetterQueue() {
        Map<String, String> resourceOf = new java.util.HashMap<>();
        for (JsonNode statement : statements("PublishStatusEventsFunction")) {
            actions(statement).forEach(action -> resourceOf.put(action, statement.path("Resource").toString()));
        }
        assertThat(resourceOf.get("events:PutEvents")).isEqualTo("{\"Fn::GetAtt\":[\"StatusEventBus\",\"Arn\"]}");
        assertThat(resourceOf.get("sqs:SendMessage"))
                .isEqualTo("{\"Fn::GetAtt\":[\"PublisherDeadLetterQueue\",\"Arn\"]}");
        for (String read : List.of("dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator")) {
            assertThat(resourceOf.get(read)).as(read).isEqualTo("{\"Fn::GetAtt\":[\"FlowTable\",\"StreamArn\"]}");
        }
        JsonNode mapping = template.root().path("Resources").path("PublishStatusEventsMapping").path("Properties");
        assertThat(mapping.path("FunctionResponseTypes").toString()).isEqualTo("[\"ReportBatchItemFailures\"]");
        assertThat(mapping.path("ParallelizationFactor").asInt()).as("one batch per shard at a time: in order")
                .isEqualTo(1);
        assertThat(mapping.path("DestinationConfig").path("OnFailure").path("Destination").toString())
                .isEqualTo("{\"Fn::GetAtt\":[\"PublisherDeadLetterQueue\",\"Arn\"]}");
        assertThat(template.root().path("Resources").path("FlowTable").path("Properties").path("StreamSpecification")
                .path("StreamViewType").asText()).isEqualTo("NEW_AND_OLD_IMAGES");
    }

    private Set<String> allowed(String function) {
        return policies.allowed(function);
    }

    private List<JsonNode> statements(String function) {
        return policies.statements(function);
    }

    private static List<String> actions(JsonNode statement) {
        return TemplatePolicies.actions(statement);
    }

    private static List<JsonNode> list(JsonNode node) {
        return TemplatePolicies.list(node);
    }
}
