#!/usr/bin/env sh
# Print a working Python 3.10 interpreter: python3.10 on PATH, else pyenv's 3.10.
# Rasa 3.6 supports Python 3.8-3.10 only.
if command -v python3.10 >/dev/null 2>&1 && python3.10 -c 'import sys' >/dev/null 2>&1; then
  command -v python3.10; exit 0
fi
if command -v pyenv >/dev/null 2>&1; then
  for candidate in "$(pyenv root)"/versions/3.10*/bin/python3.10; do
    if [ -x "$candidate" ]; then echo "$candidate"; exit 0; fi
  done
fi
echo "No Python 3.10 found. Rasa 3.6 needs Python 3.8-3.10: install python3.10 or 'pyenv install 3.10'." >&2
exit 1
