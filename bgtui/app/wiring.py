"""Wires settings to adapters and the core: the backend and the release service over it."""

from __future__ import annotations

import atexit
from collections.abc import Callable
from datetime import UTC, datetime

from bgtui.adapters.aws.apigateway import ApiGatewayStages
from bgtui.adapters.aws.audit_logs import CloudWatchAuditSource
from bgtui.adapters.aws.call_log import CallLog
from bgtui.adapters.aws.cloudwatch import CloudWatchAlarms, CloudWatchMetrics
from bgtui.adapters.aws.http_client import HttpClient
from bgtui.adapters.aws.identity import StsIdentity
from bgtui.adapters.aws.lambda_functions import LambdaFunctions
from bgtui.adapters.aws.lambda_logs import LambdaLogs
from bgtui.adapters.aws.logs import CloudWatchAuditSink
from bgtui.adapters.aws.session import AwsContext, make_clients
from bgtui.adapters.aws.sns import SnsTopic
from bgtui.adapters.keyring.audit_key import AuditKey
from bgtui.app.backend import Backend
from bgtui.app.notifications import NotificationQueue, notifiers
from bgtui.app.service import AuditReader, ReleaseService
from bgtui.app.settings import Settings
from bgtui.app.trail_identity import trail_id
from bgtui.core.audit import AuditTrail
from bgtui.core.catalog import Catalog
from bgtui.core.operations import BlueGreen


def build_backend(
    settings: Settings,
    signing_key: bytes | Callable[[], bytes | None] | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    audit_key: AuditKey | None = None,
) -> Backend:
    """Real adapters for the configured profile, region and endpoint.

    `audit_key`, when given, is the signing key's source (and `signing_key` is not used).
    """
    if audit_key is not None:
        signing_key = audit_key
    call_log = CallLog()
    context = make_clients(settings.profile, settings.region, settings.endpoint_url, call_log)
    functions = LambdaFunctions(context)
    stages = ApiGatewayStages(context)
    catalog = Catalog(
        functions,
        stages,
        CloudWatchAlarms(context),
        context.region,
        settings.services,
        clock=clock,
        integrations=stages,
    )
    marks = {"endpoint": context.endpoint_url} if context.endpoint_url else {}
    if settings.context:
        marks["context"] = settings.context
    audit = AuditTrail(settings.audit_path, signing_key=signing_key, clock=clock, marks=marks)
    sink = CloudWatchAuditSink(context, trail=trail_id(settings.audit_path))
    operations = BlueGreen(
        catalog,
        functions,
        stages,
        audit,
        StsIdentity(context),
        settings.policy,
        sink=sink,
        http=HttpClient(),
        clock=clock,
    )
    metrics = CloudWatchMetrics(context)
    caller = StsIdentity(context)
    logs = LambdaLogs(context, account=lambda: caller.whoami().account)
    backend = Backend(
        settings, catalog, operations, metrics, audit, call_log, context, clock, audit_key, logs
    )
    backend.audit_source = CloudWatchAuditSource(context)
    backend.audit_host = sink.host
    backend.notifications = start_notifications(settings, context, audit)
    return backend


def start_notifications(
    settings: Settings, context: AwsContext, audit: AuditTrail
) -> NotificationQueue | None:
    """Notify `[notify]` of every event the trail records; at exit, wait a few seconds at most.

    The demo's synthetic releases are never announced on the team's real channels.
    """
    if not settings.notify.enabled or settings.demo:
        return None
    targets = notifiers(settings.notify, lambda arn: SnsTopic(context, arn))
    queue = NotificationQueue(targets, audit, settings.environment or settings.context)
    audit.observers.append(queue.observe)
    atexit.register(queue.close)
    return queue


def build_service(
    settings: Settings,
    audit_key: AuditKey | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> ReleaseService:
    """The release service over real adapters: what the CLI and the console both work through."""
    return ReleaseService(build_backend(settings, clock=clock, audit_key=audit_key))


def audit_reader(settings: Settings) -> AuditReader:
    """The configured audit trail alone, signed with the keyring's key when one is usable."""
    from bgtui.adapters.keyring.secrets import audit_signing_key

    return AuditReader(AuditTrail(settings.audit_path, signing_key=audit_signing_key()))
