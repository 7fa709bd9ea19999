package io.scaflow.local.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {

    private ShineSandbox sandbox;
    private SandboxHttp http;
    private ExecutorService pool;

    @BeforeEach
    void start() {
        sandbox = ShineSandbox.start(SandboxConfig.defaults().withPort(0));
        http = new SandboxHttp(sandbox);
        pool = Executors.newFixedThreadPool(8);
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
        sandbox.close();
    }

    @Test
    void concurrentFlowsWithAnAutomaticUser() throws Exception {
        sandbox.setPolicy(SandboxHttp.UID, UserPolicy.confirmAfter(100));
        List<Future<Integer>> flows = new ArrayList<>();
        for (int i = 1; i <= 16; i++) {
            String amount = i + ".25";
            flows.add(pool.submit(() -> {
                String id = http.createdId(amount);
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (System.nanoTime() < deadline) {
                    SandboxHttp.Reply polled = http.poll(id);
                    if (polled.data().get("status").asText().equals("CONFIRMED")) {
                        return http.transfer(polled.data().get("token").asText(), amount).status();
                    }
                    Thread.sleep(20);
                }
                return -1;
            }));
        }
        for (Future<Integer> flow : flows) {
            assertThat(flow.get()).isEqualTo(201);
        }
        assertThat(sandbox.transfers()).hasSize(16);
        assertThat(sandbox.transfers()).extracting(TransferRecord::actionRequestId).doesNotHaveDuplicates();
    }

    @Test
    void aTokenSpentConcurrentlyPaysOnce() throws Exception {
        String token = http.confirmedToken("234");
        CountDownLatch go = new CountDownLatch(1);
        List<Callable<Integer>> attempts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            attempts.add(() -> {
                go.await();
                return http.transfer(token, "234").status();
            });
        }
        List<Future<Integer>> results = new ArrayList<>();
        attempts.forEach(a -> results.add(pool.submit(a)));
        go.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> result : results) {
            statuses.add(result.get());
        }
        assertThat(statuses).containsOnlyOnce(201).containsOnly(201, 403);
        assertThat(sandbox.transfers()).hasSize(1);
    }
}
