"""The guard on the emulator, as `enable_guard = true` deploys it: function, permission, actions."""

from __future__ import annotations

from bgtui.adapters.terraform.tree import MODULE, terraform_tree
from bgtui.demo.stack import RUNTIME, alarm_definitions, audit_log_group, ensure_lambda_role
from bgtui.emulator.clients import EmulatorClients

GUARD_TAG = "bluegreen:guard"
ENVIRONMENT_TAG = "bluegreen:environment"
CLOUDWATCH_ALARMS = "lambda.alarms.cloudwatch.amazonaws.com"


def guard_name(function: str) -> str:
    return f"{function}-guard"


def guard_package() -> bytes:
    """The zip the module ships (terraform/modules/lambda-bluegreen/guard.zip)."""
    tree = terraform_tree()
    if tree is None:
        raise FileNotFoundError("the Terraform module (and its guard.zip) is not installed")
    return (tree / MODULE / "guard.zip").read_bytes()


def provision_guard(
    clients: EmulatorClients,
    function: str,
    api_id: str,
    account: str | None = None,
    notify_topic_arn: str = "",
) -> str:
    """Deploy the guard of one service and point its live alarms at it; returns the guard's ARN.

    As the module does, the guard is told the service's environment (its tag) and the topic it
    announces its rollbacks on (none when empty).
    """
    account = account or clients.account_id()
    guarded = clients.lambda_.get_function(FunctionName=function)
    function_arn = guarded["Configuration"]["FunctionArn"]
    environment = guarded.get("Tags", {}).get(ENVIRONMENT_TAG, "")
    created = clients.lambda_.create_function(
        FunctionName=guard_name(function),
        Runtime=RUNTIME,
        Role=ensure_lambda_role(clients),
        Handler="guard.handler",
        Code={"ZipFile": guard_package()},
        Description=f"bgtui guard of {function}: rolls live back on its alarms",
        Timeout=30,
        Environment={
            "Variables": {
                "GUARD_FUNCTION_NAME": function,
                "GUARD_API_ID": api_id,
                "GUARD_TEST_STAGE": "test",
                "GUARD_AUDIT_LOG_GROUP": audit_log_group(function),
                "GUARD_NOTIFY_TOPIC_ARN": notify_topic_arn,
                "GUARD_ENVIRONMENT": environment,
            }
        },
    )
    guard_arn = str(created["FunctionArn"])
    for definition in alarm_definitions(function):
        if definition["AlarmName"].startswith(f"{function}-live-"):
            clients.lambda_.add_permission(
                FunctionName=guard_name(function),
                StatementId=f"alarm-{definition['AlarmName']}",
                Action="lambda:InvokeFunction",
                Principal=CLOUDWATCH_ALARMS,
                SourceAccount=account,
                SourceArn=_alarm_arn(clients.region, account, definition["AlarmName"]),
            )
            clients.cloudwatch.put_metric_alarm(**definition, AlarmActions=[guard_arn])
    clients.lambda_.tag_resource(Resource=function_arn, Tags={GUARD_TAG: "on"})
    return guard_arn


def _alarm_arn(region: str, account: str, name: str) -> str:
    return f"arn:aws:cloudwatch:{region}:{account}:alarm:{name}"
