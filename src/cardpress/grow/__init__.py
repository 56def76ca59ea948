"""Growing the catalog: add, import, export, schema."""
