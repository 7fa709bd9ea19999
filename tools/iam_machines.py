"""The AWS calls each state machine of the template makes with its role, derived from its definition.

The local Step Functions engine runs the same definitions, but its Lambda calls and nested executions are made by
the emulator, not by a signing role, so they are derived here rather than recorded: for each state machine of the
SAM-translated template, its definition file (DefinitionUri) with its DefinitionSubstitutions resolved to the
deployment's local ARNs, and for each Task state the calls Step Functions makes for that integration (AWS's
"IAM policies for integrated services"):

- a Lambda ARN, or lambda:invoke with Parameters.FunctionName: lambda:InvokeFunction on that (alias) ARN;
- states:startExecution: states:StartExecution on Parameters.StateMachineArn; with .sync / .sync:2 also
  states:DescribeExecution and states:StopExecution on the child's executions (arn:...:express:NAME:... for an
  Express child), and events:PutTargets / PutRule / DescribeRule on the managed rule
  StepFunctionsGetEventsForStepFunctionsExecutionRule;
- events:putEvents: events:PutEvents on each entry's EventBusName (the default bus when unnamed);
- dynamodb:getItem / putItem / updateItem / deleteItem: that action on Parameters.TableName;
- aws-sdk:SERVICE:ACTION: SERVICE:Action on * (the resource is not derived);
- any other resource: a note, no call.

A state machine with a LoggingConfiguration also makes the vended log delivery calls (logs:CreateLogDelivery, ...,
on *) when it is created or updated. A path given as a JSONPath (`FunctionName.$`) is not known statically: *.
X-Ray (TracingConfiguration) goes through the AWS managed policy SAM attaches, which is not evaluated.
"""
import json
import pathlib

SYNC_RULE = "rule/StepFunctionsGetEventsForStepFunctionsExecutionRule"
LOG_DELIVERY = ["logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery",
                "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies",
                "logs:DescribeLogGroups"]
DYNAMODB = {"getItem": "GetItem", "putItem": "PutItem", "updateItem": "UpdateItem", "deleteItem": "DeleteItem"}


def definition_files(original, template_dir):
    """State machine logical id -> its definition file, from the template before translation."""
    out = {}
    for name, resource in original.get("Resources", {}).items():
        uri = resource.get("Properties", {}).get("DefinitionUri")
        if resource.get("Type") == "AWS::Serverless::StateMachine" and isinstance(uri, str) and "://" not in uri:
            out[name] = template_dir / uri
    return out


def states_of(definition):
    for state_name, state in definition.get("States", {}).items():
        yield state_name, state
        for branch in state.get("Branches", []):
            yield from states_of(branch)
        for key in ("ItemProcessor", "Iterator"):
            if key in state:
                yield from states_of(state[key])


def derive(translated, definitions, resolver, notes):
    """[call record] for every state machine of `translated` whose definition file is known."""
    resources = translated["Resources"]
    machines = {name: r for name, r in resources.items() if r.get("Type") == "AWS::StepFunctions::StateMachine"}
    kinds = {str(resolver.value({"Ref": name})): r.get("Properties", {}).get("StateMachineType", "STANDARD")
             for name, r in machines.items()}
    calls = []
    for name, machine in machines.items():
        props = machine.get("Properties", {})
        path = definitions.get(name)
        if path is None:
            notes.add(f"{name}: no local definition file, its calls are not derived")
            continue
        text = pathlib.Path(path).read_text(encoding="utf-8")
        for key, value in (resolver.value(props.get("DefinitionSubstitutions")) or {}).items():
            text = text.replace("${" + key + "}", str(value))
        for state_name, state in states_of(json.loads(text)):
            if state.get("Type") == "Task":
                for action, resource in task_calls(state, resolver, kinds, notes, f"{name}.{state_name}"):
                    calls.append(call(name, action, resource, state_name))
        if props.get("LoggingConfiguration"):
            calls += [call(name, action, "*", "(LoggingConfiguration)") for action in LOG_DELIVERY]
    return calls


def call(principal, action, resource, state):
    return {"type": "call", "principal": principal, "action": action, "resources": [resource], "context": {},
            "outcome": "derived", "state": state}


def task_calls(state, resolver, kinds, notes, where):
    region, account = resolver.region, resolver.account
    resource = state.get("Resource", "")
    params = state.get("Parameters") or state.get("Arguments") or {}
    if resource.startswith("arn:aws:lambda:"):
        return [("lambda:InvokeFunction", resource)]
    if not resource.startswith("arn:aws:states:::"):
        notes.add(f"{where}: resource {resource} not derived")
        return []
    service, _, rest = resource[len("arn:aws:states:::"):].partition(":")
    api, _, pattern = rest.partition(".")
    if service == "lambda" and api == "invoke":
        return [("lambda:InvokeFunction", known(params, "FunctionName"))]
    if service == "states" and api == "startExecution":
        child = known(params, "StateMachineArn")
        out = [("states:StartExecution", child)]
        if pattern.startswith("sync"):
            child_name = child.rsplit(":", 1)[-1] if child != "*" else "*"
            kind = "express" if kinds.get(child) == "EXPRESS" else "execution"
            execution = f"arn:aws:states:{region}:{account}:{kind}:{child_name}:EXECUTION" + (
                ":ID" if kind == "express" else "")
            out += [("states:DescribeExecution", execution), ("states:StopExecution", execution)]
            rule = f"arn:aws:events:{region}:{account}:{SYNC_RULE}"
            out += [(f"events:{a}", rule) for a in ("PutTargets", "PutRule", "DescribeRule")]
        return out
    if service == "events" and api == "putEvents":
        buses = {entry.get("EventBusName", "default") for entry in params.get("Entries", [{}])}
        return [("events:PutEvents", bus if bus.startswith("arn:") else
                 f"arn:aws:events:{region}:{account}:event-bus/{bus}") for bus in sorted(buses)]
    if service == "dynamodb" and api in DYNAMODB:
        table = known(params, "TableName")
        return [(f"dynamodb:{DYNAMODB[api]}", table if table == "*" or table.startswith("arn:") else
                 f"arn:aws:dynamodb:{region}:{account}:table/{table}")]
    if service == "aws-sdk":
        sdk_service, _, sdk_action = rest.partition(":")
        return [(f"{sdk_service}:{sdk_action[:1].upper()}{sdk_action[1:]}", "*")]
    notes.add(f"{where}: integration {resource} not derived")
    return []


def known(params, field):
    value = params.get(field)
    return str(value) if isinstance(value, str) else "*"
