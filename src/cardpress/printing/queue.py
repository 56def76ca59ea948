"""What a CUPS queue can print, asked before a job is sent.

`lpoptions -p QUEUE -l` lists the queue's driver options: PageSize (with
`Custom.WIDTHxHEIGHT` when it takes custom sizes) and Duplex. A queue that cannot print
the file's paper would put a 5x3 card, unscaled, in the middle of a Letter sheet; one
without duplex would print the backs on sheets of their own. Both are refused, naming
what the queue offers; `--force` sends anyway. A queue that lists no options (a raw
queue, or a driver that says nothing) is not second-guessed.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass

from cardpress.printing.settings import PrintSettings

_LINE = re.compile(r"^([^/:\s]+)(?:/[^:]*)?:\s*(.*)$")


@dataclass(frozen=True)
class Queue:
    name: str  # as the user named it, or "the default printer"
    options: dict[str, tuple[str, ...]]  # option -> choices, as lpoptions lists them

    def choices(self, *keys: str) -> tuple[str, ...] | None:
        """The choices of the first option whose name is one of `keys` (any case), if listed."""
        for key, values in self.options.items():
            if key.lower() in keys:
                return values
        return None


def parse_options(text: str) -> dict[str, tuple[str, ...]]:
    """lpoptions -l output: `Key/Label: *Default Other …` per line."""
    out = {}
    for line in text.splitlines():
        m = _LINE.match(line.strip())
        if m:
            out[m.group(1)] = tuple(v.lstrip("*") for v in m.group(2).split())
    return out


def server_down() -> str | None:
    """CUPS's own words when the scheduler cannot be reached, else None."""
    res = subprocess.run(["lpstat", "-r"], capture_output=True, text=True, check=False)
    said = (res.stdout + res.stderr).strip()
    return said or "no answer" if "not running" in said or res.returncode != 0 else None


def read_queue(printer: str | None) -> Queue:
    argv = ["lpoptions", *(["-p", printer] if printer else []), "-l"]
    res = subprocess.run(argv, capture_output=True, text=True, check=False)
    return Queue(f"`{printer}`" if printer else "the default printer",
                 parse_options(res.stdout) if res.returncode == 0 else {})


def _offers_media(choices: tuple[str, ...], media: str) -> bool:
    lowered = [c.lower() for c in choices]
    if media in ("Letter", "A4"):
        key = media.lower()
        return any(c.startswith(key) or f"_{key}_" in c or c.startswith(f"iso_{key}") for c in lowered)
    if any(c.startswith("custom.") for c in lowered):
        return True  # the queue takes any size within its limits
    # A named size for the card: 3x5, Index3x5, w216h360 (PPD names in points), na_index-3x5_3x5in.
    m = re.match(r"Custom\.([\d.]+)x([\d.]+)in", media)
    if not m:
        return False
    w, h = float(m.group(1)), float(m.group(2))
    sizes = {f"{w:g}x{h:g}", f"{h:g}x{w:g}", f"w{w * 72:g}h{h * 72:g}", f"w{h * 72:g}h{w * 72:g}"}
    return any(s in c for c in lowered for s in sizes)


def _offers_sides(queue: Queue, sides: str) -> bool:
    duplex = queue.choices("duplex", "sides", "jclduplex", "efduplex", "kmduplex")
    if duplex is None:
        return False
    lowered = [c.lower() for c in duplex]
    if sides == "two-sided-long-edge":
        return any("notumble" in c or "long" in c for c in lowered)
    return any(("tumble" in c and "notumble" not in c) or "short" in c for c in lowered)


def refusal(queue: Queue, settings: PrintSettings, file_name: str) -> str | None:
    """Why the queue cannot print the file as it asks, with what to do instead; or None."""
    if not queue.options:
        return None  # nothing listed: nothing to hold the file against
    media = queue.choices("pagesize", "media")
    if media is not None and not _offers_media(media, settings.media):
        shown = [m for m in media if not m.lower().startswith("custom.")]
        hint = ("add a custom page size to the queue (its driver has none), or print a sheet layout "
                "instead (cardpress print deck --layout letter-4up)" if settings.media.startswith("Custom.")
                else "choose a queue with that paper")
        return (f"printer {queue.name} has no {settings.media} paper (it offers {', '.join(shown[:12]) or 'none'}), "
                f"so {file_name} would print unscaled on another size: {hint}; --force sends it anyway")
    if settings.sides and settings.sides.startswith("two-sided") and not _offers_sides(queue, settings.sides):
        edge = "long" if settings.sides.endswith("long-edge") else "short"
        return (f"printer {queue.name} does not print two-sided ({edge} edge), which {file_name} needs: "
                "print the halves instead (cardpress deck --fronts-only --backs-only, then cardpress print deck "
                "--fronts-only, turn the stack, cardpress print deck --backs-only); --force sends it anyway")
    return None
