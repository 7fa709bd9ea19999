"""IAM policy evaluation for tools/iam-check.py: does a policy allow, deny or not mention one request?

The rules are IAM's (docs.aws.amazon.com, "Policy evaluation logic" and "IAM JSON policy elements"):
- Action / NotAction: `service:Action`, case-insensitive, `*` and `?` wildcards.
- Resource / NotResource: the ARN, case-sensitive, `*` and `?` wildcards (no other character is special).
- Condition: every operator block must hold, every key in it, any of a key's values. Supported operators: String*,
  Arn*, Bool, Null, Numeric*, each with ...IfExists, and the ForAnyValue: / ForAllValues: set prefixes. A key absent
  from the request makes a condition false, but true for a negated operator (StringNotEquals, ...), for
  ...IfExists, and for Null: true. An operator not listed here (dates, IP addresses, binary) is not evaluated: the
  statement is reported with it, and counted as not matching when it allows, as matching when it denies (fail
  closed both ways).
- An explicit Deny wins; otherwise an Allow allows; otherwise the request is implicitly denied.
"""
import re

ALLOW, DENY, NEUTRAL = "allow", "deny", "neutral"


def as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def glob(pattern, value, ignore_case=False):
    """IAM's wildcard match: `*` any run of characters, `?` any one character."""
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in str(pattern))
    return re.fullmatch(regex, value, re.IGNORECASE | re.DOTALL if ignore_case else re.DOTALL) is not None


def _string_op(name):
    base = name
    for prefix in ("ForAnyValue:", "ForAllValues:"):
        if base.startswith(prefix):
            base = base[len(prefix):]
    if_exists = base.endswith("IfExists")
    if if_exists:
        base = base[: -len("IfExists")]
    return base, if_exists


def _numbers(a, b, compare):
    try:
        return compare(float(a), float(b))
    except (TypeError, ValueError):
        return False


MATCHERS = {
    "StringEquals": lambda actual, expected: actual == expected,
    "StringEqualsIgnoreCase": lambda actual, expected: actual.lower() == expected.lower(),
    "StringLike": lambda actual, expected: glob(expected, actual),
    "ArnEquals": lambda actual, expected: actual == expected,
    "ArnLike": lambda actual, expected: glob(expected, actual),
    "Bool": lambda actual, expected: actual.lower() == str(expected).lower(),
    "NumericEquals": lambda a, e: _numbers(a, e, lambda x, y: x == y),
    "NumericLessThan": lambda a, e: _numbers(a, e, lambda x, y: x < y),
    "NumericLessThanEquals": lambda a, e: _numbers(a, e, lambda x, y: x <= y),
    "NumericGreaterThan": lambda a, e: _numbers(a, e, lambda x, y: x > y),
    "NumericGreaterThanEquals": lambda a, e: _numbers(a, e, lambda x, y: x >= y),
}
NEGATED = {
    "StringNotEquals": "StringEquals",
    "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
    "StringNotLike": "StringLike",
    "ArnNotEquals": "ArnEquals",
    "ArnNotLike": "ArnLike",
    "NumericNotEquals": "NumericEquals",
}


class Unsupported(Exception):
    """A condition operator this evaluator does not evaluate."""


def condition_holds(condition, context):
    """Whether a statement's Condition block holds for the request's context keys (a dict of str -> str or list)."""
    lowered = {k.lower(): as_list(v) for k, v in context.items()}
    for operator, keys in (condition or {}).items():
        base, if_exists = _string_op(operator)
        set_all = operator.startswith("ForAllValues:")
        for key, expected in keys.items():
            actual = lowered.get(key.lower())
            expected = [str(e) for e in as_list(expected)]
            if base == "Null":
                if (actual is None) != (expected[0].lower() == "true"):
                    return False
                continue
            negated = base in NEGATED
            matcher = MATCHERS.get(NEGATED.get(base, base))
            if matcher is None:
                raise Unsupported(operator)
            if actual is None:
                if if_exists or negated or set_all:
                    continue
                return False
            matches = [any(matcher(str(a), e) for e in expected) for a in actual]
            held = all(matches) if set_all else any(matches)
            if negated:
                held = not any(matches)
            if not held:
                return False
    return True


def statement_result(statement, action, resource, context, principal=None):
    """ALLOW, DENY or NEUTRAL for one statement; raises Unsupported from its Condition."""
    if "NotAction" in statement:
        if any(glob(p, action, ignore_case=True) for p in as_list(statement["NotAction"])):
            return NEUTRAL
    elif not any(glob(p, action, ignore_case=True) for p in as_list(statement.get("Action"))):
        return NEUTRAL
    if principal is not None and not principal_matches(statement, principal):
        return NEUTRAL
    if "NotResource" in statement:
        if any(glob(p, resource) for p in as_list(statement["NotResource"])):
            return NEUTRAL
    elif not any(glob(p, resource) for p in as_list(statement.get("Resource"))):
        return NEUTRAL
    if not condition_holds(statement.get("Condition"), context):
        return NEUTRAL
    return DENY if statement.get("Effect") == "Deny" else ALLOW


def principal_matches(statement, principal):
    """A resource policy's Principal (AWS: ARNs, account roots or *) names `principal` (a role ARN) itself."""
    names = statement.get("Principal")
    if names == "*":
        return True
    aws = as_list((names or {}).get("AWS")) if isinstance(names, dict) else []
    return any(p == "*" or p == principal for p in aws)


def evaluate(statements, action, resource, context, principal=None):
    """(decision, allowing statements, notes) over a list of statements: an explicit Deny wins over any Allow."""
    allowing, notes, decision = [], [], NEUTRAL
    for statement in statements:
        try:
            result = statement_result(statement, action, resource, context, principal)
        except Unsupported as e:
            notes.append(f"condition operator {e} not evaluated in {statement.get('Sid', '(no Sid)')}")
            result = DENY if statement.get("Effect") == "Deny" else NEUTRAL
        if result == DENY:
            return DENY, [statement], notes
        if result == ALLOW:
            allowing.append(statement)
            decision = ALLOW
    return decision, allowing, notes
