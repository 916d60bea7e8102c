"""orders-api: answers every request with the version that served it."""

import json
import os


def handler(event, context):
    version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
    return {"statusCode": 200, "body": json.dumps({"ok": True, "version": version})}
