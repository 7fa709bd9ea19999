package io.scaflow.local.stack;

import io.scaflow.api.ApiHandler;
import io.scaflow.config.Env;
import io.scaflow.events.PublishStatusEventsHandler;
import io.scaflow.flow.CreateActionRequestHandler;
import io.scaflow.flow.ExecuteActionHandler;
import io.scaflow.flow.ExecutionEndedHandler;
import io.scaflow.flow.FlowServices;
import io.scaflow.flow.PollActionRequestHandler;
import io.scaflow.flow.RecordFailureHandler;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * scaflow's handlers, built with {@link FlowServices} from the local function's environment and clock (in AWS the
 * runtime calls their no-argument constructor, which reads the process environment). A handler class of the
 * template that is not listed here is built as the Java runtime builds it, with its public no-argument constructor.
 */
final class ProjectHandlers {

    private static final Map<String, Function<FlowServices, Object>> FACTORIES = Map.of(
            CreateActionRequestHandler.class.getName(), CreateActionRequestHandler::new,
            PollActionRequestHandler.class.getName(), PollActionRequestHandler::new,
            ExecuteActionHandler.class.getName(), ExecuteActionHandler::new,
            RecordFailureHandler.class.getName(), RecordFailureHandler::new,
            ExecutionEndedHandler.class.getName(), ExecutionEndedHandler::new,
            ApiHandler.class.getName(), ApiHandler::new);

    /** Handlers built from the function's environment alone (no {@link FlowServices}: they use no flow table). */
    private static final Map<String, Function<Env, Object>> FROM_ENVIRONMENT = Map.of(
            PublishStatusEventsHandler.class.getName(), PublishStatusEventsHandler::new);

    private ProjectHandlers() {
    }

    /** How to build the handler class {@code className} from its function's environment, if it is built so. */
    static Optional<Function<Env, Object>> environmentFactory(String className) {
        return Optional.ofNullable(FROM_ENVIRONMENT.get(className));
    }

    /** How to build the handler class {@code className} of the project, if it is one. */
    static Optional<Function<FlowServices, Object>> factory(String className) {
        return Optional.ofNullable(FACTORIES.get(className));
    }
}
