"""Debian's Chromium for browser tests, with a Korean font (Noto CJK) so that screenshots
show Hangul: found on the machine, or installed from Debian's packages when missing (CI
starts from a machine without them)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

CHROMIUM = "chromium"
KOREAN_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


def chromium_path() -> str:
    found = shutil.which(CHROMIUM)
    if found and KOREAN_FONT.exists():
        return found
    env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "--no-install-recommends", CHROMIUM, "fonts-noto-cjk"]
    if subprocess.run(install, env=env, capture_output=True).returncode != 0:
        subprocess.run(["apt-get", "update"], env=env, capture_output=True, check=True)
        subprocess.run(install, env=env, capture_output=True, check=True)
    found = shutil.which(CHROMIUM)
    if not found:
        raise RuntimeError("Debian's chromium could not be installed")
    return found
