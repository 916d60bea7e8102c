"""What a training scenario needs from the demo world beyond its build: its guard, its reopening."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bgtui.app.backend import Backend
    from bgtui.demo.scenarios import Scenario


def prepare_scenario(scenario: Scenario, backend: Backend, endpoint_url: str) -> None:
    """Deploy the scenario service's guard when it has one, and let the scenario read it."""
    if not scenario.guarded:
        return
    from bgtui.app.guard_trail import guard_records
    from bgtui.demo.guard_stack import provision_guard
    from bgtui.emulator.clients import EmulatorClients

    ref = backend.catalog.find(scenario.function)
    provision_guard(EmulatorClients(endpoint_url, ref.region), ref.function, ref.api_id)
    scenario.read_guard = lambda function: guard_records(backend, function)


def wait_to_reopen(scenario: Scenario) -> bool:
    """With the console closed on a step that wants it so: True once the trainee asks it back."""
    prompt = scenario.reopen_prompt()
    if not prompt:
        return False
    try:
        input(prompt + "\n")
    except (EOFError, KeyboardInterrupt):
        return False
    return True
