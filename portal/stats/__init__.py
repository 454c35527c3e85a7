"""Every figure and chart of the portal's scorecards, computed once per revision.

`appraisals` ranks departments year by year, `complaints` and `timelimits` sum up
complaint outcomes and compressed time limits, `transparency` counts what a
department left unpublished, `scorecard` and `city` put them together for a
department page and the city statistics, and `charts` draws any of them as SVG.
Pages, JSON twins, charts, CSVs and tests all call these functions, and
`cache.per_revision` keeps their answers until the next publish (in `publish.memo`).
"""
