"""`cardpress drill`: the deck's drill protocol in the terminal, remembered in SQLite.

schedule.py (Leitner boxes, the mastered rule: pure), store.py (the SQLite file),
clock.py and terminal.py (the injectable clock and key reader), session.py (the
interactive loop), plot.py (the history as a chart), command.py (the typer commands).
Only command.py is imported when the CLI starts; the rest load when a drill runs.
"""
