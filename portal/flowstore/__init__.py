"""The flowchart store: every service's flowchart drawn once per locale, following the revision log.

Service pages never run Graphviz: charts are drawn after publishes (`drawing.sync`),
for the services that revisions since the store's last applied one touched.
"""

from .drawing import draw, init_app, sync

__all__ = ["draw", "init_app", "sync"]
