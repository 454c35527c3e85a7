"""Descriptions of the open data that others harvest: the data package, the DCAT catalogue, the OpenAPI document."""
