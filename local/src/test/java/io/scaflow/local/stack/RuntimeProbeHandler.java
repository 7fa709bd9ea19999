package io.scaflow.local.stack;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A handler for the runtime client's tests, run from a folder of its own (no scaflow class, no Jackson: the JDK and
 * aws-lambda-java-core only). Input {@code {"sleepMs": N}} sleeps, {@code "fail"} throws, {@code "exit"} ends the
 * JVM; otherwise it answers what it sees: the Context, its JVM and environment.
 */
public final class RuntimeProbeHandler implements RequestStreamHandler {

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) throws IOException {
        String input = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        long sleep = number(input, "sleepMs");
        if (sleep > 0) {
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (input.contains("\"fail\"")) {
            throw new IllegalStateException("the probe failed as asked");
        }
        long exit = number(input, "exit");
        if (exit > 0) {
            System.exit((int) exit);
        }
        System.out.println("probe invoked " + context.getAwsRequestId());
        String json = "{" + field("requestId", context.getAwsRequestId()) + ","
                + field("functionName", context.getFunctionName()) + ","
                + field("invokedArn", context.getInvokedFunctionArn()) + ","
                + "\"remainingMs\":" + context.getRemainingTimeInMillis() + ","
                + "\"memoryLimitMb\":" + context.getMemoryLimitInMB() + ","
                + "\"maxHeapBytes\":" + Runtime.getRuntime().maxMemory() + ","
                + "\"pid\":" + ProcessHandle.current().pid() + ","
                + field("workingDir", System.getProperty("user.dir")) + ","
                + field("traceHeader", System.getProperty("com.amazonaws.xray.traceHeader")) + ","
                + field("greeting", System.getenv("GREETING")) + ","
                + field("executionEnv", System.getenv("AWS_EXECUTION_ENV")) + ","
                + field("handlerEnv", System.getenv("_HANDLER")) + ","
                + field("nativeLibrary", System.getProperty(
                        "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI")) + "}";
        out.write(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String field(String name, String value) {
        return "\"" + name + "\":" + (value == null ? "null" : "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
    }

    private static long number(String input, String name) {
        int at = input.indexOf("\"" + name + "\"");
        if (at < 0) {
            return 0;
        }
        String rest = input.substring(input.indexOf(':', at) + 1).trim();
        int end = 0;
        while (end < rest.length() && Character.isDigit(rest.charAt(end))) {
            end++;
        }
        return end == 0 ? 0 : Long.parseLong(rest.substring(0, end));
    }
}
