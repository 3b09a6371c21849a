#!/usr/bin/env bash
# Prints the path of a Python 3.10 interpreter, or explains how to get one and exits 1.
# Rasa Open Source 3.6 runs on Python 3.8-3.10 only; Kenesh is tested on 3.10.
set -u
is_310() { "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; }

for candidate in "${KENESH_PYTHON:-}" python3.10 "$HOME"/.pyenv/versions/3.10*/bin/python3.10; do
  [ -n "$candidate" ] || continue
  path=$(command -v "$candidate" 2>/dev/null) || continue
  if is_310 "$path"; then echo "$path"; exit 0; fi
done
if command -v pyenv >/dev/null 2>&1; then
  for version in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.10(\.|$)' | sort -rV); do
    path="$(pyenv root)/versions/$version/bin/python3.10"
    if is_310 "$path"; then echo "$path"; exit 0; fi
  done
fi
cat >&2 <<'MSG'
Kenesh needs Python 3.10 (Rasa 3.6 does not run on newer Pythons), and none was found.
Install it one of these ways, then run the command again:
  - Debian/Ubuntu:  sudo apt-get install python3.10 python3.10-venv   (Ubuntu 22.04 has it; on
                    other releases use the deadsnakes PPA or pyenv)
  - pyenv:          curl https://pyenv.run | bash && pyenv install 3.10.13
  - macOS:          brew install python@3.10
  - or point KENESH_PYTHON at a Python 3.10 interpreter:  make run KENESH_PYTHON=/path/to/python3.10
MSG
exit 1
