"""`cardpress watch`: a warm process that rebuilds what a save changed.

rebuild (catalog -> which outputs changed -> render and write only those) is the logic,
command (watchfiles' loop, one line per save) the shell around it, warm the memo of
deterministic PDF steps the watching process keeps between saves.

Imports: the pipeline, the engines and every layer below them; never another command.
"""
