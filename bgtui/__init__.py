"""bgtui: a terminal operator console for blue/green releases of AWS Lambda functions."""

__version__ = "0.1.0"
