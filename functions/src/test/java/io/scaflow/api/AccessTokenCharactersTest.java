package io.scaflow.api;

import static io.scaflow.api.ApiKit.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.scaflow.json.Json;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The access token goes into an HTTP header ({@code Authorization: Bearer <token>}): it must be an RFC 6750
 * b64token, or it is refused with 400 naming {@code accessToken}, and the answer never quotes it.
 */
class AccessTokenCharactersTest {

    private final ApiKit api = new ApiKit();

    @ParameterizedTest
    @ValueSource(strings = {"tok\u0001en-PLANT", "tok\u007Fen-PLANT", "tok\u00e9n-PLANT", "tok\u2028en-PLANT",
            "token-PLANT\n", "token-PLANT\r", "\ttoken-PLANT", "tok=en-PLANT", "=token-PLANT", "tok,en-PLANT",
            "tok;en-PLANT", "tok\"en-PLANT", "tok:en-PLANT", "tok\\en-PLANT", "tok\u0000en-PLANT", "tok en-PLANT"})
    void aTokenThatIsNoBearerTokenIsRefusedAndNeverQuoted(String token) {
        ApiKit.Answer answer = api.send(post("/v1/transfers", body(token)));

        answer.assertProblem(400, "invalid-input", "accessToken");
        assertThat(answer.proxy().toString()).doesNotContain("PLANT");
        assertThat(answer.body().toString()).doesNotContain("PLANT");
        assertThat(api.dynamo.size()).isZero();
        assertThat(api.sfn.started()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Qwz", "A-Z.0_9~+/", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln", "base64/token+==",
            "x="})
    void everyRfc6750TokenIsAccepted(String token) {
        ApiKit.Answer answer = api.send(post("/v1/transfers", body(token)));

        assertThat(answer.status()).as(answer.proxy().toString()).isEqualTo(202);
        assertThat(answer.proxy().toString()).doesNotContain(token);
    }

    private static String body(String token) {
        return Json.MAPPER.valueToTree(Map.of("uid", "u-1", "amount", 10, "bankTransferRecipientId", "r-1",
                "accessToken", token)).toString();
    }
}
