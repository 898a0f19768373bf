"""Write SVG screenshots of each main screen: `python -m tests.support.screenshots` (or `make screenshots`).

    python -m tests.support.screenshots                       # screenshots/<scene>.svg at 100x30
    python -m tests.support.screenshots --size 80x24 --size 120x40   # screenshots/<scene>-80x24.svg, ...
    python -m tests.support.screenshots help export           # only these scenes

The scenes (the keys pressed to reach each screen) are the ones the snapshot tests use: tests/scenes.py.
A scene whose app crashes is reported and skipped; the exit status is 1 if any did.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SIZE = (100, 30)


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected COLUMNSxROWS such as 100x30, not {text!r}") from None
    return width, height


def _parser(scene_names: list[str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tests.support.screenshots", description=__doc__.split("\n")[0])
    parser.add_argument("scenes", nargs="*", metavar="SCENE", help=f"default: all of {', '.join(scene_names)}")
    parser.add_argument(
        "--size", type=_size, action="append", metavar="WxH", help="terminal size; repeat for several (default 100x30)"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots", help="directory (default: screenshots/)")
    return parser


async def _shoot(scenes, sizes, out: Path) -> list[str]:
    from tests.support.scenes import SceneCrashed, screenshot

    failed = []
    for scene in scenes:
        for size in sizes:
            name = scene.name if len(sizes) == 1 else f"{scene.name}-{size[0]}x{size[1]}"
            target = out / f"{name}.svg"
            started = time.monotonic()
            try:
                svg = await screenshot(scene, size)
            except (SceneCrashed, TimeoutError, AssertionError) as exc:
                failed.append(name)
                print(f"FAILED {name}: {exc}", file=sys.stderr)
                continue
            target.write_text(svg, encoding="utf-8")
            print(
                f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}"
                f"  ({time.monotonic() - started:.1f} s)"
            )
    return failed


def main(argv: list[str] | None = None) -> int:
    # Never touch the developer's drafts or schema cache (the app runs with autosave off anyway).
    with tempfile.TemporaryDirectory(prefix="smjob-screenshots-") as scratch:
        os.environ.setdefault("SMJOB_DATA_DIR", os.path.join(scratch, "data"))
        os.environ.setdefault("SMJOB_CACHE_DIR", os.path.join(scratch, "cache"))
        return _main(argv)


def _main(argv: list[str] | None) -> int:
    sys.path.insert(0, str(ROOT))
    from tests.support.scenes import SCENE_BY_NAME, SCENES, stable_environment

    args = _parser([s.name for s in SCENES]).parse_args(argv)
    unknown = [name for name in args.scenes if name not in SCENE_BY_NAME]
    if unknown:
        print(f"unknown scene(s): {', '.join(unknown)}; known: {', '.join(SCENE_BY_NAME)}", file=sys.stderr)
        return 2
    scenes = [SCENE_BY_NAME[name] for name in args.scenes] or list(SCENES)
    sizes = args.size or [DEFAULT_SIZE]
    args.out.mkdir(parents=True, exist_ok=True)
    with stable_environment():
        failed = asyncio.run(_shoot(scenes, sizes, args.out))
    if failed:
        print(f"{len(failed)} screenshot(s) not written: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
