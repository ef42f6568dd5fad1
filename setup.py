"""The wheel carries the lessons, help directory and translations inside the package
(bot/shipped/), so an installed safebot needs no git clone. A source checkout reads the
top-level folders directly."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SHIPPED = ("dialogs", "content", "locales")


class BuildWithContent(build_py):  # type: ignore[misc]
    def run(self) -> None:
        super().run()
        here = Path(__file__).resolve().parent
        for name in SHIPPED:
            if (here / name).is_dir():
                target = Path(self.build_lib) / "bot" / "shipped" / name
                shutil.copytree(
                    here / name,
                    target,
                    dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("*.mo", "__pycache__"),
                )


setup(cmdclass={"build_py": BuildWithContent})
