package io.scaflow.local.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scaflow.json.Json;
import java.util.Locale;

/**
 * The control API under {@code /sandbox}: the simulated user, users, policies, faults, records, reset.
 * Answers {@code {"data": ...}} or the error shape; never shows a short-lived token.
 */
final class ControlApi {

    static final String PREFIX = "/sandbox";

    private final ShineSandbox sandbox;

    ControlApi(ShineSandbox sandbox) {
        this.sandbox = sandbox;
    }

    static boolean owns(HttpCall call) {
        return call.path().equals(PREFIX) || call.path().startsWith(PREFIX + "/");
    }

    HttpAnswer handle(HttpCall call) {
        try {
            return route(call, call.segments());
        } catch (SandboxException e) {
            return HttpAnswer.error(e);
        }
    }

    private HttpAnswer route(HttpCall call, String[] s) {
        String method = call.method();
        String resource = s.length > 1 ? s[1] : "";
        switch (resource) {
            case "action_requests":
                if (s.length == 2) {
                    requireMethod(method, "GET");
                    return HttpAnswer.json(200, WireFormat.list(sandbox.actionRequests(status(call)),
                            r -> WireFormat.controlView(r, sandbox.now())));
                }
                if (s.length == 3) {
                    requireMethod(method, "GET");
                    ActionRequest request = sandbox.actionRequest(s[2])
                            .orElseThrow(() -> SandboxException.notFound("no action request with this id"));
                    return HttpAnswer.json(200, WireFormat.data(WireFormat.controlView(request, sandbox.now())));
                }
                if (s.length == 4 && (s[3].equals("confirm") || s[3].equals("reject"))) {
                    requireMethod(method, "POST");
                    ActionRequest request = s[3].equals("confirm") ? sandbox.confirm(s[2]) : sandbox.reject(s[2]);
                    return HttpAnswer.json(200, WireFormat.data(WireFormat.controlView(request, sandbox.now())));
                }
                break;
            case "users":
                if (s.length == 2) {
                    requireMethod(method, "POST");
                    return registerUser(call.json());
                }
                if (s.length == 4 && s[3].equals("policy")) {
                    requireMethod(method, "PUT");
                    UserPolicy policy = policy(call.json());
                    sandbox.setPolicy(s[2], policy);
                    return HttpAnswer.json(200, WireFormat.data(WireFormat.policy(s[2], policy)));
                }
                break;
            case "faults":
                if (s.length == 2) {
                    switch (method) {
                        case "POST":
                            Fault fault = fault(call.json());
                            sandbox.injectFault(fault);
                            return HttpAnswer.json(201, WireFormat.data(WireFormat.fault(fault)));
                        case "GET":
                            return HttpAnswer.json(200, WireFormat.list(sandbox.faults(), WireFormat::fault));
                        case "DELETE":
                            sandbox.clearFaults();
                            return HttpAnswer.noContent();
                        default:
                            throw methodNotAllowed(method);
                    }
                }
                break;
            case "calls":
                if (s.length == 2) {
                    requireMethod(method, "GET");
                    return HttpAnswer.json(200, WireFormat.list(sandbox.calls(), WireFormat::call));
                }
                break;
            case "transfers":
                if (s.length == 2) {
                    requireMethod(method, "GET");
                    return HttpAnswer.json(200, WireFormat.list(sandbox.transfers(), WireFormat::transferRecord));
                }
                break;
            case "reset":
                if (s.length == 2) {
                    requireMethod(method, "POST");
                    sandbox.reset();
                    return HttpAnswer.noContent();
                }
                break;
            default:
                break;
        }
        throw SandboxException.notFound("no such control endpoint");
    }

    private HttpAnswer registerUser(JsonNode body) {
        if (!body.isObject()) {
            throw SandboxException.badRequest("the body must be a JSON object");
        }
        String uid = TransferOrder.requiredText(body, "uid", "body");
        String accessToken = null;
        if (body.hasNonNull("accessToken")) {
            accessToken = TransferOrder.requiredText(body, "accessToken", "body");
        }
        String token = sandbox.registerUser(uid, accessToken);
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.put("uid", uid);
        data.put("accessToken", token);
        return HttpAnswer.json(201, WireFormat.data(data));
    }

    private static ActionRequestStatus status(HttpCall call) {
        String value = call.query("status");
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return ActionRequestStatus.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw SandboxException.badRequest("status must be one of PENDING, CONFIRMED, REJECTED");
        }
    }

    private static UserPolicy policy(JsonNode body) {
        if (!body.isObject()) {
            throw SandboxException.badRequest("the body must be a JSON object");
        }
        String behaviour = TransferOrder.requiredText(body, "behaviour", "body");
        UserPolicy.Behaviour value;
        try {
            value = UserPolicy.Behaviour.valueOf(behaviour.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw SandboxException.badRequest("behaviour must be one of MANUAL, CONFIRM, REJECT, NEVER");
        }
        return new UserPolicy(value, nonNegativeLong(body, "afterMs", 0));
    }

    private static Fault fault(JsonNode body) {
        if (!body.isObject()) {
            throw SandboxException.badRequest("the body must be a JSON object");
        }
        Endpoint endpoint = Endpoint.fromWireName(TransferOrder.requiredText(body, "endpoint", "body"));
        Fault.Kind kind = Fault.Kind.parse(TransferOrder.requiredText(body, "kind", "body"));
        int count = (int) Math.min(Integer.MAX_VALUE, nonNegativeLong(body, "count", 1));
        long retryAfter = nonNegativeLong(body, "retryAfterSeconds",
                kind == Fault.Kind.RATE_LIMIT || kind == Fault.Kind.RATE_LIMIT_HTTP_DATE ? 1 : 0);
        long delayMs = nonNegativeLong(body, "delayMs", kind == Fault.Kind.DELAY ? Fault.DEFAULT_DELAY_MS : 0);
        int status = (int) Math.min(Integer.MAX_VALUE, nonNegativeLong(body, "status", 0));
        Fault.Body answerBody = body.hasNonNull("body")
                ? Fault.Body.parse(TransferOrder.requiredText(body, "body", "body")) : null;
        int fractionDigits = (int) Math.min(Integer.MAX_VALUE, nonNegativeLong(body, "fractionDigits", 9));
        String offset = body.hasNonNull("offset") ? TransferOrder.requiredText(body, "offset", "body") : "Z";
        return new Fault(endpoint, kind, count, (int) Math.min(Integer.MAX_VALUE, retryAfter), delayMs, status,
                answerBody, fractionDigits, offset);
    }

    private static long nonNegativeLong(JsonNode body, String field, long fallback) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isIntegralNumber() || value.asLong() < 0) {
            throw SandboxException.badRequest("body." + field + " must be a non-negative integer");
        }
        return value.asLong();
    }

    private static void requireMethod(String method, String expected) {
        if (!expected.equals(method)) {
            throw methodNotAllowed(method);
        }
    }

    private static SandboxException methodNotAllowed(String method) {
        return new SandboxException(405, "METHOD_NOT_ALLOWED", "method " + method + " is not allowed here");
    }
}
