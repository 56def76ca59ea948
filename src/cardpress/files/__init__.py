"""Ground floor: how cardpress's own files reach the disk.

`output` (a finished file in memory or streamed), `atomic` (whole or not at all: a
temporary file, then a rename), `staging` (a run's files staged in the output folder and
renamed into place together; `build`'s manifest), `cache` (where reusable work is kept
between runs), `find` (the catalog, found as git finds its repository).

Imports: only `cardpress.errors` and the standard library.
"""
