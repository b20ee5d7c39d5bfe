"""``python -m syncml FILE``: the same as ``syncml-decode FILE``."""

from ._cli import main

raise SystemExit(main())
