package io.scaflow.flow;

import io.scaflow.log.Log;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;

/**
 * Starts and stops the SCA state machine's executions. An execution is named by its flow id, so starting a flow
 * twice never runs it twice: Step Functions returns the running execution, or refuses a name already used.
 */
public final class FlowExecutions {

    private static final Log LOG = Log.of(FlowExecutions.class);
    /** The execution input of a flow recorded before its execution: the flow item holds everything. */
    private static final String INPUT = "{}";

    private final SfnClient sfn;
    private final String stateMachineArn;

    public FlowExecutions(SfnClient sfn, String stateMachineArn) {
        this.sfn = sfn;
        this.stateMachineArn = stateMachineArn;
    }

    /** Starts the flow's execution unless it already exists (running or ended). */
    public void start(String flowId) {
        try {
            sfn.startExecution(b -> b.stateMachineArn(stateMachineArn).name(flowId).input(INPUT));
            LOG.info("execution started", "flowId", flowId);
        } catch (ExecutionAlreadyExistsException e) {
            LOG.info("execution already exists", "flowId", flowId);
        }
    }

    /** Stops the flow's execution if it is running. */
    public void stop(String flowId, String reason) {
        try {
            sfn.stopExecution(b -> b.executionArn(executionArn(flowId)).error("Scaflow.Cancelled").cause(reason));
        } catch (ExecutionDoesNotExistException e) {
            LOG.info("no execution to stop", "flowId", flowId);
        }
    }

    /** {@code arn:...:stateMachine:NAME} → {@code arn:...:execution:NAME:flowId}. */
    String executionArn(String flowId) {
        return stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + flowId;
    }
}
