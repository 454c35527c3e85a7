"""Complainants stay anonymous: find personal data, offer its redaction, guard every exit, purge.

- `detect` finds probable personal data in a text (after NFKC folding), `redact` masks it;
- `review` holds an upload's findings until each is redacted or confirmed as not personal;
- `guard` is the final check every public exit runs before it emits complaint data;
- `purge` removes a published revision's personal data while its hashes stay verifiable.
"""
