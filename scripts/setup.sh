# Sourced by up.sh and test.sh: make sure uv is there and the workspace is installed.
if ! command -v uv >/dev/null 2>&1; then
  python3 -m pip install --quiet --disable-pip-version-check uv
  hash -r
  if ! command -v uv >/dev/null 2>&1; then
    uv() { python3 -m uv "$@"; }
  fi
fi
uv sync --frozen --all-packages --quiet
