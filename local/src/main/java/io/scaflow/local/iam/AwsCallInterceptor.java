package io.scaflow.local.iam;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.json.Json;
import java.util.Locale;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * The SDK execution interceptor of the local stack: registered for every client of the JVM through the SDK's
 * global interceptor list ({@code software/amazon/awssdk/global/handlers/execution.interceptors}), which only the
 * local module ships: the functions' deployed artifact (sam build of {@code functions/}) has no such file.
 *
 * <p>Once a request is signed it reads the SigV4 credential scope of its {@code Authorization} header
 * ({@code Credential=KEY/DATE/REGION/SERVICE/aws4_request}): the key id names the principal
 * ({@link AwsCallRecorder#principal}), the service its IAM prefix. When the call has ended (answered or failed)
 * it records the IAM action ({@code prefix:Operation}), the resources as IAM sees them ({@link CallResources}) and
 * the request's condition keys. Calls with a key of no principal are not recorded. No request or answer body is
 * written, only names, ARNs and encryption contexts.
 */
public final class AwsCallInterceptor implements ExecutionInterceptor {

    private static final ExecutionAttribute<String[]> SCOPE = new ExecutionAttribute<>("scaflow.sigv4-scope");

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (!AwsCallRecorder.enabled()) {
            return;
        }
        context.httpRequest().firstMatchingHeader("Authorization").flatMap(AwsCallInterceptor::scope)
                .ifPresent(scope -> attributes.putAttribute(SCOPE, scope));
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        record(context.request(), Optional.of(context.response()), "ok", attributes);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        Throwable error = context.exception();
        // A service's error is an answer (IAM judged the call); anything else (a connection failure, a timeout) is
        // no answer: "unanswered:", which iam-check counts but does not judge.
        String outcome = error instanceof AwsServiceException service && service.awsErrorDetails() != null
                ? "error:" + service.awsErrorDetails().errorCode() : "unanswered:" + error.getClass().getSimpleName();
        record(context.request(), context.response(), outcome, attributes);
    }

    /** {@code [keyId, region, service]} of {@code AWS4-HMAC-SHA256 Credential=KEY/DATE/REGION/SERVICE/aws4_request, ...}. */
    static Optional<String[]> scope(String authorization) {
        int start = authorization.indexOf("Credential=");
        if (start < 0) {
            return Optional.empty();
        }
        int end = authorization.indexOf(',', start);
        String[] parts = authorization.substring(start + "Credential=".length(), end < 0 ? authorization.length() : end)
                .trim().split("/");
        return parts.length < 4 ? Optional.empty() : Optional.of(new String[] {parts[0], parts[2], parts[3]});
    }

    private static void record(SdkRequest request, Optional<? extends SdkResponse> response, String outcome,
                               ExecutionAttributes attributes) {
        String[] scope = attributes.getAttribute(SCOPE);
        if (scope == null) {
            return;
        }
        Optional<AwsCallRecorder.Principal> principal = AwsCallRecorder.principalOf(scope[0]);
        if (principal.isEmpty()) {
            return;
        }
        String service = scope[2].toLowerCase(Locale.ROOT);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        CallResources resources = new CallResources(service, operation, scope[1], principal.get().account(),
                request, response);
        ObjectNode line = Json.MAPPER.createObjectNode().put("type", "call")
                .put("deployment", principal.get().deployment()).put("principal", principal.get().logicalId())
                .put("service", service).put("action", service + ":" + operation);
        resources.arns().forEach(line.putArray("resources")::add);
        ObjectNode keys = line.putObject("context");
        resources.conditionKeys().forEach(keys::put);
        line.put("outcome", outcome);
        AwsCallRecorder.write(line);
    }
}
