package io.scaflow.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.scaflow.flow.FlowServices;
import io.scaflow.input.FieldError;
import io.scaflow.json.Json;
import io.scaflow.log.Log;
import io.scaflow.config.Env;
import io.scaflow.log.LogContext;
import io.scaflow.store.FlowError;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * The public API behind API Gateway (REST, proxy integration): {@code POST /v1/actions}, {@code POST /v1/transfers},
 * {@code GET} and {@code DELETE /v1/actions/{id}}, {@code POST /v1/actions/{id}/reconciliation} (an operator's).
 * Errors are RFC 9457 problem documents; see docs/api.md.
 */
public final class ApiHandler implements RequestStreamHandler {

    private static final Log LOG = Log.of(ApiHandler.class);
    private static final String ACTIONS = "/v1/actions";
    private static final String ACTION = "/v1/actions/{id}";
    private static final String TRANSFERS = "/v1/transfers";
    private static final String RECONCILIATION = "/v1/actions/{id}/reconciliation";

    private final ActionsApi api;
    private final ReconciliationApi reconciliations;
    private final LogContext.ColdStart coldStart = new LogContext.ColdStart();

    public ApiHandler() {
        this(ApiPrimer.registered(FlowServices.fromEnvironment()));   // SnapStart: io.scaflow.prime
    }

    public ApiHandler(FlowServices services) {
        this.api = new ActionsApi(services);
        this.reconciliations = new ReconciliationApi(services);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        try (LogContext.Scope scope = LogContext.begin(context, "ApiHandler", coldStart.next())) {
            Json.MAPPER.writeValue(output, respond(input).toProxyResult());
        }
    }

    /**
     * The answer to the event on {@code input}. An event that cannot be read or decoded gets a problem document
     * too (API Gateway never sends one, but nothing the caller sent may make the function fail).
     */
    ApiResponse respond(InputStream input) {
        JsonNode event;
        try {
            event = Json.MAPPER.readTree(input);
        } catch (IOException | RuntimeException e) {
            LOG.warn("unreadable event", "error", e.getClass().getSimpleName());
            return ApiResponse.problem(Problem.malformedBody("could not be read: the event is not JSON"), null);
        }
        if (event == null || !event.isObject()) {
            return ApiResponse.problem(Problem.notFound("path", "is not a route of this API"), null);
        }
        ApiRequest request;
        try {
            request = ApiRequest.from(event);
        } catch (Problem problem) {
            return ApiResponse.problem(problem, event.path("path").asText(""));
        }
        return handle(request);
    }

    /**
     * The answer to {@code request}: 403 first when it carries no IAM identity (whatever its route), then the route's
     * answer. Failures are logged by class and scrubbed text only ({@link FlowError#safeText}).
     */
    ApiResponse handle(ApiRequest request) {
        try {
            if (request.caller() == null) {
                LOG.warn("request without an IAM identity refused", "method", request.method(),
                        "resource", request.resource());
                throw Problem.forbidden();
            }
            return route(request);
        } catch (Problem problem) {
            return ApiResponse.problem(problem, request.path());
        } catch (RuntimeException e) {
            LOG.error("request failed", "method", request.method(), "resource", request.resource(),
                    "error", e.getClass().getName(), "detail", FlowError.safeText(e));
            return ApiResponse.problem(new Problem(500, "internal", "Internal error",
                    "the request could not be handled; retry it (with the same Idempotency-Key if it had one: without "
                            + "one a retry may start a second flow)"),
                    request.path());
        }
    }

    private ApiResponse route(ApiRequest request) {
        String resource = request.resource().isEmpty() ? resourceOf(request.path()) : request.resource();
        String method = request.method();
        return switch (resource) {
            case ACTIONS -> method.equals("POST") ? api.start(request, false) : notAllowed("POST");
            case TRANSFERS -> method.equals("POST") ? api.start(request, true) : notAllowed("POST");
            case ACTION -> switch (method) {
                case "GET" -> api.get(request.pathParameter("id").orElse(null), request.caller());
                case "DELETE" -> api.cancel(request.pathParameter("id").orElse(null), request.caller());
                default -> notAllowed("GET, DELETE");
            };
            case RECONCILIATION -> method.equals("POST") ? reconciliations.reconcile(request) : notAllowed("POST");
            default -> throw Problem.notFound("path", "is not a route of this API");
        };
    }

    private static ApiResponse notAllowed(String allow) {
        return ApiResponse.problem(new Problem(405, "method-not-allowed", "Method not allowed",
                "this resource accepts " + allow, List.of(new FieldError("method", "must be " + allow.replace(", ", " or ")))),
                null).withHeader("Allow", allow);
    }

    /** For events without {@code resource} (hand-written ones): the route template of a path. */
    private static String resourceOf(String path) {
        return path.matches("/v1/actions/[^/]+") ? ACTION
                : path.matches("/v1/actions/[^/]+/reconciliation") ? RECONCILIATION : path;
    }
}
