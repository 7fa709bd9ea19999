package io.scaflow.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.json.Json;
import io.scaflow.local.sandbox.ActionRequest;
import io.scaflow.local.sandbox.ShineSandbox;
import io.scaflow.local.sandbox.TransferRecord;
import io.scaflow.local.sandbox.UserPolicy;
import io.scaflow.local.stack.LocalDeployment;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowStatus;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;
import java.util.function.Supplier;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/** Starts console-style flows on a {@link LocalDeployment} through the real SfnClient and waits for their end. */
final class E2eDriver {

    static final String ACTION = "bank:transfers:create";

    private final Supplier<LocalDeployment> stack;

    /** A driver for the stack {@code stack} gives when asked (see {@link E2eStack}). */
    E2eDriver(Supplier<LocalDeployment> stack) {
        this.stack = stack;
    }

    E2eDriver(LocalDeployment stack) {
        this(() -> stack);
    }

    LocalDeployment stack() {
        return stack.get();
    }

    ShineSandbox sandbox() {
        return stack().sandbox().orElseThrow();
    }

    /** A fresh uid with a random access token registered at the sandbox. */
    String newUser(String prefix) {
        String uid = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        sandbox().registerUser(uid, null);
        return uid;
    }

    /** As above, the sandbox's simulated user answering as {@code policy} says. */
    String newUser(String prefix, UserPolicy policy) {
        String uid = newUser(prefix);
        sandbox().setPolicy(uid, policy);
        return uid;
    }

    static String newFlowId() {
        return "e2e-" + UUID.randomUUID();
    }

    /** The console's execution input: the user's token in Secrets Manager, named by accessTokenSecretId. */
    String input(String uid, String amount) {
        String secretId = stack().resources().putUserAccessToken(uid, sandbox().accessTokenOf(uid));
        ObjectNode input = Json.MAPPER.createObjectNode().put("action", ACTION).put("uid", uid);
        input.putObject("payload").put("amount", new BigDecimal(amount))
                .put("bankTransferRecipientId", "recipient-" + uid).put("uid", uid);
        input.put("accessTokenSecretId", secretId);
        return input.toString();
    }

    /** Starts the execution named flowId; returns its ARN. */
    String start(String flowId, String uid, String amount) {
        String in = input(uid, amount);
        return stack().sfn().startExecution(b -> b.stateMachineArn(stack().stateMachineArn()).name(flowId).input(in))
                .executionArn();
    }

    /** The ARN of the execution named {@code flowId} (the API starts each flow's execution under its id). */
    String executionArn(String flowId) {
        return stack().stateMachineArn().replace(":stateMachine:", ":execution:") + ":" + flowId;
    }

    /** How many executions of the state machine are named {@code name}. */
    long executionsNamed(String name) {
        return stack().sfn().listExecutions(b -> b.stateMachineArn(stack().stateMachineArn()).maxResults(1000))
                .executions().stream().filter(e -> e.name().equals(name)).count();
    }

    DescribeExecutionResponse describe(String executionArn) {
        return stack().sfn().describeExecution(b -> b.executionArn(executionArn));
    }

    /** Polls DescribeExecution until the execution is no longer RUNNING, for at most {@code max}. */
    DescribeExecutionResponse awaitEnd(String executionArn, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            DescribeExecutionResponse d = describe(executionArn);
            if (d.status() != ExecutionStatus.RUNNING) {
                return d;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("execution still RUNNING after " + max + ": " + executionArn);
            }
            sleep(50);
        }
    }

    /** Waits until the flow item is in {@code status}, for at most {@code max}. */
    Flow awaitFlow(String flowId, FlowStatus status, Duration max) {
        return awaitFlow(flowId, f -> f.status() == status, max);
    }

    /** Waits until the flow item matches, for at most {@code max}. */
    Flow awaitFlow(String flowId, Predicate<Flow> condition, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            Optional<Flow> flow = stack().store().find(flowId);
            if (flow.isPresent() && condition.test(flow.get())) {
                return flow.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("flow " + flowId + " did not reach the expected state in " + max + ": "
                        + flow.map(f -> f.status() + " attempt " + f.attempt()).orElse("no item"));
            }
            sleep(50);
        }
    }

    Flow flow(String flowId) {
        return stack().store().get(flowId);
    }

    /** Waits until the execution has started its first follow-up (its polling child), for at most {@code max}. */
    String awaitFirstChild(String executionArn, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            List<String> children = children(executionArn);
            if (!children.isEmpty()) {
                return children.get(0);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(executionArn + " started no follow-up in " + max);
            }
            sleep(50);
        }
    }

    List<HistoryEvent> history(String executionArn) {
        List<HistoryEvent> events = new ArrayList<>();
        stack().sfn().getExecutionHistoryPaginator(b -> b.executionArn(executionArn).includeExecutionData(true)
                .maxResults(100)).events().forEach(events::add);
        return events;
    }

    /** The follow-up (Express) executions the parent started, in order: its TaskSubmitted events name them. */
    List<String> children(String executionArn) {
        List<String> children = new ArrayList<>();
        for (HistoryEvent event : history(executionArn)) {
            if (event.taskSubmittedEventDetails() != null) {
                try {
                    children.add(Json.MAPPER.readTree(event.taskSubmittedEventDetails().output())
                            .path("ExecutionArn").asText());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }
        return children;
    }

    /** The histories of the parent's follow-up executions, one after the other. */
    List<HistoryEvent> followUpHistory(String executionArn) {
        List<HistoryEvent> events = new ArrayList<>();
        children(executionArn).forEach(child -> events.addAll(history(child)));
        return events;
    }

    /** The follow-up state machine's ARN (the template's Express child). */
    String followUpStateMachineArn() {
        return stack().stateMachineArns().get("FollowActionRequestStateMachine");
    }

    List<TransferRecord> transfersOf(String uid) {
        return sandbox().transfers().stream().filter(t -> uid.equals(t.uid())).toList();
    }

    List<ActionRequest> actionRequestsOf(String uid) {
        return sandbox().actionRequests().stream().filter(r -> uid.equals(r.uid())).toList();
    }

    /**
     * Every secret the run could have touched for this uid: the sandbox client secret, the user's access token and
     * each short-lived token the sandbox issued for the uid's action requests.
     */
    List<String> secretsOf(String uid) {
        List<String> secrets = new ArrayList<>();
        secrets.add(sandbox().clientSecret());
        secrets.add(sandbox().accessTokenOf(uid));
        actionRequestsOf(uid).stream().map(ActionRequest::token).filter(Objects::nonNull).forEach(secrets::add);
        return secrets;
    }

    /**
     * No secret of the uid appears in any event of the execution's history nor of its follow-up executions'
     * (details included).
     */
    void assertNoSecretInHistory(String executionArn, String uid) {
        List<HistoryEvent> events = new ArrayList<>(history(executionArn));
        assertThat(events).isNotEmpty();
        events.addAll(followUpHistory(executionArn));
        StringBuilder all = new StringBuilder();
        for (HistoryEvent event : events) {
            all.append(event.toString()).append('\n');
            dump(event, all);
        }
        String text = all.toString();
        // the dump holds the real data (the SDK's toString redacts inputs and outputs): the uid is in the input
        assertThat(text).contains(uid);
        for (String secret : secretsOf(uid)) {
            assertThat(secret).isNotBlank();
            assertThat(text).as("history of %s", executionArn).doesNotContain(secret);
        }
    }

    /** Every field of an SDK object, nested objects and lists included, unredacted. */
    static void dump(Object value, StringBuilder out) {
        if (value instanceof SdkPojo pojo) {
            for (SdkField<?> field : pojo.sdkFields()) {
                dump(field.getValueOrDefault(pojo), out);
            }
        } else if (value instanceof Collection<?> list) {
            list.forEach(v -> dump(v, out));
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                out.append(k).append('=');
                dump(v, out);
            });
        } else if (value != null) {
            out.append(value).append('\n');
        }
    }

    /** Waits for {@code latch} (a start signal that threads of one test share). */
    static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
