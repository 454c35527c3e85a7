"""Process flowcharts: a service's flow (steps, branches, limits) → validated graph → SVG.

`validate` reads a flow table into a `graph` (or says what to fix), `text`
walks it for the text equivalent, and `dot` and `svg` draw it with Graphviz.
Nothing here touches the database, so the schemas can validate flows with it;
the drawings of published services are kept by `portal.flowstore`.
"""
