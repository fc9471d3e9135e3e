import sys

from labkb.cli.commands import main

sys.exit(main())
