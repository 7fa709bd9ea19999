package io.scaflow.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.json.Json;
import io.scaflow.local.sandbox.Endpoint;
import io.scaflow.local.sandbox.Fault;
import io.scaflow.local.sandbox.Fault.Kind;
import io.scaflow.local.sandbox.TransferRecord;
import io.scaflow.local.sandbox.UserPolicy;
import io.scaflow.local.stack.LocalApiGateway;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code POST /v1/actions/{id}/reconciliation} on the local stack, over HTTP through the local API Gateway: a
 * transfer started with the API, confirmed by the sandbox's user, ends OUTCOME_UNKNOWN under a sandbox fault; the
 * reconciliation settles it with the caller's identity and the note in the history, makes no call to Shine (the
 * sandbox's records), answers the same again, and 409 for a flow that is not OUTCOME_UNKNOWN; FAILED is refused
 * (409 reconciliation-too-early, Retry-After) until the transfer call can no longer be in flight.
 */
@Timeout(120)
class ReconciliationEndToEndTest {

    private static final Duration MAX_RUN = Duration.ofSeconds(40);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** FAILED is accepted this long after EXECUTING here (60 s in a deployed stack): long enough to be seen refused. */
    private static final int FAILED_AFTER_SECONDS = 15;

    @RegisterExtension
    static final E2eStack STACK = E2eStack.fast()
            .parameters(Map.of("ReconcileFailedAfterSeconds", Integer.toString(FAILED_AFTER_SECONDS)));
    private static final E2eDriver driver = STACK.driver();

    @Test
    void aTransferWhoseMoneyMovedUnseenIsReconciledAsSucceededWithoutCallingShine() throws Exception {
        String uid = driver.newUser("rec");
        driver.sandbox().injectFault(Fault.of(Endpoint.TRANSFER, Kind.ERROR_500_PROCESSED, 1));
        String id = startConfirmedTransfer(uid);
        Flow unknown = driver.awaitFlow(id, FlowStatus.OUTCOME_UNKNOWN, MAX_RUN);
        List<TransferRecord> transfers = driver.transfersOf(uid);
        assertThat(transfers).as("the money moved at Shine").hasSize(1);
        int calls = driver.sandbox().calls().size();
        String body = "{\"outcome\": \"SUCCEEDED\", \"shineTransferId\": \"" + transfers.get(0).bankTransferId()
                + "\", \"note\": \"transfer seen at Shine\"}";

        HttpResponse<String> answer = reconcile(id, body);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode doc = Json.MAPPER.readTree(answer.body());
        assertThat(doc.path("status").asText()).isEqualTo("SUCCEEDED");
        JsonNode last = doc.path("history").get(doc.path("history").size() - 1);
        assertThat(last.path("reconciliation").path("by").asText()).isEqualTo(LocalApiGateway.CALLER_ARN);
        assertThat(last.path("reconciliation").path("note").asText()).isEqualTo("transfer seen at Shine");
        assertThat(last.path("reconciliation").path("shineTransferId").asText())
                .isEqualTo(transfers.get(0).bankTransferId());
        Flow reconciled = driver.flow(id);
        assertThat(reconciled.status()).isEqualTo(FlowStatus.SUCCEEDED);
        assertThat(reconciled.history()).hasSize(unknown.history().size() + 1);

        HttpResponse<String> again = reconcile(id, body);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(again.body()).path("history")).isEqualTo(doc.path("history"));
        assertThat(driver.flow(id).history()).hasSize(reconciled.history().size());

        HttpResponse<String> other = reconcile(id, "{\"outcome\": \"FAILED\", \"note\": \"changed my mind\"}");
        assertThat(other.statusCode()).isEqualTo(409);
        assertThat(Json.MAPPER.readTree(other.body()).path("code").asText()).isEqualTo("not-reconcilable");

        assertThat(driver.sandbox().calls()).as("no call to Shine by the reconciliations").hasSize(calls);
        assertThat(driver.transfersOf(uid)).hasSize(1);
    }

    @Test
    void aTransferRefusedUnseenIsReconciledAsFailedOnceItsCallCannotBeInFlight() throws Exception {
        String uid = driver.newUser("rec");
        driver.sandbox().injectFault(Fault.of(Endpoint.TRANSFER, Kind.ERROR_500, 1));
        String id = startConfirmedTransfer(uid);
        driver.awaitFlow(id, FlowStatus.OUTCOME_UNKNOWN, MAX_RUN);
        int calls = driver.sandbox().calls().size();

        String body = "{\"outcome\": \"FAILED\", \"note\": \"no transfer at Shine\"}";

        HttpResponse<String> early = reconcile(id, body);
        assertThat(early.statusCode()).as(early.body()).isEqualTo(409);
        assertThat(Json.MAPPER.readTree(early.body()).path("code").asText()).isEqualTo("reconciliation-too-early");
        long retryAfter = Long.parseLong(early.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, (long) FAILED_AFTER_SECONDS + 1);
        assertThat(driver.flow(id).status()).isEqualTo(FlowStatus.OUTCOME_UNKNOWN);
        Thread.sleep(Duration.ofSeconds(retryAfter).toMillis());
        HttpResponse<String> answer = reconcile(id, body);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(driver.flow(id).status()).isEqualTo(FlowStatus.FAILED);
        assertThat(driver.flow(id).history().get(driver.flow(id).history().size() - 1).reconciliation().note())
                .isEqualTo("no transfer at Shine");
        assertThat(driver.sandbox().calls()).hasSize(calls);
        assertThat(driver.transfersOf(uid)).isEmpty();
    }

    @Test
    void aFlowThatIsNotOutcomeUnknownIsAConflictAndAnUnknownOneNotFound() throws Exception {
        String uid = driver.newUser("rec");
        String id = startConfirmedTransfer(uid);
        driver.awaitFlow(id, FlowStatus.SUCCEEDED, MAX_RUN);
        int entries = driver.flow(id).history().size();

        HttpResponse<String> answer = reconcile(id, "{\"outcome\": \"FAILED\", \"note\": \"n\"}");

        assertThat(answer.statusCode()).isEqualTo(409);
        assertThat(Json.MAPPER.readTree(answer.body()).path("code").asText()).isEqualTo("not-reconcilable");
        assertThat(driver.flow(id).status()).isEqualTo(FlowStatus.SUCCEEDED);
        assertThat(driver.flow(id).history()).hasSize(entries);
        assertThat(reconcile("no-such-flow", "{\"outcome\": \"FAILED\", \"note\": \"n\"}").statusCode()).isEqualTo(404);
    }

    /** POST /v1/transfers for {@code uid}, whose sandbox user confirms at once; the flow id. */
    private static String startConfirmedTransfer(String uid) throws Exception {
        driver.sandbox().setPolicy(uid, UserPolicy.confirmAfter(0));
        String body = "{\"uid\": \"" + uid + "\", \"amount\": 12.34, \"bankTransferRecipientId\": \"r-" + uid
                + "\", \"accessToken\": \"" + driver.sandbox().accessTokenOf(uid) + "\"}";
        URI transfers = URI.create(driver.stack().apiEndpoint() + "/v1/transfers");
        HttpResponse<String> started = HTTP.send(HttpRequest.newBuilder(transfers)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        return Json.MAPPER.readTree(started.body()).path("id").asText();
    }

    static HttpResponse<String> reconcile(String id, String body) throws Exception {
        URI uri = URI.create(driver.stack().apiEndpoint() + "/v1/actions/" + id + "/reconciliation");
        return HTTP.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
