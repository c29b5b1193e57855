"""`python -m bot.build [DATABASE_URL]`: export the training inputs, train if they changed, print the model."""
from __future__ import annotations

import sys

from bot.build.export import export
from bot.build.model import ensure_model

if __name__ == "__main__":
    export(database_url=sys.argv[1] if len(sys.argv) > 1 else None)
    print(ensure_model())
