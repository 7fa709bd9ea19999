package io.scaflow.local.stack;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import io.scaflow.local.emulator.LocalAws;
import java.time.Duration;
import java.util.UUID;

/** The {@link Context} handed to handlers: names, request id, remaining time from the function's Timeout. */
public final class LocalContext implements Context {
    private final String functionName;
    private final String requestId;
    private final String invokedArn;
    private final long deadlineMillis;

    LocalContext(String functionName, String requestId, String invokedArn, long deadlineMillis) {
        this.functionName = functionName;
        this.requestId = requestId;
        this.invokedArn = invokedArn;
        this.deadlineMillis = deadlineMillis;
    }

    /**
     * The context of an invocation of {@code functionName} with {@code remaining} left from now, as the local Lambda
     * service would give it: for tests that call a handler themselves.
     */
    public static Context remaining(String functionName, Duration remaining) {
        return new LocalContext(functionName, UUID.randomUUID().toString(), "arn:aws:lambda:" + LocalAws.REGION_ID
                + ":" + LocalAws.ACCOUNT_ID + ":function:" + functionName, System.currentTimeMillis()
                + remaining.toMillis());
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return "local";
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return invokedArn;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return (int) Math.max(0, deadlineMillis - System.currentTimeMillis());
    }

    @Override
    public int getMemoryLimitInMB() {
        return 1024;
    }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override
            public void log(String message) {
                System.out.print(message);
            }

            @Override
            public void log(byte[] message) {
                System.out.write(message, 0, message.length);
            }
        };
    }
}
