"""orders-api: answers every request, naming the version that served it."""

import json


def handler(event, context):
    # bgtui's smoke check reads the header to know which version answered through the stage.
    version = context.function_version
    return {
        "statusCode": 200,
        "headers": {"Content-Type": "application/json", "X-Bgtui-Version": version},
        "body": json.dumps({"ok": True, "version": version}),
    }
