"""Read-side services: what the public pages show, as plain data."""
