"""What would stop a first deployment and no linter sees, checked on the templates given (default template.yaml;
`make check` passes template.yaml, then the sam build output):

1. `sam deploy --guided` asks "<Function> has no authentication. Is this okay? [y/N]" for each function Api event
   whose authentication it cannot see (it cannot read an AWS::Include'd OpenAPI file from the built template), and
   its default answer, N, ends the deploy ("Security Constraints Not Satisfied!"). SAM CLI's own check is run.
2. SAM's translation (expanded as CloudFormation would get it) has one stage per API: without OpenApiVersion, SAM
   adds a stage named "Stage" beside the declared one, unthrottled and without access logs.
"""
import json
import sys

from cfnlint.decode import decode
from samcli.commands.deploy.auth_utils import auth_per_resource
from samcli.lib.providers.sam_stack_provider import SamLocalStackProvider
from samtranslator.translator.transform import transform


class NoManagedPolicies:
    def load(self):
        return {}


def unauthenticated(path):
    stacks, _ = SamLocalStackProvider.get_stacks(path, global_parameter_overrides={"AWS::Region": "eu-west-3"})
    checked = auth_per_resource(stacks)
    return len(checked), [resource for resource, authenticated in checked if not authenticated]


def extra_stages(path):
    template, _ = decode(path)
    template = json.loads(json.dumps(template, default=str))
    for section in (template.get("Globals", {}).get("Function", {}), *template.get("Resources", {}).values()):
        props = section.get("Properties", section)
        for key in ("CodeUri", "DefinitionUri"):
            if isinstance(props.get(key), str) and not props[key].startswith("s3://"):
                props[key] = "s3://placeholder/" + key
    resources = transform(template, {}, NoManagedPolicies())["Resources"]
    return [name for name, resource in resources.items()
            if resource["Type"] == "AWS::ApiGateway::Deployment" and "StageName" in resource.get("Properties", {})]


def main(paths):
    problems = []
    for path in paths:
        count, missing = unauthenticated(path)
        problems += [f"{path}: sam deploy --guided would ask '{r} has no authentication' (default: abort)"
                     for r in missing]
        stages = extra_stages(path)
        problems += [f"{path}: {d} creates an extra stage (set OpenApiVersion on the API)" for d in stages]
        if not missing and not stages:
            print(f"{path}: authentication visible to sam deploy --guided on {count} Api event(s); one stage per API")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    import os
    os.environ.setdefault("AWS_DEFAULT_REGION", "eu-west-3")
    sys.exit(main(sys.argv[1:] or ["template.yaml"]))
