"""Terraform: finding the provider mirror, building commands, running them, reading output."""
