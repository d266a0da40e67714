"""Use cases over the domain and the database. Never imports telegram."""
