"""moto's process-wide settings for the emulator: no docker for Lambda, AWS managed IAM policies."""

from __future__ import annotations

from moto.core.config import default_user_config


def apply() -> None:
    # Both are read when a backend is first used, so they must be set before anything is created.
    default_user_config["lambda"] = {"use_docker": False}
    default_user_config["iam"] = {"load_aws_managed_policies": True}
