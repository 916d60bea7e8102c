"""The fast timestamp parser agrees with botocore's for every form AWS sends."""

from __future__ import annotations

from datetime import UTC, datetime

from botocore.utils import parse_timestamp
from hypothesis import given
from hypothesis import strategies as st

from bgtui.adapters.aws.session import fast_timestamp, make_clients

moments = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)


@given(moments)
def test_epoch_numbers_and_strings_agree(moment: datetime) -> None:
    epoch = moment.timestamp()
    for value in (epoch, str(epoch), moment.isoformat(), moment.strftime("%Y-%m-%dT%H:%M:%SZ")):
        assert fast_timestamp(value) == parse_timestamp(value)


def test_http_dates_fall_back_to_botocore() -> None:
    text = "Sat, 28 Nov 2026 03:00:00 GMT"
    assert fast_timestamp(text) == datetime(2026, 11, 28, 3, tzinfo=UTC)


def test_clients_use_the_fast_parser() -> None:
    context = make_clients(None, "us-east-1", "http://127.0.0.1:9", environ={})
    context.client("cloudwatch")
    factory = context._session._session.get_component("response_parser_factory")
    assert factory._defaults["timestamp_parser"] is fast_timestamp
