"""Accounts: passwords, users, login sessions with throttling, API tokens, the audit log."""
