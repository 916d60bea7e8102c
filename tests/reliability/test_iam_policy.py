"""The IAM evaluator the least-privilege tests rely on: wildcards, Not-elements, Deny wins,
StringEquals (IAM User Guide, "Condition operators": a key missing from the request fails it)."""

from __future__ import annotations

import pytest

from tests.reliability.iam_policy import Request, UnsupportedPolicy, allowed, decide

FN = "arn:aws:lambda:us-east-1:123456789012:function:orders"


def policy(*statements: dict) -> dict:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(action, resource) -> dict:
    return {"Effect": "Allow", "Action": action, "Resource": resource}


def test_action_wildcards_match_case_insensitively_within_the_service() -> None:
    granted = [policy(allow("lambda:Get*", FN))]
    assert allowed(granted, Request("lambda:GetAlias", FN))
    assert allowed(granted, Request("LAMBDA:getalias", FN))
    assert not allowed(granted, Request("lambda:UpdateAlias", FN))
    assert not allowed(granted, Request("logs:GetLogEvents", FN))


def test_resource_wildcards_cross_colons_but_respect_case_and_prefixes() -> None:
    granted = [policy(allow("lambda:InvokeFunction", [f"{FN}:*"]))]
    assert allowed(granted, Request("lambda:InvokeFunction", f"{FN}:green"))
    assert not allowed(granted, Request("lambda:InvokeFunction", FN))
    assert not allowed(granted, Request("lambda:InvokeFunction", f"{FN}-v2:green"))
    assert not allowed(granted, Request("lambda:InvokeFunction", f"{FN.upper()}:green"))
    one_char = [policy(allow("lambda:InvokeFunction", f"{FN}:?"))]
    assert allowed(one_char, Request("lambda:InvokeFunction", f"{FN}:7"))
    assert not allowed(one_char, Request("lambda:InvokeFunction", f"{FN}:17"))


def test_an_explicit_deny_wins_over_any_allow() -> None:
    granted = [
        policy(allow("*", "*")),
        policy({"Effect": "Deny", "Action": "lambda:UpdateAlias", "Resource": f"{FN}:live"}),
    ]
    assert decide(granted, Request("lambda:UpdateAlias", f"{FN}:live")) == "deny"
    assert decide(granted, Request("lambda:UpdateAlias", f"{FN}:green")) == "allow"
    assert decide([policy()], Request("lambda:UpdateAlias", FN)) == "implicit-deny"


def test_not_action_and_not_resource_invert_the_match() -> None:
    granted = [
        policy({"Effect": "Allow", "NotAction": "lambda:Update*", "Resource": "*"}),
        policy({"Effect": "Deny", "Action": "*", "NotResource": [f"{FN}", f"{FN}:*"]}),
    ]
    assert allowed(granted, Request("lambda:GetAlias", f"{FN}:live"))
    assert not allowed(granted, Request("lambda:UpdateAlias", f"{FN}:live"))
    assert not allowed(granted, Request("lambda:GetAlias", "arn:aws:lambda:::function:other"))


def test_string_equals_holds_only_for_a_request_carrying_one_of_its_values() -> None:
    key = "arn:aws:kms:us-east-1:123456789012:key/k1"
    context_key = "kms:EncryptionContext:aws:sns:topicArn"
    topics = ["arn:aws:sns:us-east-1:123456789012:a", "arn:aws:sns:us-east-1:123456789012:b"]
    granted = [
        policy(allow("kms:Decrypt", key) | {"Condition": {"StringEquals": {context_key: topics}}})
    ]
    assert allowed(granted, Request("kms:Decrypt", key, {context_key: topics[1]}))
    assert allowed(granted, Request("kms:Decrypt", key, {context_key.upper(): topics[0]}))
    assert not allowed(granted, Request("kms:Decrypt", key, {context_key: topics[0].upper()}))
    assert not allowed(granted, Request("kms:Decrypt", key, {context_key: topics[0] + "x"}))
    assert not allowed(granted, Request("kms:Decrypt", key))


def test_a_condition_is_refused_rather_than_guessed() -> None:
    conditional = allow("lambda:*", "*") | {
        "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
    }
    with pytest.raises(UnsupportedPolicy):
        allowed([policy(conditional)], Request("lambda:GetAlias", FN))
