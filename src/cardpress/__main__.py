"""`python -m cardpress`, and the `cardpress` command's entry point (run)."""

import sys

from cardpress import startup


def run() -> None:
    startup.hold()  # see cardpress.startup
    try:
        from cardpress.cli import main
    finally:
        if sys.argv[1:2] and sys.argv[1] in startup.HELD_THROUGH_ENGINE:
            pass  # the command calls startup.loaded() once its engine is imported
        else:
            startup.loaded()
    main()


if __name__ == "__main__":
    run()
