"""Read a file safely (CSV, XLSX, JSON, YAML) into rows, and write the upload templates.

Nothing here writes to the database: the rows go to `portal.publish` for
validation against the declaration and, when clean, through the door.
"""
