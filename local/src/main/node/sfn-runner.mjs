// scaflow local Step Functions runner: one long-running Node 22 process driving aws-local-stepfunctions 3.0.0.
//
// Protocol: JSON lines. One command per stdin line, one message per stdout line; stdout carries nothing else
// (console.* output of the library and of this script goes to stderr).
//
// Commands (stdin):
//   {"type":"start", "executionId", "definition": "<ASL JSON text, substitutions applied>", "input": <JSON value>,
//    "context": {"Execution": {"Id", "Name", "StartTime", "Input"}}, "waitTimeOverrides"?: {state: ms},
//    "retryIntervalOverrides"?: {state: ms | [ms]}, "maxDurationMs"?: ms (an Express execution's 5 minutes: past
//    it the run is stopped and ends TIMED_OUT), "requestId"?: the startChild request it answers}
//   {"type":"stop", "executionId"}
//   {"type":"prepare", "requestId", "definition"}   validates and caches a definition (validation costs 200-600 ms)
//   {"type":"childRefused", "requestId", "error", "cause"}   a startChild request refused (see sfn-nested.mjs)
//
// Messages (stdout):
//   {"type":"ready", "node": "v22..."}                              once, when the library is loaded
//   {"type":"event", "executionId", "event": <eventLogs entry>}     as the execution runs
//   {"type":"done", "executionId", "status": "SUCCEEDED", "output"}
//   {"type":"done", "executionId", "status": "FAILED" | "ABORTED" | "TIMED_OUT", "error", "cause"}
//   {"type":"prepared", "requestId", "ok": true | false, "message"?}
//   {"type":"error", "executionId"?, "message"}                      a command this runner could not understand
//   {"type":"startChild", ...}, {"type":"stopChild", ...}            nested executions (see sfn-nested.mjs)
//
// The Lambda endpoint, credentials, region and SDK retries come from the environment (AWS_ENDPOINT_URL_LAMBDA,
// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_MAX_ATTEMPTS=1), set by the Java side.

import { createInterface } from 'node:readline';
import { integrationStates, nestedExecutions } from './sfn-nested.mjs';

const stdoutWrite = process.stdout.write.bind(process.stdout);
// Everything but protocol lines goes to stderr.
for (const level of ['log', 'info', 'debug', 'warn', 'error', 'trace', 'dir']) {
  console[level] = (...args) => process.stderr.write(args.map(String).join(' ') + '\n');
}

function send(message) {
  stdoutWrite(JSON.stringify(message) + '\n');
}

const { StateMachine, ExecutionAbortedError, ExecutionTimeoutError, ExecutionError } = await import(
  'aws-local-stepfunctions'
);
const { LambdaClient, InvokeCommand } = await import('@aws-sdk/client-lambda');

// One client for every Lambda task (endpoint, region, credentials and AWS_MAX_ATTEMPTS=1 from the environment).
const lambda = new LambdaClient({});

/** An error as Step Functions names it: Error (matched by ErrorEquals) and Cause. */
function taskError(name, cause) {
  const error = new Error(cause);
  error.name = name;
  return error;
}

/**
 * Invokes a Lambda task as Step Functions does. The library's own Lambda call names an error of the Lambda service
 * by the SDK's bare exception name (TooManyRequestsException), which no Retry of a real definition matches: Step
 * Functions says Lambda.TooManyRequestsException, Lambda.ServiceException, ... A function error is named by its
 * errorType, its Cause the error payload's JSON text, as in AWS.
 */
async function invokeLambda(resource, input) {
  let result;
  try {
    result = await lambda.send(new InvokeCommand({
      FunctionName: resource,
      Payload: new TextEncoder().encode(JSON.stringify(input)),
    }));
  } catch (e) {
    const name = e?.$metadata?.httpStatusCode && e.name && e.name !== 'Error' ? e.name : 'SdkClientException';
    throw taskError(`Lambda.${name}`, String(e?.message ?? e));
  }
  const text = result.Payload ? new TextDecoder().decode(result.Payload) : '';
  if (result.FunctionError) {
    let errorType = 'Lambda.Unknown';
    try {
      errorType = JSON.parse(text).errorType ?? errorType;
    } catch {
      // not JSON: keep Lambda.Unknown
    }
    throw taskError(errorType, text);
  }
  return text === '' ? null : JSON.parse(text);
}

const nested = nestedExecutions({ send, taskError });

/**
 * The local handlers of a definition's top-level Tasks (the library's taskResourceLocalHandlers): every Lambda Task
 * through invokeLambda, every states:startExecution Task through sfn-nested.mjs.
 */
function taskHandlers(executionId, definition) {
  const handlers = nested.handlers(executionId, definition);
  for (const [name, state] of Object.entries(definition.States ?? {})) {
    if (state.Type === 'Task' && typeof state.Resource === 'string' && !state.Resource.startsWith('arn:aws:states:')) {
      handlers[name] = (input) => invokeLambda(state.Resource, input);
    }
  }
  return handlers;
}

/** executionId -> {abort, stopped, timedOut, ended: resolves with the outcome the parent of a child reads} */
const running = new Map();

/** A Cause as AWS gives it: a string (objects, e.g. a Lambda error payload, as JSON text). */
function causeText(cause) {
  if (cause === undefined || cause === null) return undefined;
  if (typeof cause === 'string') return cause;
  if (cause instanceof Error) return cause.message;
  try {
    return JSON.stringify(cause);
  } catch {
    return String(cause);
  }
}

/** Makes an event log entry JSON-safe (Error and Cause as strings). */
function eventJson(event) {
  const copy = { ...event };
  if ('Cause' in copy) copy.Cause = causeText(copy.Cause);
  if ('Error' in copy && typeof copy.Error !== 'string') copy.Error = String(copy.Error);
  return copy;
}

/**
 * definition text -> {machine, definition}: validating a definition takes 200-600 ms, so each is parsed and built
 * once, not at every start.
 */
const machines = new Map();

function machineFor(definitionText) {
  const text = typeof definitionText === 'string' ? definitionText : JSON.stringify(definitionText);
  let prepared = machines.get(text);
  if (!prepared) {
    // ARNs of the local functions need not be real; paths are checked. The library keeps its own copy.
    const machine = new StateMachine(JSON.parse(text), { validationOptions: { checkArn: false } });
    prepared = { machine, definition: JSON.parse(text) };
    machines.set(text, prepared);
  }
  return prepared;
}

/** Validates (and caches) a definition: answers {"type":"prepared", "requestId", "ok", "message"?}. */
function prepare(command) {
  try {
    machineFor(command.definition);
    send({ type: 'prepared', requestId: command.requestId, ok: true });
  } catch (e) {
    send({ type: 'prepared', requestId: command.requestId, ok: false, message: String(e?.message ?? e) });
  }
}

function start(command) {
  const { executionId } = command;
  if (!executionId) {
    send({ type: 'error', message: 'start without executionId' });
    return;
  }
  if (running.has(executionId)) {
    send({ type: 'error', executionId, message: 'execution already running' });
    return;
  }
  let execution;
  let definition;
  try {
    const prepared = machineFor(command.definition);
    definition = prepared.definition;
    const machine = prepared.machine;
    const overrides = { taskResourceLocalHandlers: taskHandlers(executionId, definition) };
    if (command.waitTimeOverrides) overrides.waitTimeOverrides = command.waitTimeOverrides;
    if (command.retryIntervalOverrides) overrides.retryIntervalOverrides = command.retryIntervalOverrides;
    execution = machine.run(command.input ?? {}, { overrides, context: command.context ?? {} });
  } catch (e) {
    const cause = `cannot start the execution: ${e?.message ?? e}`;
    send({ type: 'done', executionId, status: 'FAILED', error: 'States.Runtime', cause });
    startedChild(command, Promise.resolve({ status: 'FAILED', error: 'States.Runtime', cause, stopDate: Date.now() }));
    return;
  }
  let settle;
  const ended = new Promise((resolve) => { settle = resolve; });
  const entry = { abort: execution.abort, stopped: false, timedOut: false };
  running.set(executionId, entry);
  const integrations = integrationStates(definition);
  const limit = Number(command.maxDurationMs) > 0
    ? setTimeout(() => {
      if (!running.has(executionId)) return;
      entry.timedOut = true;
      entry.abort();
    }, Number(command.maxDurationMs))
    : null;
  startedChild(command, ended);
  /** Tells the Java side and a waiting parent how the execution ended. */
  const finish = (message) => {
    if (limit) clearTimeout(limit);
    running.delete(executionId);
    send({ type: 'done', executionId, ...message });
    settle({ ...message, stopDate: Date.now() });
  };

  // Drain the events before reporting "done" so the history is complete when the status changes.
  const eventsDrained = (async () => {
    try {
      for await (const event of execution.eventLogs) {
        const json = eventJson(event);
        if (json.type === 'ExecutionAborted' && entry.timedOut) json.type = 'ExecutionTimeout';
        if (json.type === 'StateFailed' && integrations[json.state?.name]) {
          json.resourceType = 'states';
          json.resource = integrations[json.state.name];
        }
        send({ type: 'event', executionId, event: json });
      }
    } catch (e) {
      process.stderr.write(`sfn-runner: event log of ${executionId} failed: ${e?.stack ?? e}\n`);
    }
  })();

  execution.result.then(
    async (output) => {
      await eventsDrained;
      if (entry.stopped) {
        finish({ status: 'ABORTED' });
      } else {
        finish({ status: 'SUCCEEDED', output: output ?? null });
      }
    },
    async (e) => {
      await eventsDrained;
      if (entry.timedOut) {
        finish({ status: 'TIMED_OUT', error: 'States.Timeout', cause: 'The execution ran longer than its limit' });
      } else if (e instanceof ExecutionAbortedError || entry.stopped) {
        finish({ status: 'ABORTED' });
      } else if (e instanceof ExecutionTimeoutError) {
        finish({ status: 'TIMED_OUT', error: 'States.Timeout', cause: 'Execution timed out' });
      } else if (e instanceof ExecutionError && e.cause) {
        const root = e.cause;
        finish({ status: 'FAILED', error: root.name, cause: causeText(root.cause ?? root.message) });
      } else {
        finish({ status: 'FAILED', error: e?.name ?? 'Error', cause: causeText(e?.message ?? e) });
      }
    },
  );
}

/** A start that answers a parent's startChild request: the parent's Task now waits for {@code ended}. */
function startedChild(command, ended) {
  if (!command.requestId) return;
  nested.started(command.requestId, {
    executionArn: command.executionId,
    name: command.context?.Execution?.Name ?? command.name,
    stateMachineArn: command.context?.StateMachine?.Id,
    startDate: Date.parse(command.context?.Execution?.StartTime ?? new Date().toISOString()),
    input: command.input ?? {},
    outcome: ended,
  });
}

function stop(command) {
  const entry = running.get(command.executionId);
  if (!entry) return; // finished already: the done message is (or was) on its way
  entry.stopped = true;
  entry.abort();
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on('line', (line) => {
  if (!line.trim()) return;
  let command;
  try {
    command = JSON.parse(line);
  } catch (e) {
    send({ type: 'error', message: `not JSON: ${e.message}` });
    return;
  }
  switch (command.type) {
    case 'start':
      start(command);
      break;
    case 'stop':
      stop(command);
      break;
    case 'prepare':
      prepare(command);
      break;
    case 'childRefused':
      nested.refused(command);
      break;
    default:
      send({ type: 'error', executionId: command.executionId, message: `unknown command type ${command.type}` });
  }
});
// stdin closed: the Java side is gone; stop at once.
lines.on('close', () => process.exit(0));

send({ type: 'ready', node: process.version });
