package io.scaflow.local.bench;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * What the Lambda Java runtime does on a cold start, in a fresh JVM: load the handler class by name, call its
 * no-arg constructor (the real handlers build {@code FlowServices} from the process environment there), then call
 * {@code handleRequest} once with an event file. Run by {@link ColdStart} on the function's {@code sam build}
 * classpath plus this class alone; it uses nothing but the JDK and aws-lambda-java-core.
 *
 * <p>Arguments: handler class, event file. Prints one line on the original stdout:
 * {@code PROBE main=<epoch µs> loaded=<µs> constructed=<µs> invoked=<µs> ok=<true|false> <error or output length>}
 * (epoch microseconds, comparable with the parent's clock). The handler's own stdout goes to stderr.
 */
public final class ColdStartProbe {

    private ColdStartProbe() {
    }

    public static void main(String[] args) throws Exception {
        long main = micros();
        PrintStream result = System.out;
        System.setOut(System.err);
        String handlerClass = args[0];
        long loaded = 0;
        long constructed = 0;
        long invoked = 0;
        String detail;
        boolean ok = false;
        try {
            Class<?> type = Class.forName(handlerClass);
            loaded = micros();
            RequestStreamHandler handler = (RequestStreamHandler) type.getDeclaredConstructor().newInstance();
            constructed = micros();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (InputStream in = new FileInputStream(args[1])) {
                handler.handleRequest(in, out, new ProbeContext(handlerClass));
            }
            invoked = micros();
            ok = true;
            detail = out.toString(StandardCharsets.UTF_8).replace('\n', ' ');
        } catch (Throwable e) {
            Throwable cause = e.getCause() != null && e instanceof java.lang.reflect.InvocationTargetException
                    ? e.getCause() : e;
            detail = cause.getClass().getName() + ": " + String.valueOf(cause.getMessage()).replace('\n', ' ');
        }
        result.println("PROBE main=" + main + " loaded=" + loaded + " constructed=" + constructed + " invoked="
                + invoked + " ok=" + ok + " " + detail);
        result.flush();
        System.exit(ok ? 0 : 1);
    }

    private static long micros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    private record ProbeContext(String function) implements Context {
        @Override public String getAwsRequestId() { return "cold-start-probe"; }
        @Override public String getLogGroupName() { return "/aws/lambda/" + function; }
        @Override public String getLogStreamName() { return "probe"; }
        @Override public String getFunctionName() { return function; }
        @Override public String getFunctionVersion() { return "$LATEST"; }
        @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:eu-west-3:123456789012:function:" + function; }
        @Override public CognitoIdentity getIdentity() { return null; }
        @Override public ClientContext getClientContext() { return null; }
        @Override public int getRemainingTimeInMillis() { return 25_000; }
        @Override public int getMemoryLimitInMB() { return 1024; }
        @Override public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override public void log(String message) { System.err.print(message); }
                @Override public void log(byte[] message) { System.err.write(message, 0, message.length); }
            };
        }
    }
}
