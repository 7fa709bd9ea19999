package io.scaflow.local.stack;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of the SAM template ({@code template.yaml}) the local stack needs: the functions, the flow table, the
 * state machine and the parameters.
 *
 * <p>CloudFormation short tags ({@code !Ref X}, {@code !GetAtt X.Arn}, {@code !Sub ...}, any {@code !Name}) are read
 * into their long JSON form ({@code {"Ref": "X"}}, {@code {"Fn::GetAtt": ["X", "Arn"]}}, {@code {"Fn::Sub": ...}},
 * {@code {"Fn::Name": ...}}): Jackson's YAML tree reader would silently drop the tags ({@code !Ref FlowTable} would
 * read as the plain string {@code "FlowTable"}), so the template is read token by token and each node's tag is taken
 * from {@link JsonParser#getTypeId()}.
 *
 * <p>Values stay unresolved {@link JsonNode}s; {@link #resolve(JsonNode, Map)} turns one into a string with the
 * caller's references.
 */
public final class SamTemplate {

    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!][^}]*)}");

    /** A template parameter and its default, if any (numbers are given as their text). */
    public record Parameter(String name, String type, Optional<String> defaultValue) {
    }

    /**
     * An {@code AWS::Serverless::Function}: its logical id, {@code class::method} handler, timeout in seconds and
     * environment ({@code Globals.Function.Environment.Variables} overlaid with its own), values unresolved.
     */
    public record Function(String logicalId, String handler, int timeoutSeconds, String autoPublishAlias,
                           Map<String, JsonNode> environment) {

        /** The handler's class name (before {@code ::}). */
        public String handlerClass() {
            int sep = handler.indexOf("::");
            return sep < 0 ? handler : handler.substring(0, sep);
        }

        /** The handler's method name (after {@code ::}; {@code handleRequest} when absent). */
        public String handlerMethod() {
            int sep = handler.indexOf("::");
            return sep < 0 ? "handleRequest" : handler.substring(sep + 2);
        }
    }

    /** A key of the table's key schema: attribute name, {@code HASH} or {@code RANGE}, attribute type. */
    public record KeyElement(String attributeName, String keyType, String attributeType) {
    }

    /** The {@code AWS::DynamoDB::Table}: logical id, key schema, the TTL attribute when TTL is enabled. */
    public record Table(String logicalId, List<KeyElement> keySchema, Optional<String> ttlAttribute) {
    }

    /**
     * An {@code AWS::Serverless::StateMachine}: its {@code Type} ({@code STANDARD} unless said), its definition file
     * (relative to the template) and its definition substitutions, unresolved ({@link #resolve} them).
     */
    public record StateMachine(String logicalId, String type, String definitionUri,
                               Map<String, JsonNode> substitutionValues) {

        /**
         * Each substitution as the logical id it references ({@code !Ref X.Alias}, {@code !Ref X} or
         * {@code !GetAtt X.Arn} all give {@code X}).
         */
        public Map<String, String> substitutions() {
            Map<String, String> ids = new LinkedHashMap<>();
            substitutionValues.forEach((name, value) -> ids.put(name, referencedLogicalId(value)
                    .orElseThrow(() -> new IllegalStateException("definition substitution " + name + " of "
                            + logicalId + " is neither !Ref nor !GetAtt: " + value))));
            return Collections.unmodifiableMap(ids);
        }
    }

    /**
     * An {@code Api} event of a function: the route API Gateway sends to it. {@code restApiId} is the logical id of
     * the {@code AWS::Serverless::Api} its {@code RestApiId} references (empty: SAM's implicit API), {@code stageName}
     * that API's {@code StageName} ({@code Prod} for the implicit API), {@code method} upper case ({@code ANY} for
     * {@code any}), {@code path} as declared ({@code /v1/actions/{id}}).
     */
    public record ApiEvent(String functionLogicalId, String eventName, String method, String path,
                           Optional<String> restApiId, String stageName) {
    }

    private final Path location;
    private final JsonNode root;

    private SamTemplate(Path location, JsonNode root) {
        this.location = location;
        this.root = root;
    }

    /** Reads the template file. */
    public static SamTemplate read(Path file) {
        try {
            return new SamTemplate(file.toAbsolutePath().normalize(), TemplateYaml.parse(Files.readString(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Parses template text (no file: {@link #location()} is empty). */
    public static SamTemplate parse(String yaml) {
        return new SamTemplate(null, TemplateYaml.parse(yaml));
    }

    /** The template file, when read from one. */
    public Optional<Path> location() {
        return Optional.ofNullable(location);
    }

    /** The whole template, short tags in their long form. */
    public JsonNode root() {
        return root;
    }

    /** The parameters, in template order. */
    public Map<String, Parameter> parameters() {
        Map<String, Parameter> parameters = new LinkedHashMap<>();
        root.path("Parameters").properties().forEach(e -> {
            JsonNode def = e.getValue().get("Default");
            parameters.put(e.getKey(), new Parameter(e.getKey(), e.getValue().path("Type").asText("String"),
                    def == null || def.isNull() ? Optional.empty() : Optional.of(scalar(def))));
        });
        return Collections.unmodifiableMap(parameters);
    }

    /** Parameter values: the defaults, replaced by {@code overrides} (which may only name declared parameters). */
    public Map<String, String> parameterValues(Map<String, String> overrides) {
        Map<String, Parameter> declared = parameters();
        for (String name : overrides.keySet()) {
            if (!declared.containsKey(name)) {
                throw new IllegalArgumentException("no parameter " + name + " in the template");
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        declared.values().forEach(p -> p.defaultValue().ifPresent(v -> values.put(p.name(), v)));
        values.putAll(overrides);
        return values;
    }

    /** The {@code AWS::Serverless::Function}s by logical id, in template order. */
    public Map<String, Function> functions() {
        JsonNode globals = root.path("Globals").path("Function");
        Map<String, Function> functions = new LinkedHashMap<>();
        resources("AWS::Serverless::Function").forEach((id, resource) -> {
            JsonNode props = resource.path("Properties");
            Map<String, JsonNode> env = new LinkedHashMap<>();
            globals.path("Environment").path("Variables").properties().forEach(v -> env.put(v.getKey(), v.getValue()));
            props.path("Environment").path("Variables").properties().forEach(v -> env.put(v.getKey(), v.getValue()));
            String handler = props.path("Handler").asText(globals.path("Handler").asText(null));
            if (handler == null) {
                throw new IllegalStateException("function " + id + " has no Handler");
            }
            int timeout = props.path("Timeout").asInt(globals.path("Timeout").asInt(3));
            String alias = props.path("AutoPublishAlias").asText(globals.path("AutoPublishAlias").asText(null));
            functions.put(id, new Function(id, handler, timeout, alias, Collections.unmodifiableMap(env)));
        });
        return Collections.unmodifiableMap(functions);
    }

    /** One function by logical id. */
    public Optional<Function> function(String logicalId) {
        return Optional.ofNullable(functions().get(logicalId));
    }

    /** Every function's {@code Api} events (REST API routes), functions and events in template order. */
    public List<ApiEvent> apiEvents() {
        List<ApiEvent> events = new ArrayList<>();
        Map<String, JsonNode> apis = resources("AWS::Serverless::Api");
        resources("AWS::Serverless::Function").forEach((id, resource) ->
                resource.path("Properties").path("Events").properties().forEach(e -> {
                    JsonNode event = e.getValue();
                    if (!"Api".equals(event.path("Type").asText())) {
                        return;
                    }
                    JsonNode props = event.path("Properties");
                    String path = props.path("Path").asText(null);
                    String method = props.path("Method").asText(null);
                    if (path == null || method == null) {
                        throw new IllegalStateException("Api event " + e.getKey() + " of " + id
                                + " needs Path and Method");
                    }
                    Optional<String> api = props.has("RestApiId")
                            ? Optional.of(referencedLogicalId(props.get("RestApiId")).orElseThrow(() ->
                                    new IllegalStateException("RestApiId of " + e.getKey() + " is not a !Ref")))
                            : Optional.empty();
                    String stage = api.map(a -> {
                        JsonNode declared = apis.get(a);
                        if (declared == null) {
                            throw new IllegalStateException("Api event " + e.getKey() + " of " + id
                                    + " references " + a + ", which is no AWS::Serverless::Api");
                        }
                        return declared.path("Properties").path("StageName").asText("Prod");
                    }).orElse("Prod");
                    String verb = method.toUpperCase(java.util.Locale.ROOT);
                    events.add(new ApiEvent(id, e.getKey(), verb, path, api, stage));
                }));
        return List.copyOf(events);
    }

    /** The one {@code AWS::DynamoDB::Table}. */
    public Table table() {
        Map.Entry<String, JsonNode> entry = single("AWS::DynamoDB::Table");
        JsonNode props = entry.getValue().path("Properties");
        Map<String, String> types = new LinkedHashMap<>();
        props.path("AttributeDefinitions").forEach(a -> types.put(a.path("AttributeName").asText(),
                a.path("AttributeType").asText()));
        List<KeyElement> keys = new ArrayList<>();
        props.path("KeySchema").forEach(k -> {
            String name = k.path("AttributeName").asText();
            keys.add(new KeyElement(name, k.path("KeyType").asText(), types.getOrDefault(name, "S")));
        });
        JsonNode ttl = props.path("TimeToLiveSpecification");
        Optional<String> ttlAttribute = ttl.path("Enabled").asBoolean(false) && ttl.hasNonNull("AttributeName")
                ? Optional.of(ttl.get("AttributeName").asText()) : Optional.empty();
        return new Table(entry.getKey(), List.copyOf(keys), ttlAttribute);
    }

    /** The flow table's stream ({@code StreamSpecification.StreamViewType}), when it has one. */
    public Optional<String> tableStreamViewType() {
        JsonNode view = single("AWS::DynamoDB::Table").getValue().path("Properties").path("StreamSpecification")
                .path("StreamViewType");
        return view.isTextual() ? Optional.of(view.asText()) : Optional.empty();
    }

    /** The logical ids of the resources of {@code type} (e.g. {@code AWS::KMS::Key}), in template order. */
    public List<String> logicalIds(String type) {
        return List.copyOf(resources(type).keySet());
    }

    /**
     * The {@code AWS::Serverless::StateMachine}s, each after the state machines its substitutions reference (a parent
     * needs its child's ARN), else in template order.
     *
     * @throws IllegalStateException when state machines reference each other in a cycle
     */
    public List<StateMachine> stateMachines() {
        Map<String, StateMachine> declared = new LinkedHashMap<>();
        resources("AWS::Serverless::StateMachine").forEach((id, resource) -> {
            JsonNode props = resource.path("Properties");
            Map<String, JsonNode> substitutions = new LinkedHashMap<>();
            props.path("DefinitionSubstitutions").properties().forEach(e -> substitutions.put(e.getKey(), e.getValue()));
            declared.put(id, new StateMachine(id, props.path("Type").asText("STANDARD"),
                    props.path("DefinitionUri").asText(null), Collections.unmodifiableMap(substitutions)));
        });
        List<StateMachine> ordered = new ArrayList<>();
        while (ordered.size() < declared.size()) {
            int before = ordered.size();
            for (StateMachine machine : declared.values()) {
                boolean ready = !ordered.contains(machine) && machine.substitutions().values().stream()
                        .noneMatch(id -> declared.containsKey(id) && !id.equals(machine.logicalId())
                                && !ordered.contains(declared.get(id)));
                if (ready) {
                    ordered.add(machine);
                }
            }
            if (ordered.size() == before) {
                throw new IllegalStateException("the state machines reference each other in a cycle: "
                        + declared.keySet());
            }
        }
        return List.copyOf(ordered);
    }

    /** One state machine by logical id. */
    public StateMachine stateMachine(String logicalId) {
        return stateMachines().stream().filter(m -> m.logicalId().equals(logicalId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no AWS::Serverless::StateMachine " + logicalId));
    }

    /** The state machine no other one references (the flow's parent), when there is exactly one. */
    public StateMachine rootStateMachine() {
        List<StateMachine> machines = stateMachines();
        List<StateMachine> roots = machines.stream().filter(m -> machines.stream()
                .noneMatch(other -> other != m && other.substitutions().containsValue(m.logicalId()))).toList();
        if (roots.size() != 1) {
            throw new IllegalStateException("expected one state machine no other references, found "
                    + roots.stream().map(StateMachine::logicalId).toList());
        }
        return roots.get(0);
    }

    /** A state machine's definition file, resolved against the template's folder. */
    public Path definitionFile(StateMachine machine) {
        Path base = location == null ? Path.of("") : location.getParent();
        return base.resolve(machine.definitionUri());
    }

    /**
     * The logical id a reference names: {@code {"Ref": "X"}} and {@code {"Ref": "X.Alias"}} give {@code X},
     * {@code {"Fn::GetAtt": ["X", "Arn"]}} gives {@code X}; anything else is empty.
     */
    public static Optional<String> referencedLogicalId(JsonNode value) {
        if (value.isObject() && value.size() == 1) {
            if (value.has("Ref")) {
                String ref = value.get("Ref").asText();
                int dot = ref.indexOf('.');
                return Optional.of(dot < 0 ? ref : ref.substring(0, dot));
            }
            if (value.has("Fn::GetAtt")) {
                return Optional.of(value.get("Fn::GetAtt").get(0).asText());
            }
        }
        return Optional.empty();
    }

    /**
     * A template value as a string: a scalar as its text; {@code Ref X} as {@code references.get("X")};
     * {@code Fn::GetAtt [X, A]} as {@code references.get("X.A")}; {@code Fn::Sub} with each {@code ${Name}} replaced
     * by {@code references.get("Name")}.
     *
     * @throws IllegalArgumentException naming the reference when {@code references} lacks it, or for another
     *         intrinsic function
     */
    public static String resolve(JsonNode value, Map<String, String> references) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isValueNode()) {
            return value.asText();
        }
        if (value.isObject() && value.size() == 1) {
            if (value.has("Ref")) {
                return lookup(value.get("Ref").asText(), references);
            }
            if (value.has("Fn::GetAtt")) {
                JsonNode att = value.get("Fn::GetAtt");
                return lookup(att.get(0).asText() + "." + att.get(1).asText(), references);
            }
            if (value.has("Fn::Sub") && value.get("Fn::Sub").isTextual()) {
                Matcher m = SUB_VARIABLE.matcher(value.get("Fn::Sub").asText());
                StringBuilder out = new StringBuilder();
                while (m.find()) {
                    m.appendReplacement(out, Matcher.quoteReplacement(lookup(m.group(1).trim(), references)));
                }
                m.appendTail(out);
                return out.toString().replace("${!", "${");
            }
        }
        throw new IllegalArgumentException("cannot resolve " + value + " locally");
    }

    private static String lookup(String name, Map<String, String> references) {
        String value = references.get(name);
        if (value == null) {
            throw new IllegalArgumentException("unresolved reference " + name
                    + ": give it a value in the references map");
        }
        return value;
    }

    private Map<String, JsonNode> resources(String type) {
        Map<String, JsonNode> found = new LinkedHashMap<>();
        root.path("Resources").properties().forEach(e -> {
            if (type.equals(e.getValue().path("Type").asText())) {
                found.put(e.getKey(), e.getValue());
            }
        });
        return found;
    }

    private Map.Entry<String, JsonNode> single(String type) {
        Map<String, JsonNode> found = resources(type);
        if (found.size() != 1) {
            throw new IllegalStateException("expected one " + type + " in the template, found " + found.keySet());
        }
        return found.entrySet().iterator().next();
    }

    private static String scalar(JsonNode node) {
        return node.isValueNode() ? node.asText() : node.toString();
    }
}
