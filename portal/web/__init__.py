"""What views and feeds share: URL building, the locale in the URL, twins, and request parsing.

It sits below `views/` and `feeds/` and above the read side (`catalog/`, `search/`),
so that both kinds of output build the same URLs and parse requests the same way.
"""
