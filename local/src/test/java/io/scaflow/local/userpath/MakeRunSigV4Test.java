package io.scaflow.local.userpath;

import static io.scaflow.local.userpath.UserPaths.curl;
import static io.scaflow.local.userpath.UserPaths.freePort;
import static io.scaflow.local.userpath.UserPaths.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.json.Json;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code make run SIGV4=1 OPERATOR_PORT=N} as the README has it: an unsigned call is API Gateway's 403, the README's
 * curl with {@code --aws-sigv4} and the local credentials starts a transfer (202) and follows its {@code Location}
 * (200); the operator page is where the banner says, on the port given, and lists that flow.
 */
class MakeRunSigV4Test {

    private static final String SIGN = "aws:amz:eu-west-3:execute-api";

    @Test
    void signedCurlsStartAndFollowATransferAndTheOperatorPageListsIt() throws Exception {
        int apiPort = freePort();
        int operatorPort = freePort();
        String uid = "sigv4-" + UUID.randomUUID().toString().substring(0, 8);
        try (MakeTarget run = MakeTarget.start("run", List.of("SIGV4=1", "API_PORT=" + apiPort,
                "SANDBOX_PORT=" + freePort(), "OPERATOR_PORT=" + operatorPort), Map.of())) {
            run.awaitOutput("scaflow is running", Duration.ofMinutes(3));
            String page = "http://127.0.0.1:" + operatorPort + "/operator";
            assertThat(run.output()).contains("Operator page:  " + page, "SigV4 checked");
            String api = "http://127.0.0.1:" + apiPort + "/live";
            String body = "{\"uid\": \"" + uid + "\", \"amount\": 234.50, \"bankTransferRecipientId\": \"RECIPIENT_ID\", "
                    + "\"accessToken\": \"sandbox-access-token-" + uid + "\"}";

            HttpResponse<String> unsigned = send("POST", URI.create(api + "/v1/transfers"), body, Map.of());
            assertThat(unsigned.statusCode()).isEqualTo(403);
            assertThat(Json.MAPPER.readTree(unsigned.body()))
                    .isEqualTo(Json.MAPPER.readTree("{\"message\":\"Missing Authentication Token\"}"));

            // the README's curl, --aws-sigv4 and the local credentials added; -i to read the status and Location
            String started = curl("-i", "--aws-sigv4", SIGN, "--user", "testing:testing", "-X", "POST",
                    api + "/v1/transfers", "-H", "Content-Type: application/json", "-d", body);
            assertThat(started).as(started).startsWith("HTTP/1.1 202");
            Matcher location = Pattern.compile("(?im)^Location:\\s*(\\S+)").matcher(started);
            assertThat(location.find()).as(started).isTrue();
            String followed = curl("-i", "--aws-sigv4", SIGN, "--user", "testing:testing",
                    "http://127.0.0.1:" + apiPort + location.group(1));
            assertThat(followed).as(followed).startsWith("HTTP/1.1 200");
            JsonNode doc = Json.MAPPER.readTree(followed.substring(followed.indexOf("\r\n\r\n") + 4));
            String id = doc.path("id").asText();
            assertThat(location.group(1)).isEqualTo("/live/v1/actions/" + id);

            HttpResponse<String> html = send("GET", URI.create(page), null, Map.of());
            assertThat(html.statusCode()).isEqualTo(200);
            assertThat(html.body()).contains("/operator/api/flows");
            HttpResponse<String> flows = send("GET", URI.create(page + "/api/flows"), null, Map.of());
            assertThat(flows.statusCode()).isEqualTo(200);
            assertThat(Json.MAPPER.readTree(flows.body()).path("flows").findValuesAsText("id")).contains(id);
        }
    }
}
