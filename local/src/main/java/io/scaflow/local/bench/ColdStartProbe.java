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
 * classpath plus this class alone; it uses nothing but the JDK and aws-lambda-java-core (the priming hooks are
 * reached by name).
 *
 * <p>Arguments: handler class, mode, event files. Mode {@code unprimed}: construct, then the first invocation, on
 * the first event. Mode {@code primed}, what a SnapStart user feels: construct, then the snapshot's work (the
 * handler's registered primers, {@code io.scaflow.prime.Priming.beforeCheckpoint}) and the restore's
 * ({@code afterRestore}), then the first invocation on the first event and one more invocation on each further
 * event (warm). Prints one line on the original stdout:
 * {@code PROBE main=<epoch µs> loaded=<µs> constructed=<µs> primed=<µs> restored=<µs> invoked=<µs>
 * warm=<µs,µs,...> cpu=<µs> ok=<true|false> <error or output>} (epoch microseconds, comparable with the parent's
 * clock; {@code cpu}: the process's CPU time, all threads, up to the line;
 * {@code primed} and {@code restored} equal {@code constructed} when unprimed; {@code warm} lists durations). The
 * handler's own stdout goes to stderr.
 */
public final class ColdStartProbe {

    private ColdStartProbe() {
    }

    public static void main(String[] args) throws Exception {
        long main = micros();
        PrintStream result = System.out;
        System.setOut(System.err);
        String handlerClass = args[0];
        boolean primed = args[1].equals("primed");
        long loaded = 0;
        long constructed = 0;
        long primedAt = 0;
        long restored = 0;
        long invoked = 0;
        StringBuilder warm = new StringBuilder();
        String detail;
        boolean ok = false;
        try {
            Class<?> type = Class.forName(handlerClass);
            loaded = micros();
            RequestStreamHandler handler = (RequestStreamHandler) type.getDeclaredConstructor().newInstance();
            constructed = micros();
            if (primed) {
                hook("beforeCheckpoint");
            }
            primedAt = micros();
            if (primed) {
                hook("afterRestore");
            }
            restored = micros();
            String out = invoke(handler, args[2], handlerClass);
            invoked = micros();
            for (int i = 3; i < args.length; i++) {
                long start = micros();
                invoke(handler, args[i], handlerClass);
                warm.append(warm.length() == 0 ? "" : ",").append(micros() - start);
            }
            ok = true;
            detail = out.replace('\n', ' ');
        } catch (Throwable e) {
            Throwable cause = e.getCause() != null && e instanceof java.lang.reflect.InvocationTargetException
                    ? e.getCause() : e;
            detail = cause.getClass().getName() + ": " + String.valueOf(cause.getMessage()).replace('\n', ' ');
        }
        long cpu = ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1_000).orElse(-1L);
        result.println("PROBE main=" + main + " loaded=" + loaded + " constructed=" + constructed + " primed="
                + primedAt + " restored=" + restored + " invoked=" + invoked + " warm=" + warm + " cpu=" + cpu
                + " ok=" + ok + " " + detail);
        result.flush();
        System.exit(ok ? 0 : 1);
    }

    private static String invoke(RequestStreamHandler handler, String event, String function) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = new FileInputStream(event)) {
            handler.handleRequest(in, out, new ProbeContext(function));
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** {@code io.scaflow.prime.Priming.<name>()}, when the handler's classpath has it (not hello world's). */
    private static void hook(String name) throws Exception {
        Class<?> priming;
        try {
            priming = Class.forName("io.scaflow.prime.Priming");
        } catch (ClassNotFoundException e) {
            return;
        }
        priming.getMethod(name).invoke(null);
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
