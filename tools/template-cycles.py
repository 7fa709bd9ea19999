"""Fails when the CloudFormation that SAM makes of template.yaml has a dependency cycle.

cfn-lint's E3004 skips cycles through AWS::Serverless::* resources and `sam validate --lint` inherits that, so a
cycle through a function's generated role (role -> state machine -> function -> key -> role) passes both linters and
only fails at deployment. This translates the template with the SAM translator of the venv (local CodeUri and
DefinitionUri replaced by placeholders, as `sam package` would) and looks for cycles among Ref, Fn::GetAtt, Fn::Sub
and DependsOn.

usage: python tools/template-cycles.py template.yaml
"""
import json
import logging
import os
import re
import sys

import networkx as nx
from cfnlint.decode import decode
from samtranslator.translator.transform import transform


class NoManagedPolicies:
    def load(self):
        return {}


def placeholders(template):
    for section in (template.get("Globals", {}).get("Function", {}), *template.get("Resources", {}).values()):
        props = section.get("Properties", section)
        for key in ("CodeUri", "DefinitionUri"):
            if isinstance(props.get(key), str) and not props[key].startswith("s3://"):
                props[key] = "s3://placeholder/" + key


def references(node, found):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "Ref" and isinstance(value, str):
                found.add(value.split(".")[0])
            elif key == "Fn::GetAtt":
                found.add(value[0] if isinstance(value, list) else value.split(".")[0])
            elif key == "Fn::Sub":
                text = value if isinstance(value, str) else value[0]
                found.update(re.findall(r"\$\{([^}!.]+)", text))
                references(value, found)
            else:
                references(value, found)
    elif isinstance(node, list):
        for value in node:
            references(value, found)


def main(path):
    os.environ.setdefault("AWS_DEFAULT_REGION", "eu-west-3")
    logging.disable(logging.WARNING)  # the translator's notes on feature toggles
    template, _ = decode(path)
    template = json.loads(json.dumps(template, default=str))
    placeholders(template)
    resources = transform(template, {}, NoManagedPolicies())["Resources"]
    graph = nx.DiGraph()
    for name, resource in resources.items():
        found = set()
        references(resource.get("Properties", {}), found)
        depends = resource.get("DependsOn", [])
        found.update([depends] if isinstance(depends, str) else depends)
        graph.add_edges_from((name, target) for target in found if target in resources)
    cycles = list(nx.simple_cycles(graph))
    for cycle in cycles[:5]:
        print("dependency cycle: " + " -> ".join(cycle + cycle[:1]), file=sys.stderr)
    if cycles:
        sys.exit(1)
    print(f"{path}: {len(resources)} CloudFormation resources after the SAM transform, no dependency cycle")


if __name__ == "__main__":
    main(sys.argv[1])
