package io.scaflow.local.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One test's run of the step handlers: a {@link FlowHarness} started with the test's environment, its
 * {@link FlowSteps} for one uid, and the secrets that must appear in no step output, no log line and no other text the
 * test met. After the test it checks that, then closes the harness. A test class declares
 * {@code @RegisterExtension final StepsRun run = new StepsRun("user-42");} and each test calls {@link #start}.
 */
final class StepsRun implements AfterEachCallback {

    private final String uid;
    private final List<String> secrets = new ArrayList<>();
    private final List<String> seen = new ArrayList<>();
    private FlowHarness harness;
    private FlowSteps steps;

    StepsRun(String uid) {
        this.uid = uid;
    }

    /**
     * Starts the harness; the sandbox's client secret and the uid's access token are secrets from here on. A second
     * start (a test that needs another environment than its class's) checks the first harness as the end of the
     * test would, then closes it.
     */
    FlowSteps start(Map<String, String> env) {
        if (harness != null) {
            checkAndClose();
        }
        harness = new FlowHarness(env);
        steps = new FlowSteps(harness, uid);
        secret(harness.sandbox.clientSecret());
        secret(harness.sandbox.accessTokenOf(uid));
        return steps;
    }

    /** One more text that no output and no log line may contain (a short-lived token, a planted token). */
    void secret(String secret) {
        secrets.add(secret);
    }

    /** A text the test met besides outputs and log lines (an exception's messages, a stored error): no secret in it. */
    void seen(String text) {
        seen.add(text);
    }

    /** A CONFIRMED flow ({@link FlowSteps#confirmedFlow}) whose short-lived token is a secret from here on. */
    String confirmedFlow(String amount) {
        String flowId = steps.confirmedFlow(amount);
        secret(steps.flow(flowId).shortLivedToken().orElseThrow().reveal());
        return flowId;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (harness != null) {
            checkAndClose();
        }
    }

    private void checkAndClose() {
        try {
            String everything = steps.outputs + "\n" + seen + "\n" + harness.logs();
            for (String secret : secrets) {
                assertThat(everything).doesNotContain(secret);
            }
        } finally {
            harness.close();
            harness = null;
        }
    }
}
