"""Getting a built PDF onto paper through CUPS, with the settings the file itself asks for."""
