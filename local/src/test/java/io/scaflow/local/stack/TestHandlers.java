package io.scaflow.local.stack;

import com.amazonaws.services.lambda.runtime.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Handlers for LocalLambdaService tests: no-arg constructors, no FlowServices. */
public final class TestHandlers {

    private TestHandlers() {
    }

    /** Echoes the input with the function name and remaining time; sleeps when the input says "sleep". */
    public static final class Echo {
        public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
            String input = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (input.contains("sleep")) {
                try {
                    Thread.sleep(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            out.write(("{\"function\":\"" + context.getFunctionName() + "\",\"remainingMs\":"
                    + context.getRemainingTimeInMillis() + ",\"input\":" + input + "}").getBytes(StandardCharsets.UTF_8));
        }
    }
}
