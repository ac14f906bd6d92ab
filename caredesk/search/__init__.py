"""Full-text search across transcripts, messages, emails, verbatims and ticket comments the
user may see (PostgreSQL full-text search with a GIN index; SQLite FTS5 on the default)."""
