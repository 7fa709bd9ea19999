package io.scaflow.local.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The sandbox's page playing the user's Shine app, in a real headless Chromium: it lists the pending action
 * requests, and its Confirm and Reject buttons answer them. Skipped when /usr/bin/chromium is missing
 * ({@code make browser} installs it; {@code make test} runs that first).
 */
class AppPageBrowserTest extends SandboxTestBase {


    @Test
    void servesThePageWithoutExternalResources() throws Exception {
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(sandbox.baseUrl() + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
        assertThat(page.body()).contains("Confirm", "Reject", "/sandbox/action_requests").doesNotContain("http://", "https://");
        assertThat(sandbox.calls()).isEmpty();
    }

    @Test
    void confirmAndRejectInTheBrowser() throws Exception {
        assumeTrue(HeadlessChromium.available(), "no " + HeadlessChromium.BINARY + ": run make browser");
        String toConfirm = http.createdId("234.50");
        String toReject = http.createdId("12.30");
        try (HeadlessChromium chromium = HeadlessChromium.open(sandbox.baseUrl() + "/")) {
            JsonNode rows = chromium.waitFor("[...document.querySelectorAll('#pending tbody tr')]"
                            + ".map(r => r.dataset.id + ' ' + r.cells[0].textContent + ' ' + r.cells[1].textContent"
                            + " + ' ' + r.cells[2].textContent)",
                    v -> v.size() == 2, Duration.ofSeconds(10));
            assertThat(rows.get(0).asText()).isEqualTo(toConfirm + " 234.50 \u20ac " + SandboxHttp.RECIPIENT + " "
                    + SandboxHttp.UID);
            assertThat(rows.get(1).asText()).startsWith(toReject + " 12.30 \u20ac");
            Path screenshot = Path.of("target", "sandbox-app-pending.png");
            chromium.screenshot(screenshot);
            assertThat(Files.size(screenshot)).isGreaterThan(1000);

            chromium.evaluate("document.querySelector('button.confirm[data-id=\"" + toConfirm + "\"]').click()");
            chromium.waitFor("[...document.querySelectorAll('#answered tbody tr')].map(r => r.dataset.id + ' '"
                    + " + r.cells[3].textContent)", v -> v.size() == 1, Duration.ofSeconds(10));
            assertThat(sandbox.actionRequest(toConfirm).orElseThrow().status()).isEqualTo(ActionRequestStatus.CONFIRMED);
            assertThat(sandbox.actionRequest(toReject).orElseThrow().status()).isEqualTo(ActionRequestStatus.PENDING);

            chromium.evaluate("document.querySelector('button.reject[data-id=\"" + toReject + "\"]').click()");
            JsonNode answered = chromium.waitFor("[...document.querySelectorAll('#answered tbody tr')]"
                    + ".map(r => r.dataset.id + ' ' + r.cells[3].textContent)", v -> v.size() == 2,
                    Duration.ofSeconds(10));
            assertThat(answered).extracting(JsonNode::asText)
                    .containsExactlyInAnyOrder(toConfirm + " CONFIRMED", toReject + " REJECTED");
            assertThat(sandbox.actionRequest(toReject).orElseThrow().status()).isEqualTo(ActionRequestStatus.REJECTED);
            assertThat(chromium.evaluate("document.getElementById('none').hidden").asBoolean()).isFalse();
            chromium.screenshot(Path.of("target", "sandbox-app-answered.png"));
        }
    }
}
