"""The drill history as four charts: session times against their goals, retention by week,
cards by FSRS stability, and the due cards of the next 30 days.

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


def figure_bytes(sessions: list[Session], fmt: str, weeks=(), stability=(), due=(), today=None,
                 retention: float | None = None) -> bytes:
    import io

    from cardpress.typeset.mplconfig import prepare

    prepare()  # matplotlib's font list from cardpress's folder, as formulas use it
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, layout="constrained")
    (top, ret), (stab, fore) = fig.subplots(2, 2)
    xs = list(range(1, len(sessions) + 1))
    taken, goals = zip(*(session_minutes(s) for s in sessions)) if sessions else ((), ())
    colors = ["#2e7d32" if t <= g else "#b5452b" for t, g in zip(taken, goals)]
    top.bar(xs, taken, color=colors, label="time taken")
    # A goal mark over each bar: sessions differ in size, so their goals differ too.
    top.hlines(goals, [x - 0.45 for x in xs], [x + 0.45 for x in xs], colors="black", linestyles="--",
               label="goal")
    top.set_ylabel("minutes")
    top.set_xlabel("session")
    top.set_title("Sessions: time against the goal", fontsize="medium")
    if sessions:
        top.set_ylim(0, max(max(taken), max(goals)) * 1.3)  # headroom for the legend
        top.legend(loc="upper right", fontsize="small")
    top.xaxis.get_major_locator().set_params(integer=True)

    if weeks:
        ret.plot([w[0] for w in weeks], [100 * w[2] / w[1] for w in weeks], marker="o", color="#1f5fa8")
    if retention is not None:  # what FSRS schedules for: weeks well under it say the grades are generous
        ret.axhline(100 * retention, color="black", linestyle="--", linewidth=1, label=f"desired {retention:g}")
        ret.legend(loc="lower left", fontsize="small")
    ret.set_ylim(0, 105)
    ret.set_ylabel("% recalled (not Again)")
    ret.set_title("Retention by week", fontsize="medium")
    ret.tick_params(axis="x", labelrotation=30, labelsize="small")

    labels = [label for label, _ in stability]
    stab.barh(labels, [n for _, n in stability], color="#6a4c93")
    stab.invert_yaxis()
    stab.set_xlabel("cards")
    stab.set_title("Cards by FSRS stability", fontsize="medium")
    stab.xaxis.get_major_locator().set_params(integer=True)

    fore.bar(list(range(len(due))), list(due), color="#2e7d32")
    fore.set_xlabel(f"days from {today.isoformat()}" if today else "days from today")
    fore.set_ylabel("cards due")
    fore.set_title("Due per day, next 30 days", fontsize="medium")
    fore.yaxis.get_major_locator().set_params(integer=True)
    buf = io.BytesIO()
    metadata = {"CreationDate": None, "Producer": None, "Creator": None} if fmt == "pdf" else {"Software": None}
    fig.savefig(buf, format=fmt, metadata=metadata)
    return buf.getvalue()


def write_plot(path: Path, sessions: list[Session], weeks=(), stability=(), due=(), today=None,
               retention: float | None = None) -> None:
    from cardpress.errors import CardpressError, Problem
    from cardpress.files.atomic import atomic_write_bytes, write_error

    if not sessions and not weeks:
        raise CardpressError(Problem("nothing to plot yet: no timed session has an answer", file=str(path)))
    fmt = Path(path).suffix.lower().lstrip(".")
    data = figure_bytes(sessions, fmt, weeks, stability, due, today, retention)
    try:
        atomic_write_bytes(path, data)
    except IsADirectoryError:
        raise CardpressError(Problem("--plot: this is a folder; give a file name ending in .pdf or .png",
                                     file=str(path))) from None
    except OSError as exc:  # a read-only folder, a full disk (issue 18, D23)
        raise write_error(Path(path), exc) from None
