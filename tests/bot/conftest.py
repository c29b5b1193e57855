"""Tests that run in the Rasa environment (.venv/bot): custom NLU components and the trained model."""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
