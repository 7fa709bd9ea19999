// Nested executions for the local Step Functions runner (sfn-runner.mjs): the Task resources
// arn:aws:states:::states:startExecution, .sync and .sync:2, which aws-local-stepfunctions 3.0.0 does not run
// (it sends every Task to Lambda). Each such Task gets a local handler (the library's taskResourceLocalHandlers)
// that asks the Java side to start the child, which then arrives as an ordinary "start" command carrying the
// request's id and runs in this same process, with its own execution record on the Java side.
//
// What the parent sees, as in AWS:
//   startExecution          {ExecutionArn, StartDate} at once (StartDate in epoch milliseconds);
//   startExecution.sync     once the child has ended, its DescribeExecution answer in PascalCase, Input and Output
//                           as JSON text;
//   startExecution.sync:2   the same with Input and Output as JSON values;
//   a child that did not succeed fails the Task with States.TaskFailed, its Cause that answer as JSON (Status,
//   Error, Cause of the child); a start the Java side refuses fails it with StepFunctions.<Code>Exception.
// History of the parent: TaskSubmitted (the StartExecution answer) once the child runs, TaskSucceeded (the answer
// above) when it succeeded; a failure is the library's StateFailed, marked with the resource so that the Java side
// records TaskFailed. If the Task's TimeoutSeconds runs out first, the child is stopped (the Java side stops the
// children of a stopped or ended parent itself).
//
// Messages to the Java side: {"type":"startChild", "requestId", "parentExecutionId", "stateMachineArn", "name"?,
// "input", "managed"} and {"type":"stopChild", "executionId", "error", "cause"}. Its answers: a "start" command with the
// same "requestId", or {"type":"childRefused", "requestId", "error", "cause"}.

const PREFIX = 'arn:aws:states:::states:';
const MODES = {
  startExecution: 'request',
  'startExecution.sync': 'sync',
  'startExecution.sync:2': 'sync2',
};

/** The nested-execution integration of a Task state ({resource, mode}), or null. */
export function integrationOf(state) {
  if (state?.Type !== 'Task' || typeof state.Resource !== 'string' || !state.Resource.startsWith(PREFIX)) {
    return null;
  }
  const resource = state.Resource.slice(PREFIX.length);
  return MODES[resource] ? { resource, mode: MODES[resource] } : null;
}

/** State name -> resource ("startExecution.sync:2") for the nested-execution Tasks of a definition's top level. */
export function integrationStates(definition) {
  const states = {};
  for (const [name, state] of Object.entries(definition.States ?? {})) {
    const found = integrationOf(state);
    if (found) states[name] = found.resource;
  }
  return states;
}

/**
 * @param send      writes one protocol message to the Java side
 * @param taskError builds an Error named as Step Functions names it (Error, Cause)
 */
export function nestedExecutions({ send, taskError }) {
  /** requestId -> {resolve, reject}: children asked for, not started yet */
  const pending = new Map();
  let sequence = 0;

  function event(parentId, stateName, type, resource, output) {
    send({
      type: 'event',
      executionId: parentId,
      event: {
        type,
        timestamp: Date.now(),
        state: { name: stateName, type: 'Task' },
        resourceType: 'states',
        resource,
        output: JSON.stringify(output),
      },
    });
  }

  /** The child's DescribeExecution answer as .sync (JSON text) or .sync:2 (JSON values) gives it, keys sorted. */
  function describe(child, outcome, asValues) {
    const data = (value) => (asValues ? value : JSON.stringify(value));
    const answer = {
      ExecutionArn: child.executionArn,
      Input: data(child.input),
      InputDetails: { Included: true },
      Name: child.name,
    };
    if (outcome.status === 'SUCCEEDED') {
      answer.Output = data(outcome.output ?? null);
      answer.OutputDetails = { Included: true };
    }
    answer.StartDate = child.startDate;
    answer.StateMachineArn = child.stateMachineArn;
    answer.Status = outcome.status;
    answer.StopDate = outcome.stopDate;
    if (outcome.error !== undefined && outcome.error !== null) answer.Error = outcome.error;
    if (outcome.cause !== undefined && outcome.cause !== null) answer.Cause = outcome.cause;
    const sorted = {};
    for (const key of Object.keys(answer).sort()) sorted[key] = answer[key];
    return sorted;
  }

  async function run(parentId, stateName, state, { resource, mode }, parameters) {
    const params = parameters ?? {};
    let input = params.Input ?? {};
    if (typeof input === 'string') {
      try {
        input = JSON.parse(input);
      } catch (e) {
        throw taskError('StepFunctions.InvalidExecutionInputException',
          `Invalid State Machine Execution Input: '${e.message}'`);
      }
    }
    sequence += 1;
    const requestId = `child-${sequence}`;
    const started = new Promise((resolve, reject) => pending.set(requestId, { resolve, reject }));
    send({
      type: 'startChild',
      requestId,
      parentExecutionId: parentId,
      stateMachineArn: String(params.StateMachineArn ?? ''),
      name: params.Name === undefined ? undefined : String(params.Name),
      input,
      // only a .sync child is managed by its parent's Task (stopped with it); a plain start is fire-and-forget
      managed: mode !== 'request',
    });
    const child = await started;
    const submitted = { ExecutionArn: child.executionArn, StartDate: child.startDate };
    if (mode === 'request') return submitted;

    let abandoned = false;
    const timer = typeof state.TimeoutSeconds === 'number'
      ? setTimeout(() => {
        abandoned = true;
        send({
          type: 'stopChild',
          executionId: child.executionArn,
          error: 'States.Timeout',
          cause: `The Task state ${stateName} of ${parentId}, which was managing this execution, timed out`,
        });
      }, state.TimeoutSeconds * 1000)
      : null;
    event(parentId, stateName, 'TaskSubmitted', resource, submitted);
    const outcome = await child.outcome;
    if (timer) clearTimeout(timer);
    const answer = describe(child, outcome, mode === 'sync2');
    if (abandoned) {
      // the library has failed the Task with States.Timeout already: nobody waits for this answer
      throw taskError('States.Timeout', 'Task timed out');
    }
    if (outcome.status === 'SUCCEEDED') {
      event(parentId, stateName, 'TaskSucceeded', resource, answer);
      return answer;
    }
    throw taskError('States.TaskFailed', JSON.stringify(answer));
  }

  return {
    /** Local handlers for the nested-execution Tasks of the execution's definition. */
    handlers(executionId, definition) {
      const handlers = {};
      for (const [name, state] of Object.entries(definition.States ?? {})) {
        const found = integrationOf(state);
        if (found) handlers[name] = (input) => run(executionId, name, state, found, input);
      }
      return handlers;
    },

    /** A "start" command answered a startChild request: the child runs; {outcome} settles when it ends. */
    started(requestId, child) {
      const request = pending.get(requestId);
      if (!request) return;
      pending.delete(requestId);
      request.resolve(child);
    },

    /** The Java side refused to start the child (no such state machine, invalid name, ...). */
    refused(message) {
      const request = pending.get(message.requestId);
      if (!request) return;
      pending.delete(message.requestId);
      request.reject(taskError(String(message.error ?? 'StepFunctions.SfnException'), String(message.cause ?? '')));
    },
  };
}
