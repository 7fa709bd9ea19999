package io.scaflow.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.scaflow.local.sandbox.ActionRequest;
import io.scaflow.local.sandbox.ActionRequestStatus;
import io.scaflow.local.sandbox.Endpoint;
import io.scaflow.local.sandbox.Fault;
import io.scaflow.local.sandbox.UserPolicy;
import io.scaflow.local.stack.LocalLambdaService;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowStatus;
import io.scaflow.store.KnownActionRequest;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * A flow with two action requests at Shine, on the real state machine and functions of the local stack: a create
 * whose answer comes after the request timeout (5 s in the template) is made again, and the user confirms the FIRST
 * request; a CreateActionRequest invoked a second time while the first invocation waits for Shine. Each ends
 * SUCCEEDED with exactly one transfer, from the request the user confirmed first. Action requests live 60 s here
 * (the sandbox's default): the late answer takes 7 s.
 */
@Timeout(120)
class EveryActionRequestEndToEndTest {

    private static final Duration MAX_RUN = Duration.ofSeconds(40);

    @RegisterExtension
    static final E2eStack STACK = E2eStack.fast();
    private static final E2eDriver driver = STACK.driver();

    @Test
    void aCreateAnsweredTooLateIsMadeAgainAndConfirmingTheFirstRequestSucceedsOnce() {
        String uid = driver.newUser("late-create", UserPolicy.MANUAL);
        String flowId = E2eDriver.newFlowId();
        driver.sandbox().injectFault(Fault.delay(Endpoint.CREATE, 1, 7000));

        String arn = driver.start(flowId, uid, "61.20");
        Flow both = driver.awaitFlow(flowId, f -> f.actionRequests().size() == 2, MAX_RUN);
        List<ActionRequest> atShine = driver.actionRequestsOf(uid).stream()
                .sorted(Comparator.comparing(ActionRequest::createdAt)).toList();
        assertThat(atShine).hasSize(2);
        String first = atShine.get(0).id();
        assertThat(both.actionRequests()).extracting(KnownActionRequest::id)
                .containsExactly(atShine.get(1).id(), first);
        assertThat(both.actionRequestId()).as("the second request answered first").isEqualTo(atShine.get(1).id());

        driver.sandbox().confirm(first);
        DescribeExecutionResponse end = driver.awaitEnd(arn, MAX_RUN);

        assertThat(end.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        Flow flow = driver.flow(flowId);
        assertThat(flow.status()).isEqualTo(FlowStatus.SUCCEEDED);
        assertThat(flow.attempt()).isEqualTo(1);
        assertThat(flow.actionRequestId()).isEqualTo(first);
        assertThat(driver.transfersOf(uid)).singleElement()
                .satisfies(t -> assertThat(t.actionRequestId()).isEqualTo(first));
        assertThat(driver.sandbox().actionRequest(atShine.get(1).id()).orElseThrow().status())
                .isEqualTo(ActionRequestStatus.PENDING);
        driver.assertNoSecretInHistory(arn, uid);
    }

    @Test
    void aDuplicateCreateInvocationKeepsBothRequestsAndASecondConfirmationIsIgnored() throws Exception {
        String uid = driver.newUser("duplicate", UserPolicy.MANUAL);
        String flowId = E2eDriver.newFlowId();
        driver.sandbox().injectFault(Fault.delay(Endpoint.CREATE, 1, 1500));

        String arn = driver.start(flowId, uid, "8.40");
        long deadline = System.nanoTime() + MAX_RUN.toNanos();
        while (driver.actionRequestsOf(uid).isEmpty() && System.nanoTime() < deadline) {
            E2eDriver.sleep(20);
        }
        String held = driver.actionRequestsOf(uid).get(0).id();
        HttpResponse<String> duplicate = invoke("CreateActionRequestFunction", "{\"flowId\": \"" + flowId + "\"}");
        assertThat(duplicate.statusCode()).isEqualTo(200);
        assertThat(duplicate.body()).contains("AWAITING_CONFIRMATION");

        Flow both = driver.awaitFlow(flowId, f -> f.actionRequests().size() == 2, MAX_RUN);
        assertThat(both.actionRequests()).extracting(KnownActionRequest::id)
                .containsExactlyInAnyOrderElementsOf(driver.actionRequestsOf(uid).stream().map(ActionRequest::id).toList());
        String other = both.actionRequests().stream().map(KnownActionRequest::id).filter(id -> !id.equals(held))
                .findFirst().orElseThrow();

        driver.sandbox().confirm(held);
        driver.awaitFlow(flowId, f -> f.status() != FlowStatus.AWAITING_CONFIRMATION, MAX_RUN);
        driver.sandbox().confirm(other);
        DescribeExecutionResponse end = driver.awaitEnd(arn, MAX_RUN);

        assertThat(end.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        Flow flow = driver.flow(flowId);
        assertThat(flow.actionRequestId()).isEqualTo(held);
        assertThat(driver.transfersOf(uid)).singleElement()
                .satisfies(t -> assertThat(t.actionRequestId()).isEqualTo(held));
        assertThat(driver.actionRequestsOf(uid)).extracting(ActionRequest::status)
                .containsOnly(ActionRequestStatus.CONFIRMED);
        assertThat(flow.accessToken()).isEmpty();
        assertThat(flow.shortLivedToken()).isEmpty();
        driver.assertNoSecretInHistory(arn, uid);
    }

    private static HttpResponse<String> invoke(String function, String body) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(driver.stack().lambda().endpoint()
                        .resolve(LocalLambdaService.PATH_PREFIX + function + "/invocations"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
