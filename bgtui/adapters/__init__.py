"""Typed wrappers around every outside system: AWS services, Terraform, the keyring."""
