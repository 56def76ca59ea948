"""The pipeline: running the engines and putting their files in place.

`parallel` (rendering in worker processes), `preflight` (everything `build` would
refuse, found without drawing), `defaults` (which layouts, flip and paper `build` uses).

Imports: the engines and every layer below them; never a command (cli, drill, grow,
printing, mark).
"""
