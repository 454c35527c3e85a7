"""Alembic migrations of the portal's database (see portal/migrate.py): env.py, and one script per change in versions/."""
