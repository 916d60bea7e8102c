"""The blue/green domain: models, operations, gates and audit, with no UI and no AWS SDK."""
