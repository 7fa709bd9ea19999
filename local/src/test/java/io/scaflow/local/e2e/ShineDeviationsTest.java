package io.scaflow.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.scaflow.local.sandbox.CallRecord;
import io.scaflow.local.sandbox.Endpoint;
import io.scaflow.local.sandbox.Fault;
import io.scaflow.local.sandbox.Fault.Body;
import io.scaflow.local.sandbox.Fault.Kind;
import io.scaflow.local.sandbox.TransferRecord;
import io.scaflow.local.sandbox.UserPolicy;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * Shine deviations within the documented contract: the real state machine on the local stack (one stack for all
 * cases), Shine as the sandbox with one fault mode per case (see docs/sandbox.md). Each case ends in the status a
 * user expects: SUCCEEDED when Shine said yes, OUTCOME_UNKNOWN only when no usable answer came, and never more
 * than one transfer (exactly one when it succeeded, never a transfer call sent twice after an unknown outcome).
 *
 * <p>Cases run one after the other: faults are per endpoint, not per user. Run:
 * {@code ./mvnw -B -q -pl local -am test -Dtest='ShineDeviationsTest' -Dsurefire.failIfNoSpecifiedTests=false}
 */
@Timeout(60)
class ShineDeviationsTest {

    private static final Duration MAX_RUN = Duration.ofSeconds(40);
    /** Polls may be many with the 200 ms waits: a count that outlasts any one flow. */
    private static final int EVERY_POLL = 1_000;

    @RegisterExtension
    static final E2eStack STACK = E2eStack.fast();
    private static final E2eDriver driver = STACK.driver();

    /** One deviation: the faults, the user's behaviour, what the user expects, and any further check. */
    record Case(String name, List<Fault> faults, UserPolicy policy, FlowStatus expected, int transfers,
                BiConsumer<Flow, Run> check) {

        @Override
        public String toString() {
            return name;
        }

        static Case succeeds(String name, Fault... faults) {
            return new Case(name, List.of(faults), UserPolicy.confirmAfter(0), FlowStatus.SUCCEEDED, 1, (f, r) -> { });
        }

        Case then(BiConsumer<Flow, Run> more) {
            return new Case(name, faults, policy, expected, transfers, check.andThen(more));
        }

        Case policy(UserPolicy value) {
            return new Case(name, faults, value, expected, transfers, check);
        }

        /** No usable answer to the transfer: OUTCOME_UNKNOWN, with {@code moved} transfers at the sandbox. */
        static Case unknown(String name, int moved, Fault fault) {
            return new Case(name, List.of(fault), UserPolicy.confirmAfter(0), FlowStatus.OUTCOME_UNKNOWN, moved,
                    (f, r) -> assertThat(r.calls(Endpoint.TRANSFER)).as("never sent again").hasSize(1));
        }
    }

    /** What the sandbox saw during one case. */
    record Run(String uid, List<CallRecord> calls) {

        List<CallRecord> calls(Endpoint endpoint) {
            return calls.stream().filter(c -> c.endpoint() == endpoint).toList();
        }
    }

    static Stream<Case> deviations() {
        List<Case> cases = new ArrayList<>();
        for (Object[] t : new Object[][] {{0, "Z"}, {3, "Z"}, {6, "Z"}, {9, "+00:00"}, {0, "+00:00"}, {3, "+02:00"}}) {
            int digits = (int) t[0];
            String offset = (String) t[1];
            cases.add(Case.succeeds("timestamps with " + digits + " fraction digits and offset " + offset,
                    Fault.timestamps(Endpoint.CREATE, 1, digits, offset),
                    Fault.timestamps(Endpoint.POLL, EVERY_POLL, digits, offset),
                    Fault.timestamps(Endpoint.TRANSFER, 1, digits, offset)));
        }
        cases.add(Case.succeeds("token null and unknown fields at every level",
                Fault.of(Endpoint.CREATE, Kind.EXTRA_FIELDS, 1), Fault.of(Endpoint.POLL, Kind.EXTRA_FIELDS, EVERY_POLL),
                Fault.of(Endpoint.TRANSFER, Kind.EXTRA_FIELDS, 1)).policy(UserPolicy.confirmAfter(500)));
        for (Kind kind : new Kind[] {Kind.TOKEN_ABSENT, Kind.TOKEN_NULL}) {
            cases.add(Case.succeeds("CONFIRMED without its token (" + kind + ") on the first poll",
                    Fault.of(Endpoint.POLL, kind, 1)).then((flow, run) -> {
                        assertThat(run.calls(Endpoint.POLL).get(0).fault()).isEqualTo(kind.name());
                        assertThat(run.calls(Endpoint.POLL)).as("polled again for the token").hasSizeGreaterThan(1);
                    }));
        }
        cases.add(Case.succeeds("a status scaflow does not know while pending",
                Fault.of(Endpoint.POLL, Kind.UNKNOWN_STATUS, EVERY_POLL)).policy(UserPolicy.confirmAfter(700))
                .then((flow, run) -> assertThat(run.calls(Endpoint.POLL)).as("polled on through the unknown status")
                        .hasSizeGreaterThan(1)));
        for (Kind kind : new Kind[] {Kind.RATE_LIMIT, Kind.RATE_LIMIT_HTTP_DATE}) {
            String form = kind == Kind.RATE_LIMIT ? "in seconds" : "as an HTTP-date";
            cases.add(Case.succeeds("429 on poll, Retry-After " + form,
                    Fault.retryAfter(Endpoint.POLL, kind, 2, 1)).then(firstAnswered(Endpoint.POLL, 429)));
            cases.add(Case.succeeds("429 on create, Retry-After " + form,
                    Fault.retryAfter(Endpoint.CREATE, kind, 1, 1)).then(firstAnswered(Endpoint.CREATE, 429))
                    .then(actionRequests(1)));
            cases.add(Case.succeeds("429 on the transfer, Retry-After " + form,
                    Fault.retryAfter(Endpoint.TRANSFER, kind, 1, 1)).then(firstAnswered(Endpoint.TRANSFER, 429))
                    .then((flow, run) -> assertThat(run.calls(Endpoint.TRANSFER)).hasSize(2)));
        }
        for (Kind kind : new Kind[] {Kind.ERROR_500, Kind.ERROR_503}) {
            cases.add(Case.succeeds(kind + " on create, nothing created: retried",
                    Fault.of(Endpoint.CREATE, kind, 1)).then(firstAnswered(Endpoint.CREATE, kind == Kind.ERROR_500
                    ? 500 : 503)).then(actionRequests(1)));
        }
        // The 500 hid an action request Shine made: the retry makes a second one (docs/design.md). The transfer
        // is the one of the request the flow polls; the other one's confirmation does nothing.
        cases.add(Case.succeeds("500 on create after the request was created: retried",
                Fault.of(Endpoint.CREATE, Kind.ERROR_500_PROCESSED, 1)).then(firstAnswered(Endpoint.CREATE, 500))
                .then(actionRequests(2)));
        for (int status : new int[] {200, 201, 202}) {
            for (Body body : Body.values()) {
                cases.add(Case.succeeds("transfer answered " + status + " with body " + body,
                        Fault.successAnswer(1, status, body)).then(resultKept(body != Body.NONE)));
            }
        }
        cases.add(Case.succeeds("transfer answered 204 No Content", Fault.successAnswer(1, 204, Body.NONE))
                .then(resultKept(false)));
        cases.add(Case.succeeds("transfer answered 201 with a body that is not JSON",
                Fault.of(Endpoint.TRANSFER, Kind.MALFORMED, 1)).then(resultKept(false)));
        cases.add(Case.succeeds("transfer answered after 6 s, within the execute timeout",
                Fault.delay(Endpoint.TRANSFER, 1, 6_000)).then(resultKept(true)));
        cases.add(Case.unknown("500 after the money moved", 1, Fault.of(Endpoint.TRANSFER, Kind.ERROR_500_PROCESSED, 1)));
        cases.add(Case.unknown("connection reset during the transfer", 1,
                Fault.of(Endpoint.TRANSFER, Kind.CONNECTION_RESET, 1)));
        cases.add(Case.unknown("500 on the transfer before the money moved", 0,
                Fault.of(Endpoint.TRANSFER, Kind.ERROR_500, 1)));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deviations")
    void endsAsTheUserExpects(Case deviation) {
        String uid = driver.newUser("dev", deviation.policy());
        int callsBefore = driver.sandbox().calls().size();
        deviation.faults().forEach(driver.sandbox()::injectFault);
        String flowId = E2eDriver.newFlowId();

        String arn = driver.start(flowId, uid, "234.50");
        DescribeExecutionResponse end = driver.awaitEnd(arn, MAX_RUN);
        Flow flow = driver.flow(flowId);
        List<CallRecord> calls = driver.sandbox().calls();
        Run run = new Run(uid, List.copyOf(calls.subList(Math.min(callsBefore, calls.size()), calls.size())));

        assertThat(flow.status()).as("flow status (reason: %s)", flow.error()).isEqualTo(deviation.expected());
        if (deviation.expected() == FlowStatus.SUCCEEDED) {
            assertThat(end.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        } else {
            assertThat(end.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(end.error()).isEqualTo("Scaflow.OutcomeUnknown");
        }
        List<TransferRecord> transfers = driver.transfersOf(uid);
        assertThat(transfers).hasSize(deviation.transfers());
        transfers.forEach(t -> assertThat(t.actionRequestId()).isEqualTo(flow.actionRequestId()));
        assertThat(flow.accessToken()).as("access token removed").isEmpty();
        assertThat(flow.shortLivedToken()).as("short-lived token removed").isEmpty();
        deviation.check().accept(flow, run);
        driver.assertNoSecretInHistory(arn, uid);
    }

    private static BiConsumer<Flow, Run> firstAnswered(Endpoint endpoint, int status) {
        return (flow, run) -> assertThat(run.calls(endpoint).get(0).status()).isEqualTo(status);
    }

    private static BiConsumer<Flow, Run> actionRequests(int count) {
        return (flow, run) -> assertThat(driver.actionRequestsOf(run.uid())).hasSize(count);
    }

    /** The flow keeps Shine's transfer as its result when the answer had a readable body, nothing otherwise. */
    private static BiConsumer<Flow, Run> resultKept(boolean kept) {
        return (flow, run) -> {
            if (kept) {
                String id = driver.transfersOf(run.uid()).get(0).bankTransferId();
                assertThat(flow.result().get("bankTransferId").asText()).isEqualTo(id);
            } else {
                assertThat(flow.result()).isNull();
            }
        };
    }
}
