"""The OS keyring: the audit key, stored credentials and their passphrase."""
