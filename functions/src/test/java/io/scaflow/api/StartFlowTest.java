package io.scaflow.api;

import static io.scaflow.api.ApiKit.post;
import static io.scaflow.api.ApiKit.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.core.Secret;
import io.scaflow.store.ErrorCode;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowChange;
import io.scaflow.store.FlowStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.sfn.model.SfnException;

/**
 * {@code POST /v1/transfers} and {@code POST /v1/actions}: how a body becomes a flow, and how an Idempotency-Key
 * makes retries (and concurrent duplicates) name one flow that runs once.
 */
class StartFlowTest {

    private final ApiKit api = new ApiKit();

    @Test
    void aTransferBecomesAPendingBankTransferFlowOfTheCallerAndItsExecutionStarts() {
        ApiKit.Answer answer = api.send(post("/v1/transfers", transfer("u-1", "12.30")));

        assertThat(answer.status()).isEqualTo(202);
        String id = answer.body().path("id").asText();
        assertThat(answer.header("Location")).isEqualTo("/live/v1/actions/" + id);
        Flow flow = api.flows.get(id);
        assertThat(flow.action()).isEqualTo("bank:transfers:create");
        assertThat(flow.uid()).isEqualTo("u-1");
        assertThat(flow.payload().toString()).isEqualTo("{\"amount\":12.30,\"bankTransferRecipientId\":\"r-1\",\"uid\":\"u-1\"}");
        assertThat(flow.accessToken()).contains(Secret.of("token-u-1"));
        assertThat(flow.owner()).isEqualTo(ApiKit.CALLER);
        assertThat(api.sfn.started()).containsExactly(id);
        assertThat(answer.body().toString()).doesNotContain("token-u-1");
    }

    @ParameterizedTest(name = "sent as {0}: {1}")
    @CsvSource({
            "/live/v1/transfers, /live",           // the execute-api domain: the stage
            "/live/v1/transfers/, /live",
            "/payments/v1/transfers, /payments",   // a custom domain's base path mapping: no stage in the URL
            "/v1/transfers, ''",                   // a custom domain mapped at its root
            "'', /live",                           // no requestContext.path: the stage
            "https://evil.example/v1/transfers, /live"})
    void theLocationIsTheFlowsUrlAsTheCallerCanFollowIt(String sentPath, String basePath) {
        ApiKit.Answer answer = api.send(post("/v1/transfers", transfer("u-1", "1")).sentPath(sentPath));

        assertThat(answer.status()).isEqualTo(202);
        assertThat(answer.header("Location")).isEqualTo(basePath + "/v1/actions/" + answer.body().path("id").asText());
    }

    @Test
    void anActionNamesItsActionAndPayload() {
        ApiKit.Answer answer = api.send(post("/v1/actions", "{\"action\": \"bank:transfers:create\", \"uid\": \"u-1\","
                + " \"payload\": {\"amount\": 5, \"bankTransferRecipientId\": \"r-2\", \"uid\": \"u-1\"}, \"accessToken\": \"t\"}"));

        assertThat(answer.status()).isEqualTo(202);
        assertThat(api.flows.get(answer.body().path("id").asText()).payload().path("bankTransferRecipientId").asText())
                .isEqualTo("r-2");
    }

    @Test
    void aTransfersErrorsNameTheBodysOwnFieldsAndAnActionsNameItsPayloads() {
        String noAmount = "{\"uid\": \"u-1\", \"bankTransferRecipientId\": \"r-1\", \"accessToken\": \"t\"}";

        api.send(post("/v1/transfers", noAmount)).assertProblem(400, "invalid-input", "amount");
        api.send(post("/v1/actions", "{\"action\": \"bank:transfers:create\", \"uid\": \"u-1\", \"accessToken\": \"t\","
                + " \"payload\": {\"bankTransferRecipientId\": \"r-1\", \"uid\": \"u-1\"}}"))
                .assertProblem(400, "invalid-input", "payload.amount");
        assertThat(api.dynamo.size()).isZero();
        assertThat(api.sfn.started()).isEmpty();
    }

    @ParameterizedTest(name = "accessToken {0}")
    @CsvSource(delimiter = '|', value = {"absent|", "null|, \"accessToken\": null", "a number|, \"accessToken\": 7",
            "blank|, \"accessToken\": \"  \"", "with a space|, \"accessToken\": \"a b\""})
    void aTransferWithoutAUsableAccessTokenIsRefused(String what, String field) {
        String body = "{\"uid\": \"u-1\", \"amount\": 1, \"bankTransferRecipientId\": \"r-1\"" + (field == null ? "" : field) + "}";

        api.send(post("/v1/transfers", body)).assertProblem(400, "invalid-input", "accessToken");
        assertThat(api.dynamo.size()).isZero();
    }

    @Test
    void anAccessTokenLongerThan4096CharactersIsRefusedAndOneOf4096Accepted() {
        String body = "{\"uid\": \"u-1\", \"amount\": 1, \"bankTransferRecipientId\": \"r-1\", \"accessToken\": \"%s\"}";

        api.send(post("/v1/transfers", body.formatted("t".repeat(4097)))).assertProblem(400, "invalid-input", "accessToken");
        assertThat(api.send(post("/v1/transfers", body.formatted("t".repeat(4096)))).status()).isEqualTo(202);
    }

    @Test
    void withoutAKeyEveryRequestIsANewFlow() {
        String first = api.send(post("/v1/transfers", transfer("u-1", "10"))).body().path("id").asText();
        String second = api.send(post("/v1/transfers", transfer("u-1", "10"))).body().path("id").asText();

        assertThat(first).isNotEqualTo(second);
        assertThat(api.sfn.started()).containsExactly(first, second);
    }

    @Test
    void aRetryWithTheSameKeyNamesTheSameFlowAndBringsItsFreshAccessToken() {
        String first = keyed("order-1", transfer("u-1", "10")).body().path("id").asText();
        String retried = keyed("order-1", transfer("u-1", "10").replace("token-u-1", "refreshed")).body().path("id").asText();

        assertThat(retried).isEqualTo(first);
        assertThat(api.dynamo.size()).isEqualTo(1);
        assertThat(api.flows.get(first).accessToken()).contains(Secret.of("refreshed"));
        assertThat(api.sfn.started()).containsExactly(first, first);
    }

    @Test
    void aRetryOfAFlowThatHasStartedShowsItAndStartsNothing() {
        String id = keyed("order-1", transfer("u-1", "10")).body().path("id").asText();
        api.flows.direct().change(id, FlowStatus.PENDING, FlowChange.to(FlowStatus.AWAITING_CONFIRMATION, "created")
                .actionRequest("ar-1", 1, api.clock.instant(), api.clock.instant().plusSeconds(60)));

        ApiKit.Answer again = keyed("order-1", transfer("u-1", "10"));

        assertThat(again.status()).isEqualTo(202);
        assertThat(again.body().path("status").asText()).isEqualTo("AWAITING_CONFIRMATION");
        assertThat(api.sfn.started()).containsExactly(id);
    }

    @Test
    void aRetryThatMeetsTheFlowStartingMeanwhileStartsNothingMore() {
        String id = keyed("order-1", transfer("u-1", "10")).body().path("id").asText();
        api.flows.beforeNextChange(store -> store.change(id, FlowStatus.PENDING, FlowChange.to(
                FlowStatus.AWAITING_CONFIRMATION, "created").actionRequest("ar-1", 1, api.clock.instant(), null)));

        ApiKit.Answer again = keyed("order-1", transfer("u-1", "10"));

        assertThat(again.body().path("status").asText()).isEqualTo("AWAITING_CONFIRMATION");
        assertThat(api.sfn.started()).containsExactly(id);
    }

    @Test
    void theSameKeyForAnotherRequestIsAConflictAndTheFlowIsLeftAlone() {
        String id = keyed("order-1", transfer("u-1", "10")).body().path("id").asText();

        keyed("order-1", transfer("u-1", "11")).assertProblem(409, "idempotency-key-reused", "Idempotency-Key");
        assertThat(api.flows.get(id).payload().path("amount").decimalValue()).isEqualByComparingTo("10");
    }

    @Test
    void theSameRequestWrittenAnotherWayIsTheSameRequest() {
        String id = keyed("order-1", "{\"uid\": \"u-1\", \"amount\": 12.3, \"bankTransferRecipientId\": \"r-1\","
                + " \"accessToken\": \"t\"}").body().path("id").asText();

        ApiKit.Answer again = keyed("order-1", "{\"accessToken\": \"t\", \"bankTransferRecipientId\": \"r-1\","
                + " \"amount\": 12.30, \"uid\": \"u-1\"}");

        assertThat(again.status()).isEqualTo(202);
        assertThat(again.body().path("id").asText()).isEqualTo(id);
    }

    @Test
    void anotherCallersKeyNamesAnotherFlow() {
        String mine = keyed("order-1", transfer("u-1", "10")).body().path("id").asText();
        ApiKit.Event theirs = post("/v1/transfers", transfer("u-1", "10")).header("Idempotency-Key", "order-1");
        ((ObjectNode) theirs.json().path("requestContext").path("identity"))
                .put("userArn", "arn:aws:iam::123456789012:user/other");

        String other = api.send(theirs).body().path("id").asText();

        assertThat(other).isNotEqualTo(mine);
        assertThat(api.flows.get(other).owner()).isEqualTo("arn:aws:iam::123456789012:user/other");
    }

    @Test
    void aFlowWhoseExecutionCannotStartWithoutAKeyIsFailedAndSaysNothingWasSent() {
        api.sfn.failStarts(SfnException.builder().message("unreachable").build());

        ApiKit.Answer answer = api.send(post("/v1/transfers", transfer("u-1", "10")));

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.body().path("code").asText()).isEqualTo("start-failed");
        Flow flow = api.flows.get(api.sfn.started().get(0));
        assertThat(flow.status()).isEqualTo(FlowStatus.FAILED);
        assertThat(flow.error().code()).isEqualTo(ErrorCode.START_FAILED.code());
        assertThat(flow.accessToken()).isEmpty();
    }

    @Test
    void aKeyedFlowWhoseExecutionCannotStartWaitsForTheRetryWithoutKeepingTheToken() {
        api.sfn.failStarts(SfnException.builder().message("unreachable").build());
        ApiKit.Answer failed = keyed("order-1", transfer("u-1", "10"));
        String id = api.sfn.started().get(0);
        assertThat(failed.status()).isEqualTo(503);
        assertThat(api.flows.get(id).status()).isEqualTo(FlowStatus.PENDING);
        assertThat(api.flows.get(id).accessToken()).isEmpty();

        api.sfn.failStarts(null);
        ApiKit.Answer retried = keyed("order-1", transfer("u-1", "10"));

        assertThat(retried.status()).isEqualTo(202);
        assertThat(api.flows.get(id).accessToken()).contains(Secret.of("token-u-1"));
        assertThat(api.sfn.started()).containsExactly(id, id);
    }

    private ApiKit.Answer keyed(String key, String body) {
        return api.send(post("/v1/transfers", body).header("Idempotency-Key", key));
    }
}
