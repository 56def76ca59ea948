"""The drill history as a chart: each session's time against its goal, and its misses.

matplotlib (Agg, no display needed) draws both PDF and PNG; reportlab's charts would
need an extra renderer for PNG. Creation dates and the software tag are left out of the
file's metadata, so the same history gives the same bytes.
"""

from __future__ import annotations

from pathlib import Path

from cardpress.drill.store import Session

WIDTH_IN, HEIGHT_IN, DPI = 8, 6, 100  # the PNG is 800 x 600 pixels


def session_minutes(s: Session) -> tuple[float, float]:
    """(minutes taken, goal in minutes for the cards actually answered)."""
    taken = ((s.ended or s.started) - s.started) / 60
    goal = s.goal_seconds * s.answered / s.planned / 60 if s.planned else 0.0
    return taken, goal


def figure_bytes(sessions: list[Session], fmt: str) -> bytes:
    import io

    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    xs = list(range(1, len(sessions) + 1))
    taken, goals = zip(*(session_minutes(s) for s in sessions)) if sessions else ((), ())
    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=(2, 1))
    colors = ["#2e7d32" if t <= g else "#b5452b" for t, g in zip(taken, goals)]
    top.bar(xs, taken, color=colors, label="time taken")
    # A goal mark over each bar: sessions differ in size, so their goals differ too.
    top.hlines(goals, [x - 0.45 for x in xs], [x + 0.45 for x in xs], colors="black", linestyles="--",
               label="goal (8:00 for 17 cards)")
    top.set_ylabel("minutes")
    top.set_title("Drill sessions: time against the goal")
    top.set_ylim(0, max(max(taken), max(goals)) * 1.3)  # headroom for the legend
    top.legend(loc="upper right", fontsize="small")
    bottom.bar(xs, [s.misses for s in sessions], color="#b5452b")
    bottom.set_ylabel("misses")
    bottom.set_xlabel("session")
    bottom.yaxis.get_major_locator().set_params(integer=True)
    if len(xs) <= 20:
        bottom.set_xticks(xs)
    else:
        bottom.xaxis.get_major_locator().set_params(integer=True)
    bottom.set_xlim(0.4, len(xs) + 0.6)
    buf = io.BytesIO()
    metadata = {"CreationDate": None, "Producer": None, "Creator": None} if fmt == "pdf" else {"Software": None}
    fig.savefig(buf, format=fmt, metadata=metadata)
    return buf.getvalue()


def write_plot(path: Path, sessions: list[Session]) -> None:
    from cardpress.errors import CardpressError, Problem
    from cardpress.files.atomic import atomic_write_bytes

    if not sessions:
        raise CardpressError(Problem("nothing to plot yet: no timed session has an answer", file=str(path)))
    fmt = Path(path).suffix.lower().lstrip(".")
    atomic_write_bytes(path, figure_bytes(sessions, fmt))
