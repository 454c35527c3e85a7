"""Atom and RSS feeds of the change log: the whole site, each kind, each department, each
department's kind — built with feedgen from the recorded change events."""
