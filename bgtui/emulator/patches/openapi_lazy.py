"""openapi_spec_validator, which moto's API Gateway imports on load but uses only to import an
OpenAPI document (ImportRestApi, PutRestApi), loaded at that first use instead (a third of a
second of every emulator start)."""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

PACKAGE = "openapi_spec_validator"
EXCEPTIONS = f"{PACKAGE}.validation.exceptions"


class OpenAPIValidationError(Exception):
    """What moto catches; the real validator's error is raised as this one."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message  # moto quotes it in its answer


def validate(spec: Any, *args: Any, **kwargs: Any) -> Any:
    real = _real_package()
    errors = importlib.import_module(EXCEPTIONS)
    try:
        return real.validate(spec, *args, **kwargs)
    except errors.OpenAPIValidationError as error:
        raise OpenAPIValidationError(getattr(error, "message", str(error))) from error


def _real_package() -> Any:
    for name in (PACKAGE, f"{PACKAGE}.validation", EXCEPTIONS):
        if getattr(sys.modules.get(name), "__bgtui_stand_in__", False):
            del sys.modules[name]
    return importlib.import_module(PACKAGE)


def _stand_in(name: str, **attributes: Any) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__dict__.update(attributes, __bgtui_stand_in__=True)
    return module


def apply() -> None:
    if PACKAGE in sys.modules or "moto.apigateway.models" in sys.modules:
        return  # already imported for real: nothing to save
    validation = _stand_in(f"{PACKAGE}.validation")
    sys.modules[PACKAGE] = _stand_in(PACKAGE, validate=validate, validation=validation)
    sys.modules[f"{PACKAGE}.validation"] = validation
    sys.modules[EXCEPTIONS] = _stand_in(EXCEPTIONS, OpenAPIValidationError=OpenAPIValidationError)
    validation.exceptions = sys.modules[EXCEPTIONS]  # type: ignore[attr-defined]
