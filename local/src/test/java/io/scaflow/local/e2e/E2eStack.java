package io.scaflow.local.e2e;

import io.scaflow.local.sandbox.SandboxConfig;
import io.scaflow.local.stack.LocalDeployment;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One local stack for a whole end-to-end test class, with the state machine's waits and retry intervals cut short:
 * started before the class's first test, closed after its last, the sandbox's injected faults cleared after each
 * test. A class declares it and drives its flows through {@link #driver()}:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final E2eStack STACK = E2eStack.fast().parameters(Map.of("ShineExecuteTimeoutMs", "5000"));
 * private static final E2eDriver driver = STACK.driver();
 * }</pre>
 */
final class E2eStack implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    private final Map<String, String> parameters;
    private final SandboxConfig sandboxConfig;
    private final long waitMs;
    private final long retryMs;
    private final E2eDriver driver = new E2eDriver(this::deployment);
    private LocalDeployment deployment;

    private E2eStack(Map<String, String> parameters, SandboxConfig sandboxConfig, long waitMs, long retryMs) {
        this.parameters = parameters;
        this.sandboxConfig = sandboxConfig;
        this.waitMs = waitMs;
        this.retryMs = retryMs;
    }

    /** The template's defaults, a sandbox on a free port, waits of 200 ms and retry intervals of 100 ms. */
    static E2eStack fast() {
        return new E2eStack(Map.of(), SandboxConfig.defaults().withPort(0), 200L, 100L);
    }

    /** The same stack with these template parameters overridden (e.g. {@code ShineExecuteTimeoutMs}). */
    E2eStack parameters(Map<String, String> overrides) {
        return new E2eStack(overrides, sandboxConfig, waitMs, retryMs);
    }

    /** The same stack with its sandbox configured further (lifetime of action requests, threads, credentials). */
    E2eStack sandbox(UnaryOperator<SandboxConfig> change) {
        return new E2eStack(parameters, change.apply(sandboxConfig), waitMs, retryMs);
    }

    /** The same stack with the waits (WaitForUser, WaitForRetryAfter) and the retry intervals cut to these. */
    E2eStack waits(long waitMillis, long retryMillis) {
        return new E2eStack(parameters, sandboxConfig, waitMillis, retryMillis);
    }

    /** Drives flows on this stack; usable once the class's tests run. */
    E2eDriver driver() {
        return driver;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        deployment = LocalDeployment.start(parameters, Optional.empty(), sandboxConfig);
        deployment.stepFunctions().overrideWaitTimes(Map.of("WaitForUser", waitMs, "WaitForRetryAfter", waitMs));
        deployment.stepFunctions().overrideRetryIntervals(Map.of("CreateActionRequest", retryMs,
                "PollActionRequest", retryMs, "ExecuteAction", retryMs, "RecordFailure", retryMs));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (deployment != null) {
            deployment.sandbox().ifPresent(sandbox -> sandbox.clearFaults());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (deployment != null) {
            deployment.close();
            deployment = null;
        }
    }

    private LocalDeployment deployment() {
        if (deployment == null) {
            throw new IllegalStateException("the stack runs only while the test class runs (@RegisterExtension)");
        }
        return deployment;
    }
}
