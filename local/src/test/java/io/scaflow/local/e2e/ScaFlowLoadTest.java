package io.scaflow.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.scaflow.local.sandbox.TransferRecord;
import io.scaflow.local.sandbox.UserPolicy;
import io.scaflow.store.Flow;
import io.scaflow.store.FlowStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/** 50 flows started at once through the SfnClient: every one ends, and each confirmed uid gets exactly one transfer. */
@Timeout(180)
class ScaFlowLoadTest {

    private static final int FLOWS = 50;
    private static final Duration MAX_RUN = Duration.ofSeconds(90);

    // default action request lifetime (60 s): under load no flow should expire
    @RegisterExtension
    static final E2eStack STACK = E2eStack.fast().sandbox(config -> config.withThreads(16)).waits(300L, 200L);
    private static final E2eDriver driver = STACK.driver();

    private record Run(String uid, String flowId, boolean rejects, String input) {
    }

    @Test
    void fiftyConcurrentFlowsAllEndAndEachConfirmedUidGetsOneTransfer() throws Exception {
        Random random = new Random(42);
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < FLOWS; i++) {
            String uid = driver.newUser("load" + i);
            boolean rejects = i % 5 == 4;
            long after = 100 + random.nextInt(701);
            driver.sandbox().setPolicy(uid, rejects ? UserPolicy.rejectAfter(after) : UserPolicy.confirmAfter(after));
            runs.add(new Run(uid, E2eDriver.newFlowId(), rejects, driver.input(uid, (10 + i) + ".25")));
        }

        ExecutorService pool = Executors.newFixedThreadPool(FLOWS);
        CountDownLatch go = new CountDownLatch(1);
        long started;
        Map<Run, String> arns = new HashMap<>();
        try {
            List<Future<String>> futures = new ArrayList<>();
            for (Run run : runs) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return driver.stack().sfn().startExecution(b -> b.stateMachineArn(driver.stack().stateMachineArn())
                            .name(run.flowId()).input(run.input())).executionArn();
                }));
            }
            started = System.nanoTime();
            go.countDown();
            for (int i = 0; i < runs.size(); i++) {
                arns.put(runs.get(i), futures.get(i).get());
            }
        } finally {
            pool.shutdown();
        }

        Map<Run, DescribeExecutionResponse> ends = new HashMap<>();
        long deadline = started + MAX_RUN.toNanos();
        while (ends.size() < runs.size()) {
            for (Run run : runs) {
                if (!ends.containsKey(run)) {
                    DescribeExecutionResponse d = driver.describe(arns.get(run));
                    if (d.status() != ExecutionStatus.RUNNING) {
                        ends.put(run, d);
                    }
                }
            }
            assertThat(System.nanoTime()).as("%d of %d executions ended within %s", ends.size(), runs.size(),
                    MAX_RUN).isLessThan(deadline);
            E2eDriver.sleep(200);
        }
        System.out.printf("load: %d flows ended in %d ms%n", FLOWS, (System.nanoTime() - started) / 1_000_000);

        Map<String, List<TransferRecord>> transfersByUid = driver.sandbox().transfers().stream()
                .collect(Collectors.groupingBy(TransferRecord::uid));
        int confirmed = 0;
        for (Run run : runs) {
            DescribeExecutionResponse end = ends.get(run);
            Flow flow = driver.flow(run.flowId());
            if (run.rejects()) {
                assertThat(end.status()).as(run.uid()).isEqualTo(ExecutionStatus.FAILED);
                assertThat(end.error()).as(run.uid()).isEqualTo("Scaflow.Rejected");
                assertThat(flow.status()).as(run.uid()).isEqualTo(FlowStatus.REJECTED);
                assertThat(transfersByUid.get(run.uid())).as(run.uid()).isNull();
            } else {
                confirmed++;
                assertThat(end.status()).as(run.uid() + " " + end.error() + " " + end.cause())
                        .isEqualTo(ExecutionStatus.SUCCEEDED);
                assertThat(flow.status()).as(run.uid()).isEqualTo(FlowStatus.SUCCEEDED);
                assertThat(transfersByUid.get(run.uid())).as(run.uid()).hasSize(1);
            }
            assertThat(flow.accessToken()).as(run.uid()).isEmpty();
            assertThat(flow.shortLivedToken()).as(run.uid()).isEmpty();
        }
        assertThat(confirmed).isEqualTo(40);
        assertThat(driver.sandbox().transfers()).hasSize(confirmed);
        // spot check: no secret in a few histories
        for (Run run : runs.subList(0, 5)) {
            driver.assertNoSecretInHistory(arns.get(run), run.uid());
        }
    }
}
