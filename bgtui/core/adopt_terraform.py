"""The Terraform handing an adopted function to the lambda-bluegreen module: imports, a call."""

from __future__ import annotations

import json

from bgtui.core.adopting import (
    ADOPTED_ALIASES,
    FUNCTION_LOG_GROUP,
    PERMISSION_PREFIX,
    AdoptOptions,
    Survey,
)

MODULE_SOURCE = "./modules/lambda-bluegreen"
_RESOURCE_KEYS = {"/": "root", "/{proxy+}": "proxy"}
"""The module's keys of the API resources it declares, by path."""


def module_name(function: str) -> str:
    """A Terraform identifier for the function's module block."""
    cleaned = "".join(c if c.isalnum() or c == "_" else "_" for c in function)
    return cleaned if cleaned[:1].isalpha() else f"service_{cleaned}"


def import_blocks(survey: Survey, options: AdoptOptions) -> str:
    """One `import` block per resource the module declares that exists already."""
    prefix = f"module.{module_name(survey.function)}"
    return "\n".join(
        f'import {{\n  to = {prefix}.{address}\n  id = "{identity}"\n}}\n'
        for address, identity in _existing(survey, options)
    )


def _existing(survey: Survey, options: AdoptOptions) -> list[tuple[str, str]]:
    function, api_id = survey.function, survey.api_id
    found = [("aws_lambda_function.this", function)]
    for alias in ADOPTED_ALIASES:
        found.append((f'aws_lambda_alias.this["{alias}"]', f"{function}/{alias}"))
        statement = f"{PERMISSION_PREFIX}{alias}"
        found.append((f'aws_lambda_permission.api["{alias}"]', f"{function}:{alias}/{statement}"))
    found.append(("aws_api_gateway_rest_api.this", api_id))
    for integration in survey.own_integrations():
        key = _RESOURCE_KEYS.get(integration.path)
        if key is None or integration.method != "ANY":
            continue
        where = f"{api_id}/{integration.resource_id}/ANY"
        if key == "proxy":
            found.append(("aws_api_gateway_resource.proxy", f"{api_id}/{integration.resource_id}"))
        found.append((f'aws_api_gateway_method.any["{key}"]', where))
        found.append((f'aws_api_gateway_integration.alias["{key}"]', where))
    for name, stage in (("prod", options.prod_stage), ("test", options.test_stage)):
        found.append((f"aws_api_gateway_stage.{name}", f"{api_id}/{stage}"))
    if FUNCTION_LOG_GROUP in survey.settings:
        found.append(("aws_cloudwatch_log_group.function", survey.settings[FUNCTION_LOG_GROUP]))
    return found


def module_call(
    survey: Survey, options: AdoptOptions, zip_path: str, source: str = MODULE_SOURCE
) -> str:
    """The module block declaring the adopted service as it is, so the import changes nothing
    bgtui relies on; the zip only seeds a function the module creates, so any zip will do."""
    settings = survey.settings
    values: list[tuple[str, str]] = [
        ("source", json.dumps(source)),
        ("function_name", json.dumps(survey.function)),
        ("environment", json.dumps(options.environment)),
        ("zip_path", json.dumps(zip_path)),
        ("handler", json.dumps(settings.get("handler", ""))),
        ("runtime", json.dumps(settings.get("runtime", ""))),
        ("memory_size", settings.get("memory_size", "128")),
        ("timeout", settings.get("timeout", "3")),
        ("architectures", settings.get("architectures", '["x86_64"]')),
        ("tracing_mode", json.dumps(settings.get("tracing_mode", "PassThrough"))),
        ("execution_role_arn", json.dumps(settings.get("role", ""))),
        ("api_name", json.dumps(survey.api_name)),
        ("prod_stage_name", json.dumps(options.prod_stage)),
        ("test_stage_name", json.dumps(options.test_stage)),
        ("xray_tracing_enabled", settings.get("xray_tracing_enabled", "false")),
        ("smoke_path", '""'),
    ]
    if options.service_name:
        values.insert(2, ("service_name", json.dumps(options.service_name)))
    width = max(len(name) for name, _ in values)
    body = "\n".join(f"  {name.ljust(width)} = {value}" for name, value in values)
    return f'module "{module_name(survey.function)}" {{\n{body}\n}}\n'
