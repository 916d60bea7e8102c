"""Typed wrappers around the AWS APIs bgtui calls, through boto3."""
