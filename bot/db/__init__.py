"""The database: connection, migrations and small repository functions."""
