"""A stand-in for the three AWS CLI commands the comparison runs, for when the CLI is absent.

`python -m tests.bench.aws_standin --endpoint-url URL --region R --output json SERVICE COMMAND ...`
prints what `aws` would print: one process, one client, one call (or pages) per command.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

import boto3


def parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="aws")
    parser.add_argument("--endpoint-url", required=True)
    parser.add_argument("--region", required=True)
    parser.add_argument("--output", default="json")
    parser.add_argument("service")
    parser.add_argument("command")
    parser.add_argument("--function-name")
    parser.add_argument("--name")
    parser.add_argument("--resource-type-filters")
    parser.add_argument("--tag-filters")
    return parser.parse_args(argv)


def answer(args: argparse.Namespace) -> dict[str, Any]:
    client = boto3.client(args.service, endpoint_url=args.endpoint_url, region_name=args.region)
    if args.command == "get-resources":
        key, _, values = args.tag_filters.removeprefix("Key=").partition(",Values=")
        pages = client.get_paginator("get_resources").paginate(
            ResourceTypeFilters=[args.resource_type_filters],
            TagFilters=[{"Key": key, "Values": values.split(",")}],
        )
        return {"ResourceTagMappingList": [m for p in pages for m in p["ResourceTagMappingList"]]}
    if args.command == "list-versions-by-function":
        pages = client.get_paginator("list_versions_by_function").paginate(
            FunctionName=args.function_name
        )
        return {"Versions": [v for p in pages for v in p["Versions"]]}
    if args.command == "get-alias":
        return dict(client.get_alias(FunctionName=args.function_name, Name=args.name))
    raise SystemExit(f"aws stand-in: unknown command {args.service} {args.command}")


def main(argv: Sequence[str]) -> int:
    doc = answer(parse(argv))
    doc.pop("ResponseMetadata", None)
    print(json.dumps(doc, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
