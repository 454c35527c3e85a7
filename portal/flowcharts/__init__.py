"""Process flowcharts: a service's flow (steps, branches, limits) → validated graph → SVG.

`validate` reads a flow table into a `graph` (or says what to fix), `text`
walks it for the text equivalent, `dot` and `svg` draw it with Graphviz, and
`drawing` keeps the drawings when a flow or its commitment is published. This package imports nothing at
load time, so that the schemas can use `graph` without pulling in the models.
"""
