package io.scaflow.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.json.Json;
import io.scaflow.shine.FakeShine;
import io.scaflow.shine.ShineClientException;
import io.scaflow.shine.ShineMalformedResponseException;
import io.scaflow.shine.ShineOutcomeUnknownException;
import io.scaflow.shine.ShineRateLimitedException;
import io.scaflow.shine.ShineUnavailableException;
import io.scaflow.store.FlowChange;
import io.scaflow.store.FlowStatus;
import io.scaflow.testing.Repository;
import io.scaflow.testing.SamTemplate;
import io.scaflow.testing.TestContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;

/**
 * The state machines against the Java code, for every statemachine/*.asl.json: each {@code io.scaflow.*} name in an
 * {@code ErrorEquals} is an exception class that exists, and that the function of a Task listing it throws (with
 * that very name, as the Lambda runtime reports it) when Shine fails that way, or when it meets the flow that way
 * (a duplicate invocation). Renaming an exception, or catching it inside the handler, breaks a Retry or Catch
 * silently otherwise.
 */
@EnabledIf(Repository.PRESENT)
class StateMachineContractTest {

    /**
     * How a step comes to throw each error: what goes wrong while it runs on the flow {@link #FLOW_BEFORE} set up
     * for it, and the invocation's context (null: none, as a test calling the handler directly).
     */
    private record Trouble(Consumer<FlowKit> arrange, Context context) {

        /** Shine fails every call this way. */
        static Trouble fromShine(Supplier<RuntimeException> failure) {
            return new Trouble(kit -> kit.shine.failEveryCall(failure.get()), null);
        }
    }

    private static final Map<String, Trouble> TROUBLES = Map.of(
            ShineUnavailableException.class.getName(), Trouble.fromShine(FakeShine::unavailable),
            ShineRateLimitedException.class.getName(),
            Trouble.fromShine(() -> FakeShine.rateLimited(RateLimits.MAX_WAIT.plusSeconds(50))),
            ShineClientException.class.getName(), Trouble.fromShine(() -> FakeShine.refused(400)),
            ShineMalformedResponseException.class.getName(),
            Trouble.fromShine(() -> new ShineMalformedResponseException("unreadable")),
            ShineOutcomeUnknownException.class.getName(),
            Trouble.fromShine(() -> new ShineOutcomeUnknownException("no answer", null)),
            // A duplicate invocation: another one moves the flow CONFIRMED -> EXECUTING just before this one's write,
            // and this one has no time left to wait for that one's outcome.
            ExecutionInProgressException.class.getName(), new Trouble(
                    kit -> kit.flows.beforeNextChange(store -> store.change("f-1", FlowStatus.CONFIRMED,
                            FlowChange.to(FlowStatus.EXECUTING, "another invocation sends").forgetShortLivedToken())),
                    new TestContext((int) ExecuteActionHandler.RETURN_RESERVE.toMillis())),
            // The user confirmed, and DynamoDB throttles the step's write after the SDK's own retries.
            AwsUnavailableException.class.getName(), new Trouble(
                    kit -> {
                        kit.shine.confirm("ar-1");
                        kit.flows.beforeNextChange(store -> {
                            throw ProvisionedThroughputExceededException.builder().statusCode(400)
                                    .awsErrorDetails(AwsErrorDetails.builder()
                                            .errorCode("ProvisionedThroughputExceededException").build()).build();
                        });
                    }, null));

    /** The flow each step's function acts on, set up so that the step calls Shine (and writes the flow). */
    private static final Map<Class<?>, Consumer<FlowKit>> FLOW_BEFORE = Map.of(
            CreateActionRequestHandler.class, kit -> kit.pending("f-1"),
            PollActionRequestHandler.class, kit -> kit.awaiting("f-1"),
            ExecuteActionHandler.class, kit -> kit.confirmed("f-1"));

    private static final SamTemplate TEMPLATE = SamTemplate.read();

    /**
     * An error a Task state names in a Retry or a Catch; {@code function} is the placeholder of the Lambda function
     * it runs ({@code "Resource": "${X}"}, or {@code lambda:invoke} with {@code "FunctionName": "${X}"}), null when it
     * runs none of ours.
     */
    record Listing(String file, String state, String function, String error) {
    }

    static List<Listing> listings() {
        List<Listing> listings = new ArrayList<>();
        try (Stream<Path> files = Files.list(Repository.file("statemachine"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".asl.json")).sorted().toList()) {
                collect(file.getFileName().toString(), Json.MAPPER.readTree(file.toFile()), listings);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return listings;
    }

    static Stream<Arguments> scaflowErrors() {
        Map<String, List<Listing>> byError = new TreeMap<>();
        listings().stream().filter(listing -> listing.error().startsWith("io.scaflow."))
                .forEach(listing -> byError.computeIfAbsent(listing.error(), e -> new ArrayList<>()).add(listing));
        return byError.entrySet().stream().map(entry -> Arguments.of(entry.getKey(), entry.getValue()));
    }

    @Test
    void theDefinitionsNameScaflowErrors() {
        assertThat(scaflowErrors()).isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scaflowErrors")
    void anErrorNameIsAnExceptionClass(String error, List<Listing> where) throws ClassNotFoundException {
        Class<?> type = Class.forName(error, false, getClass().getClassLoader());

        assertThat(RuntimeException.class).as(error + " (" + where + ")").isAssignableFrom(type);
        assertThat(type.getName()).isEqualTo(error);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scaflowErrors")
    void anErrorNameIsThrownByTheFunctionOfATaskListingIt(String error, List<Listing> where) throws Exception {
        Trouble trouble = TROUBLES.get(error);
        if (trouble == null) {
            fail(error + " is listed in " + where + ": teach this test how a step comes to throw it");
        }
        Map<String, String> thrownBy = new LinkedHashMap<>();
        for (Listing listing : where) {
            if (listing.function() == null) {
                thrownBy.put(listing.state(), "runs no function of the template");
                continue;
            }
            Class<?> handler = handlerOf(listing);
            Consumer<FlowKit> before = FLOW_BEFORE.get(handler);
            if (before == null) {
                thrownBy.put(listing.state(), handler.getSimpleName() + " calls no Shine");
                continue;
            }
            FlowKit kit = new FlowKit();
            before.accept(kit);
            trouble.arrange().accept(kit);
            RequestStreamHandler step = (RequestStreamHandler) handler.getConstructor(FlowServices.class)
                    .newInstance(kit.services);
            try {
                FlowKit.run(step, FlowKit.event("f-1").getBytes(StandardCharsets.UTF_8), trouble.context());
                thrownBy.put(listing.state(), "nothing thrown");
            } catch (RuntimeException e) {
                thrownBy.put(listing.state(), e.getClass().getName());
            }
        }
        assertThat(thrownBy).as("what each Task listing " + error + " throws").containsValue(error);
    }

    @Test
    void everyTaskOfADefinitionRunsAFunctionOfTheTemplate() {
        List<Listing> tasks = listings().stream().filter(listing -> listing.function() != null).toList();

        assertThat(tasks).isNotEmpty().allSatisfy(listing -> assertThat(handlerOf(listing)).isNotNull());
    }

    /** The class of the function a Task's {@code Resource} placeholder is substituted with. */
    private static Class<?> handlerOf(Listing listing) {
        String placeholder = listing.function().replaceAll("^\\$\\{(.+)}$", "$1");
        String substitution = TEMPLATE.stateMachines().stream()
                .filter(machine -> listing.file().equals(Path.of(String.valueOf(machine.definitionUri())).getFileName().toString()))
                .map(machine -> machine.substitutions().get(placeholder)).filter(s -> s != null).findFirst()
                .orElseThrow(() -> new AssertionError(listing + ": no DefinitionSubstitutions entry"));
        String function = TEMPLATE.functionOf(substitution)
                .orElseThrow(() -> new AssertionError(listing + ": " + substitution + " is no function of the template"));
        try {
            return Class.forName(TEMPLATE.handlers().get(function).split("::")[0]);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(function + "'s handler does not exist", e);
        }
    }

    /**
     * Every Task state of the definition, nested ones included: one listing per error of its Retry and Catch rules,
     * and one (error "") for a Task that names none, so that every Task is seen.
     */
    private static void collect(String file, JsonNode node, List<Listing> into) {
        if (node.isObject()) {
            node.path("States").properties().forEach(state -> {
                JsonNode body = state.getValue();
                if (!body.path("Type").asText().equals("Task")) {
                    return;
                }
                String function = Stream.of(body.path("Resource"), body.path("Parameters").path("FunctionName"))
                        .map(JsonNode::asText).filter(text -> text.startsWith("${")).findFirst().orElse(null);
                List<String> errors = new ArrayList<>();
                for (String field : List.of("Retry", "Catch")) {
                    body.path(field).forEach(rule -> rule.path("ErrorEquals").forEach(error -> errors.add(error.asText())));
                }
                if (errors.isEmpty()) {
                    errors.add("");
                }
                errors.forEach(error -> into.add(new Listing(file, state.getKey(), function, error)));
            });
            node.forEach(child -> collect(file, child, into));
        } else if (node.isArray()) {
            node.forEach(child -> collect(file, child, into));
        }
    }
}
