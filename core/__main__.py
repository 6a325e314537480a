"""`python -m core ...` is the same as `s2s ...` (and works under `torchrun`)."""

from core.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
