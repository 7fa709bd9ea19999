package io.scaflow.local.stack;

import com.amazonaws.services.lambda.runtime.Context;
import io.scaflow.config.Env;
import io.scaflow.flow.FlowServices;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One template function hosted in this JVM: its definition, its resolved environment, its invocation counter, and
 * its handler, loaded on the first invocation from the template's {@code Handler} ({@code class::method}): the
 * project's handlers from {@link ProjectHandlers} (with {@link FlowServices} built from the function's environment),
 * any other class with its public no-argument constructor, as the Java runtime does.
 */
final class HostedFunction {
    final SamTemplate.Function definition;
    final Env env;
    final AtomicLong invocations = new AtomicLong();
    private volatile Handler handler;

    HostedFunction(SamTemplate.Function definition, Env env) {
        this.definition = definition;
        this.env = env;
    }

    boolean acceptsQualifier(String qualifier) {
        return qualifier == null || qualifier.equals("$LATEST") || qualifier.equals(definition.autoPublishAlias())
                || qualifier.chars().allMatch(Character::isDigit);
    }

    /** The handler, loaded and constructed on first use; a failed init is tried again next time, as in Lambda. */
    Handler handler(Clock clock) throws InitFailure {
        Handler current = handler;
        if (current == null) {
            synchronized (this) {
                if (handler == null) {
                    handler = load(clock);
                }
                current = handler;
            }
        }
        return current;
    }

    private Handler load(Clock clock) throws InitFailure {
        String className = definition.handlerClass();
        String methodName = definition.handlerMethod();
        Class<?> type;
        try {
            type = Class.forName(className, true, HostedFunction.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new InitFailure(ClassNotFoundException.class.getName(), "Class not found: " + className);
        } catch (LinkageError e) {
            throw new InitFailure(e.getClass().getName(), "Error loading class " + className + ": " + e.getMessage());
        }
        Method method = findMethod(type, methodName);
        if (method == null) {
            throw new InitFailure(NoSuchMethodException.class.getName(), "No public method named " + methodName
                    + " with appropriate method signature found on class " + className);
        }
        Object instance = Modifier.isStatic(method.getModifiers()) ? null : instantiate(type, clock);
        boolean withContext = method.getParameterCount() == 3;
        return (in, out, context) -> {
            if (withContext) {
                method.invoke(instance, in, out, context);
            } else {
                method.invoke(instance, in, out);
            }
        };
    }

    private Object instantiate(Class<?> type, Clock clock) throws InitFailure {
        try {
            Optional<Function<Env, Object>> fromEnvironment =
                    ProjectHandlers.environmentFactory(type.getName());
            if (fromEnvironment.isPresent()) {
                return fromEnvironment.get().apply(env);
            }
            Optional<Function<FlowServices, Object>> project = ProjectHandlers.factory(type.getName());
            if (project.isPresent()) {
                return project.get().apply(FlowServices.create(env, clock));
            }
            return type.getConstructor().newInstance();
        } catch (NoSuchMethodException e) {
            throw new InitFailure(NoSuchMethodException.class.getName(), "Class " + type.getName()
                    + " has no public zero-argument constructor");
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new InitFailure(cause.getClass().getName(), "Error loading class " + type.getName() + ": "
                    + message(cause));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new InitFailure(e.getClass().getName(), "Error loading class " + type.getName() + ": " + message(e));
        }
    }

    private static Method findMethod(Class<?> type, String name) {
        for (Class<?>[] signature : new Class<?>[][] {
                {InputStream.class, OutputStream.class, Context.class}, {InputStream.class, OutputStream.class}}) {
            try {
                return type.getMethod(name, signature);
            } catch (NoSuchMethodException e) {
                // next signature
            }
        }
        return null;
    }

    /** Runs one invocation on this thread: the handler's output, or the error the Java runtime would report. */
    Outcome run(byte[] input, String requestId, String invokedArn, Clock clock) {
        Handler current;
        try {
            current = handler(clock);
        } catch (InitFailure e) {
            return Outcome.failure(e.errorType, e.getMessage());
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        long deadline = System.currentTimeMillis() + definition.timeoutSeconds() * 1000L;
        Context context = new LocalContext(definition.logicalId(), requestId, invokedArn, deadline);
        try {
            current.invoke(new ByteArrayInputStream(input), output, context);
            return Outcome.success(output.toByteArray());
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return Outcome.failure(cause.getClass().getName(), message(cause));
        } catch (IllegalAccessException | RuntimeException e) {
            return Outcome.failure(e.getClass().getName(), message(e));
        }
    }

    static String message(Throwable t) {
        return t.getMessage() == null ? t.getClass().getName() : t.getMessage();
    }

    /**
     * An invocation's result: the output, or the error type and message (and, from the runtime client, the error
     * document as the runtime posted it, which the Invoke API passes on as is).
     */
    record Outcome(byte[] output, String errorType, String errorMessage, byte[] errorPayload) {
        static Outcome success(byte[] output) {
            return new Outcome(output, null, null, null);
        }

        static Outcome failure(String type, String message) {
            return new Outcome(null, type, message, null);
        }

        static Outcome failure(String type, String message, byte[] payload) {
            return new Outcome(null, type, message, payload);
        }
    }

    /** A failure to load or construct the handler, reported as the Java runtime does. */
    private static final class InitFailure extends Exception {
        final String errorType;

        InitFailure(String errorType, String message) {
            super(message, null, false, false);
            this.errorType = errorType;
        }
    }

    private interface Handler {
        void invoke(InputStream in, OutputStream out, Context context) throws InvocationTargetException,
                IllegalAccessException;
    }
}
