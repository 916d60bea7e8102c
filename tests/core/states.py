"""Service states built by hand for the core's unit tests: blue live on v2, green idle on v3."""

from __future__ import annotations

from bgtui.core.models import (
    AlarmState,
    AliasState,
    Colour,
    LiveRecord,
    PreviousLive,
    ServiceRef,
    ServiceState,
    StageState,
)


def state_of(
    live: Colour = Colour.BLUE,
    blue: str = "2",
    green: str = "3",
    live_version: str | None = None,
    previous: PreviousLive | None = None,
    alarms: tuple[AlarmState, ...] = (),
    alarms_unreadable: str = "",
    function: str = "payments-api",
) -> ServiceState:
    held = {Colour.BLUE: blue, Colour.GREEN: green}
    record = LiveRecord(live, previous).to_description()
    return ServiceState(
        ref=ServiceRef(function, "eu-west-1", api_id="api0"),
        blue=AliasState("blue", blue, "rb"),
        green=AliasState("green", green, "rg"),
        live=AliasState("live", live_version or held[live], "rl", record),
        stages={"prod": StageState("prod", "live"), "test": StageState("test", live.other.value)},
        alarms=alarms,
        alarms_unreadable=alarms_unreadable,
    )
