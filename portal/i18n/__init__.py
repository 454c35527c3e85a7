"""Languages: which locale a visitor wants, Traditional conversion of content, catalog upkeep."""
