"""The console's actions as the command palette lists them: (title, help, action name)."""

from __future__ import annotations

PALETTE = (
    ("Promote", "make the idle colour live (p)", "promote"),
    ("Approve request", "approve another principal's pending promote request (o)", "approve"),
    ("Rollback", "return live to the previous colour and version (r)", "rollback"),
    ("Deploy to idle", "put a version, $LATEST or a zip on the idle colour (d)", "deploy"),
    ("Test idle colour", "run the smoke checks against the idle colour (t)", "smoke"),
    ("Audit history", "every recorded step and the chain's verification (a)", "audit"),
    ("Terraform", "plan, pick a workspace, apply (f)", "terraform"),
    ("Chart", "large chart of both colours of the selected service (c)", "chart"),
    ("Logs", "the selected colour's Lambda logs, followed; both colours when wide (l)", "logs"),
    ("Switch context", "another [[context]]: account, region, environment (x)", "switch_context"),
    ("Refresh now", "read services and metrics again", "refresh"),
    ("Reload credentials", "load renewed AWS credentials, then read everything (ctrl+r)", "reload"),
    ("Filter services", "show only services whose name matches (/)", "filter_services"),
    ("Keys and legend", "what every key, glyph and word means (?)", "help"),
    ("Quit", "leave the console; refused while an operation runs (q)", "quit"),
)
