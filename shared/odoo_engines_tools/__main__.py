"""`python -m odoo_engines_tools` runs the `odoo-engines` command."""

import sys

from .cli import main

sys.exit(main())
