package io.scaflow.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a function's role allows, read from the template: each action of its {@code Policies} statements (a secret
 * read as {@code secretsmanager:GetSecretValue ${ShineCredentialsSecretName}} or {@code ... ${UserTokenSecretPrefix}},
 * the parameter its ARN is made of), and each action a KMS key policy grants to the role by name
 * ({@code !GetAtt <Function>Role.Arn}).
 */
public final class TemplatePolicies {

    public static final String USER_TOKENS = "${UserTokenSecretPrefix}";
    public static final String SHINE_CREDENTIALS = "${ShineCredentialsSecretName}";

    private final JsonNode resources;

    public TemplatePolicies(SamTemplate template) {
        this.resources = template.root().path("Resources");
    }

    public Set<String> allowed(String function) {
        Set<String> allowed = new TreeSet<>();
        for (JsonNode policy : list(resources.path(function).path("Properties").path("Policies"))) {
            if (policy.has("AWSSecretsManagerGetSecretValuePolicy")) {
                String arn = policy.path("AWSSecretsManagerGetSecretValuePolicy").path("SecretArn").path("Fn::Sub").asText();
                allowed.add("secretsmanager:GetSecretValue "
                        + (arn.contains(USER_TOKENS) ? USER_TOKENS : arn.contains(SHINE_CREDENTIALS) ? SHINE_CREDENTIALS : arn));
            } else if (policy.has("Statement")) {
                list(policy.path("Statement")).forEach(s -> allowed.addAll(actions(s)));
            } else {
                allowed.add("unexpected policy " + policy);
            }
        }
        String role = "{\"Fn::GetAtt\":[\"" + function + "Role\",\"Arn\"]}";
        resources.properties().forEach(resource -> {
            if ("AWS::KMS::Key".equals(resource.getValue().path("Type").asText())) {
                list(resource.getValue().path("Properties").path("KeyPolicy").path("Statement")).stream()
                        .filter(s -> "Allow".equals(s.path("Effect").asText()))
                        .filter(s -> named(s.path("Principal").path("AWS"), role))
                        .forEach(s -> allowed.addAll(actions(s)));
            }
        });
        return allowed;
    }

    private static boolean named(JsonNode principal, String role) {
        return principal.isArray() ? list(principal).stream().anyMatch(p -> p.toString().equals(role))
                : principal.toString().equals(role);
    }

    public List<JsonNode> statements(String function) {
        List<JsonNode> statements = new ArrayList<>();
        list(resources.path(function).path("Properties").path("Policies"))
                .forEach(p -> statements.addAll(list(p.path("Statement"))));
        return statements;
    }

    public static List<String> actions(JsonNode statement) {
        JsonNode action = statement.path("Action");
        return action.isArray() ? list(action).stream().map(JsonNode::asText).toList() : List.of(action.asText());
    }

    public static List<JsonNode> list(JsonNode node) {
        List<JsonNode> items = new ArrayList<>();
        node.forEach(items::add);
        return items;
    }
}
