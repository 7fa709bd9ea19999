package io.scaflow.local.userpath;

import static io.scaflow.local.userpath.UserPaths.confirmAfter;
import static io.scaflow.local.userpath.UserPaths.freePort;
import static io.scaflow.local.userpath.UserPaths.json;
import static io.scaflow.local.userpath.UserPaths.send;
import static io.scaflow.local.userpath.UserPaths.transfersByUid;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.local.sandbox.SandboxConfig;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Many callers at once through the API of {@code make run} (its own process, its real ports): waves of 20 and 50
 * concurrent POSTs, with distinct Idempotency-Keys and with one shared key, then 200 flows started at once and
 * followed to their end. Every request answers (each call has a deadline), each shared key makes exactly one flow,
 * every flow ends SUCCEEDED with exactly one transfer at the sandbox, and the API still serves afterwards. Prints
 * flows/s and the p95 flow time (figures, not assertions).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiLoadTest {

    private static final Duration FOLLOW = Duration.ofMinutes(4);

    private static MakeTarget run;
    private static URI api;
    private static URI sandbox;

    @BeforeAll
    static void start() throws InterruptedException {
        int apiPort = freePort();
        int sandboxPort = freePort();
        run = MakeTarget.start("run", List.of("API_PORT=" + apiPort, "SANDBOX_PORT=" + sandboxPort,
                "OPERATOR_PORT=" + freePort()), Map.of());
        run.awaitOutput("scaflow is running", Duration.ofMinutes(3));
        api = URI.create("http://127.0.0.1:" + apiPort + "/live");
        sandbox = URI.create("http://127.0.0.1:" + sandboxPort);
    }

    @AfterAll
    static void stop() {
        if (run != null) {
            run.close();
        }
    }

    @Test
    @Order(1)
    void wavesOf20And50ConcurrentPostsEachMakeTheirFlowsAndASharedKeyMakesOne() throws Exception {
        for (int size : new int[] {20, 50}) {
            List<Call> distinct = wave(size, false);
            assertThat(distinct).allSatisfy(c -> assertThat(c.status).as(c.body).isEqualTo(202));
            assertThat(distinct.stream().map(c -> c.flowId).distinct()).hasSize(size);
            follow(distinct);

            List<Call> shared = wave(size, true);
            assertThat(shared).allSatisfy(c -> assertThat(c.status).as(c.body).isEqualTo(202));
            assertThat(shared.stream().map(c -> c.flowId).distinct()).as("one flow per Idempotency-Key").hasSize(1);
            follow(shared.subList(0, 1));
        }
    }

    @Test
    @Order(2)
    void twoHundredFlowsStartedAtOnceAllSucceedWithOneTransferEach() throws Exception {
        Instant began = Instant.now();
        List<Call> calls = wave(200, false);
        assertThat(calls).allSatisfy(c -> assertThat(c.status).as(c.body).isEqualTo(202));
        List<Duration> flowTimes = follow(calls);
        double seconds = Duration.between(began, Instant.now()).toMillis() / 1000.0;

        flowTimes.sort(null);
        Duration p95 = flowTimes.get((int) Math.ceil(flowTimes.size() * 0.95) - 1);
        System.out.printf("ApiLoadTest: 200 flows through make run's API in %.1f s: %.1f flows/s, p95 flow time"
                + " %.1f s (POST to SUCCEEDED)%n", seconds, 200 / seconds, p95.toMillis() / 1000.0);

        // still serving: one more flow from start to end
        follow(wave(1, false));
    }

    /** One POST's answer. */
    private record Call(String uid, int status, String body, String flowId) {
    }

    /** {@code size} POST /v1/transfers released at once (one uid each, or one uid and one key for all). */
    private static List<Call> wave(int size, boolean sharedKey) throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String sharedUid = "load-" + tag;
        List<String> uids = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            String uid = sharedKey ? sharedUid : "load-" + tag + "-" + i;
            uids.add(uid);
            if (!sharedKey || i == 0) {
                confirmAfter(sandbox, uid, 500);
            }
        }
        ExecutorService callers = Executors.newFixedThreadPool(size);
        try {
            CountDownLatch gate = new CountDownLatch(1);
            List<Future<Call>> futures = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                String uid = uids.get(i);
                String key = sharedKey ? "shared-" + tag : "key-" + tag + "-" + i;
                futures.add(callers.submit(() -> {
                    gate.await();
                    HttpResponse<String> answer = send("POST", URI.create(api + "/v1/transfers"),
                            "{\"uid\": \"" + uid + "\", \"amount\": 12.30, \"bankTransferRecipientId\": \"r-" + tag
                                    + "\", \"accessToken\": \"" + SandboxConfig.ACCESS_TOKEN_PREFIX + uid + "\"}",
                            Map.of("Idempotency-Key", key));
                    String id = answer.statusCode() == 202 ? json(answer).path("id").asText() : null;
                    return new Call(uid, answer.statusCode(), answer.body(), id);
                }));
            }
            gate.countDown();
            List<Call> calls = new ArrayList<>();
            for (Future<Call> future : futures) {
                calls.add(future.get(UserPaths.CALL_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS));
            }
            return calls;
        } finally {
            callers.shutdownNow();
        }
    }

    /**
     * Follows the flows (GET every second) until each has ended; asserts SUCCEEDED and one transfer per uid; gives
     * each flow's time from createdAt to its last update.
     */
    private static List<Duration> follow(List<Call> calls) throws InterruptedException {
        Map<String, String> uidByFlow = new HashMap<>();
        calls.forEach(c -> uidByFlow.put(c.flowId, c.uid));
        Set<String> open = new HashSet<>(uidByFlow.keySet());
        Map<String, JsonNode> ended = new HashMap<>();
        Instant deadline = Instant.now().plus(FOLLOW);
        while (!open.isEmpty() && Instant.now().isBefore(deadline)) {
            for (String id : List.copyOf(open)) {
                HttpResponse<String> answer = send("GET", URI.create(api + "/v1/actions/" + id), null, Map.of());
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                JsonNode doc = json(answer);
                if (doc.path("ended").asBoolean(false)) {
                    ended.put(id, doc);
                    open.remove(id);
                }
            }
            Thread.sleep(1000);
        }
        assertThat(open).as("flows not ended within " + FOLLOW).isEmpty();
        assertThat(ended.values()).allSatisfy(doc ->
                assertThat(doc.path("status").asText()).as(doc.toString()).isEqualTo("SUCCEEDED"));
        Map<String, Integer> transfers = transfersByUid(sandbox);
        uidByFlow.values().forEach(uid -> assertThat(transfers.get(uid)).as("transfers of " + uid).isEqualTo(1));
        List<Duration> times = new ArrayList<>();
        ended.values().forEach(doc -> times.add(Duration.between(Instant.parse(doc.path("createdAt").asText()),
                Instant.parse(doc.path("updatedAt").asText()))));
        return times;
    }
}
