"""Checks every AWS call the local stack recorded against the role the deployed function would have.

The local stack (io.scaflow.local.iam.AwsCallRecorder, on in the local module's tests) writes one JSON line per AWS
call of a hosted function: its principal (the function's logical id), the IAM action, the resources as IAM sees them
and the request's condition keys; and, per local deployment, what the template's references resolve to there.

This translates the template with SAM's own translator (the venv's samtranslator: policy templates expanded, the
generated roles), resolves Ref / Fn::GetAtt / Fn::Sub / Fn::Join / Fn::If in the roles and the key policies to the
local names and ARNs of each deployment, and evaluates each call (tools/iam_policy.py): with the function's role
alone, and for KMS with the key's policy as KMS does it (the key policy naming the role allows by itself; one that
allows the account root delegates to IAM, and then the role must allow too). It prints every denied call and exits
1 when there is one; it also lists the actions each role grants that no call used (least privilege), which does not
fail. AWS managed policies (ManagedPolicyArns: the Lambda runtime's logs and X-Ray) are not evaluated: no code calls
them.

usage: python tools/iam-check.py [--calls local/target/aws-calls.jsonl] [--template template.yaml]
"""
import argparse
import collections
import importlib.util
import json
import logging
import os
import pathlib
import sys

sys.dont_write_bytecode = True  # no tools/__pycache__ from the two modules beside this script
import iam_machines  # noqa: E402
import iam_policy  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent


def translated(path):
    """The CloudFormation resources SAM makes of the template (local CodeUri/DefinitionUri as placeholders)."""
    spec = importlib.util.spec_from_file_location("template_cycles", HERE / "template-cycles.py")
    cycles = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cycles)
    from cfnlint.decode import decode
    from samtranslator.translator.transform import transform

    os.environ.setdefault("AWS_DEFAULT_REGION", "eu-west-3")
    logging.disable(logging.WARNING)
    template, _ = decode(str(path))
    template = json.loads(json.dumps(template, default=str))
    original = json.loads(json.dumps(template))
    cycles.placeholders(template)
    return original, transform(template, {}, cycles.NoManagedPolicies())


class Resolver:
    """Resolves intrinsic functions with one deployment's references, and the ARNs those references leave out."""

    def __init__(self, template, deployment):
        self.resources = template.get("Resources", {})
        self.conditions = template.get("Conditions", {})
        self.refs = dict(deployment["references"])
        self.region, self.account = deployment["region"], deployment["account"]
        self.unresolved = set()

    def ref(self, name):
        if name in self.refs:
            return self.refs[name]
        resource = self.resources.get(name, {})
        kind, props = resource.get("Type"), resource.get("Properties", {})
        if kind == "AWS::Lambda::Alias":
            return f"{self.function_arn(props.get('FunctionName'))}:{self.value(props.get('Name'))}"
        if kind == "AWS::Lambda::Version":
            return f"{self.function_arn(props.get('FunctionName'))}:1"
        if kind in ("AWS::IAM::Role", "AWS::Events::EventBus", "AWS::Events::Rule", "AWS::SQS::Queue"):
            literal = props.get("Name", props.get("RoleName", props.get("QueueName")))
            return self.value(literal) if literal is not None else name
        if kind == "AWS::SNS::Topic":
            return f"arn:aws:sns:{self.region}:{self.account}:{name}"
        self.unresolved.add(name)
        return f"<unresolved {name}>"

    def function_arn(self, function):
        name = self.value(function)
        return name if name.startswith("arn:") else f"arn:aws:lambda:{self.region}:{self.account}:function:{name}"

    def get_att(self, name, attribute):
        key = f"{name}.{attribute}"
        if key in self.refs:
            return self.refs[key]
        kind = self.resources.get(name, {}).get("Type")
        arns = {
            "AWS::DynamoDB::Table": "arn:aws:dynamodb:{r}:{a}:table/{ref}",
            "AWS::IAM::Role": "arn:aws:iam::{a}:role/{ref}",
            "AWS::Events::EventBus": "arn:aws:events:{r}:{a}:event-bus/{ref}",
            "AWS::Events::Rule": "arn:aws:events:{r}:{a}:rule/{ref}",
            "AWS::SQS::Queue": "arn:aws:sqs:{r}:{a}:{ref}",
            "AWS::Logs::LogGroup": "arn:aws:logs:{r}:{a}:log-group:{ref}:*",
            "AWS::KMS::Key": "arn:aws:kms:{r}:{a}:key/{ref}",
        }
        if attribute == "Arn" and kind in arns:
            return arns[kind].format(r=self.region, a=self.account, ref=self.ref(name))
        if attribute == "Name" and kind == "AWS::Events::EventBus":
            return self.ref(name)
        self.unresolved.add(key)
        return f"<unresolved {key}>"

    def condition(self, name):
        return bool(self.value(self.conditions.get(name, False)))

    def value(self, node):
        if isinstance(node, list):
            return [v for v in (self.value(n) for n in node) if v is not NO_VALUE]
        if not isinstance(node, dict):
            return node
        if len(node) == 1:
            (key, arg), = node.items()
            if key == "Ref":
                return NO_VALUE if arg == "AWS::NoValue" else self.ref(arg)
            if key == "Fn::GetAtt":
                name, attribute = arg if isinstance(arg, list) else arg.split(".", 1)
                return self.get_att(name, attribute)
            if key == "Fn::Sub":
                return self.sub(arg)
            if key == "Fn::Join":
                return str(arg[0]).join(str(v) for v in self.value(arg[1]))
            if key == "Fn::Select":
                return self.value(arg[1])[int(self.value(arg[0]))]
            if key == "Fn::Split":
                return str(self.value(arg[1])).split(arg[0])
            if key == "Fn::If":
                return self.value(arg[1] if self.condition(arg[0]) else arg[2])
            if key == "Fn::Equals":
                return self.value(arg[0]) == self.value(arg[1])
            if key == "Fn::Not":
                return not self.value(arg[0])
            if key in ("Fn::And", "Fn::Or"):
                values = [bool(self.value(a)) for a in arg]
                return all(values) if key == "Fn::And" else any(values)
            if key == "Condition":
                return self.condition(arg)
        return {k: v for k, v in ((k, self.value(v)) for k, v in node.items()) if v is not NO_VALUE}

    def sub(self, arg):
        text, variables = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1])
        out, i = [], 0
        while i < len(text):
            start = text.find("${", i)
            if start < 0:
                out.append(text[i:])
                break
            end = text.index("}", start)
            out.append(text[i:start])
            name = text[start + 2:end]
            if name.startswith("!"):
                out.append("${" + name[1:] + "}")
            elif name in variables:
                out.append(str(self.value(variables[name])))
            elif "." in name:
                out.append(str(self.get_att(*name.split(".", 1))))
            else:
                out.append(str(self.ref(name)))
            i = end + 1
        return "".join(out)


NO_VALUE = object()


def statements(document):
    return [s for s in iam_policy.as_list((document or {}).get("Statement"))]


def roles_of(template):
    """Principal logical id -> (role logical id, [(policy name, statement)], managed policy ARNs)."""
    resources = template["Resources"]
    roles = {}
    for name, resource in resources.items():
        props = resource.get("Properties", {})
        role = props.get("Role") if resource.get("Type") == "AWS::Lambda::Function" else \
            props.get("RoleArn") if resource.get("Type") == "AWS::StepFunctions::StateMachine" else None
        if not (isinstance(role, dict) and "Fn::GetAtt" in role):
            continue
        role_id = role["Fn::GetAtt"][0] if isinstance(role["Fn::GetAtt"], list) else role["Fn::GetAtt"].split(".")[0]
        role_props = resources.get(role_id, {}).get("Properties", {})
        inline = [(p.get("PolicyName", "?"), s) for p in role_props.get("Policies", [])
                  for s in statements(p.get("PolicyDocument"))]
        roles[name] = (role_id, inline, role_props.get("ManagedPolicyArns", []))
    return roles


def key_policies(template, resolver):
    """Key ARN -> (logical id, resolved key policy statements), for the template's AWS::KMS::Key resources."""
    out = {}
    for name, resource in template["Resources"].items():
        if resource.get("Type") == "AWS::KMS::Key":
            arn = resolver.get_att(name, "Arn")
            out[arn] = (name, statements(resolver.value(resource.get("Properties", {}).get("KeyPolicy"))))
    return out


class Checker:
    """Evaluates the calls of one template's deployments; collects the denials and the grants used."""

    def __init__(self, template, definitions):
        self.template = template
        self.definitions = definitions
        self.roles = roles_of(template)
        self.used = set()  # (principal, "policy#index" or "key:ARN#index", action pattern)
        self.denied = collections.Counter()
        self.notes = set()
        self.unresolved = set()
        self.calls = collections.Counter()
        self.derived = collections.Counter()
        self.deployments = 0
        self.unanswered = 0
        self.resolved = {}

    def deployment(self, deployment, calls):
        resolver = Resolver(self.template, deployment)
        keys = key_policies(self.template, resolver)
        resolved = {p: (role, [(name, resolver.value(s)) for name, s in inline])
                    for p, (role, inline, _) in self.roles.items()}
        self.unresolved |= resolver.unresolved
        self.resolved = resolved
        root = f"arn:aws:iam::{deployment['account']}:root"
        derived = iam_machines.derive(self.template, self.definitions, resolver, self.notes)
        for call in calls + derived:
            (self.derived if call["outcome"] == "derived" else self.calls)[call["principal"]] += 1
            if call["outcome"].startswith("unanswered:"):
                # no answer came (a transport failure to the emulator): IAM may never have seen it, and its
                # resource is only what the request named (a secret's ARN lacks the suffix the answer gives)
                self.unanswered += 1
                continue
            if call["principal"] not in resolved:
                self.denied[(call["principal"], call["action"], "*", "no role in the template")] += 1
                continue
            role_id, inline = resolved[call["principal"]]
            role_arn = resolver.get_att(role_id, "Arn")
            context = dict(call.get("context", {}))
            context.update({"aws:PrincipalArn": role_arn, "aws:PrincipalAccount": deployment["account"],
                            "aws:RequestedRegion": deployment["region"]})
            for resource in call.get("resources") or ["*"]:
                reason = self.decide(call, resource, context, inline, keys, role_arn, root)
                if reason:
                    self.denied[(call["principal"], call["action"], resource, reason)] += 1

    def decide(self, call, resource, context, inline, keys, role_arn, root):
        """None when allowed, else why not; marks the allowing statements' actions as used."""
        principal, action = call["principal"], call["action"]
        tagged = [dict(s, _id=f"{name}#{i}") for i, (name, s) in enumerate(inline)]
        identity, allowing, notes = iam_policy.evaluate(tagged, action, resource, context)
        self.notes.update(notes)
        if identity == iam_policy.DENY:
            return f"explicit Deny in {allowing[0].get('Sid', allowing[0]['_id'])}"
        if action.lower().startswith("kms:") and resource in keys:
            key_id, key_statements = keys[resource]
            policy = [dict(s, _id=f"key:{key_id}#{i}") for i, s in enumerate(key_statements)]
            direct, direct_allowing, notes = iam_policy.evaluate(policy, action, resource, context, role_arn)
            self.notes.update(notes)
            delegated, _, notes = iam_policy.evaluate(policy, action, resource, context, root)
            self.notes.update(notes)
            if iam_policy.DENY in (direct, delegated):
                return "explicit Deny in the key policy"
            if direct == iam_policy.ALLOW:
                self.mark(principal, action, direct_allowing)
                return None
            if delegated != iam_policy.ALLOW:
                return "the key policy neither allows the role nor delegates this request to IAM"
        if identity != iam_policy.ALLOW:
            return "no statement of the role allows it"
        self.mark(principal, action, allowing)
        return None

    def mark(self, principal, action, allowing):
        for statement in allowing:
            for pattern in iam_policy.as_list(statement.get("Action")) or ["(NotAction)"]:
                if pattern == "(NotAction)" or iam_policy.glob(pattern, action, ignore_case=True):
                    self.used.add((principal, statement["_id"], pattern))

    def unused(self, key_statements):
        """(principal, where, action pattern, resource) granted and never used, for the principals with calls."""
        out = []
        for principal, (role_id, inline, _) in sorted(self.roles.items()):
            granted = [(f"{name}#{i}", s) for i, (name, s) in enumerate(inline)]
            granted += [(f"key:{arn}#{i}", s) for arn, ss in key_statements.items() for i, s in enumerate(ss)
                        if s.get("Effect") == "Allow" and role_named(s, role_id)]
            for where, statement in granted:
                if statement.get("Effect") != "Allow":
                    continue
                for pattern in iam_policy.as_list(statement.get("Action")):
                    if (principal, where, pattern) not in self.used:
                        label = statement.get("Sid") or where.split("#")[0]
                        resource = statement.get("Resource", "*")
                        if principal in self.resolved and not where.startswith("key:"):
                            resource = self.resolved[principal][1][int(where.split("#")[1])][1].get("Resource")
                        out.append((principal, label, pattern, json.dumps(resource)))
        return out


def role_named(statement, role_id):
    aws = statement.get("Principal", {}).get("AWS") if isinstance(statement.get("Principal"), dict) else None
    return any(isinstance(p, dict) and p.get("Fn::GetAtt") in ([role_id, "Arn"], f"{role_id}.Arn")
               for p in iam_policy.as_list(aws))


def read_calls(path):
    deployments, calls = {}, collections.defaultdict(list)
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                record = json.loads(line)
                if record["type"] == "deployment":
                    deployments[record["deployment"]] = record
                elif record["type"] == "call":
                    calls[record["deployment"]].append(record)
    return deployments, calls


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", default="local/target/aws-calls.jsonl")
    parser.add_argument("--template", default="template.yaml")
    args = parser.parse_args(argv)
    if not os.path.exists(args.calls):
        print(f"iam-check: {args.calls} not found: run the local module's tests first (make iam-check)",
              file=sys.stderr)
        return 2
    template_path = pathlib.Path(args.template).resolve()
    original, template = translated(template_path)
    deployments, calls = read_calls(args.calls)
    checker = Checker(template, iam_machines.definition_files(original, template_path.parent))
    skipped = 0
    for deployment_id, records in calls.items():
        deployment = deployments.get(deployment_id)
        if deployment is None or deployment.get("template") is None \
                or pathlib.Path(deployment["template"]).resolve() != template_path:
            skipped += len(records)
            continue
        checker.deployment(deployment, records)
        checker.deployments += 1
    total = sum(checker.calls.values())
    for (principal, action, resource, reason), count in sorted(checker.denied.items()):
        print(f"DENIED {principal}: {action} on {resource} ({count}x): {reason}")
    for name in sorted(checker.unresolved):
        print(f"note: {name} has no local value: statements naming it match nothing")
    for note in sorted(checker.notes):
        print(f"note: {note}")
    key_statements = {name: statements(r.get("Properties", {}).get("KeyPolicy"))
                      for name, r in template["Resources"].items() if r.get("Type") == "AWS::KMS::Key"}
    unused = [u for u in checker.unused(key_statements) if checker.calls[u[0]] or checker.derived[u[0]]]
    for principal, label, pattern, resource in unused:
        print(f"unused: {principal}: {pattern} ({label}, on {resource})")
    silent = sorted(p for p in checker.roles if not checker.calls[p] and not checker.derived[p])
    if silent:
        print("no call recorded for: " + ", ".join(silent))
    print(f"iam-check: {total} recorded calls of {len(checker.calls)} functions and "
          f"{sum(checker.derived.values())} derived calls of {len(checker.derived)} state machines, "
          f"in {checker.deployments} local deployments, checked against "
          f"{template_path.name}: {sum(checker.denied.values())} denied ({len(checker.denied)} distinct), "
          f"{len(unused)} granted actions never used" + (f"; {skipped} calls of other templates skipped" if skipped else "")
          + (f"; {checker.unanswered} unanswered calls not judged" if checker.unanswered else ""))
    return 1 if checker.denied else 0


if __name__ == "__main__":
    sys.exit(main())
