#!/usr/bin/env python3
"""Build this set's notes/*.txt and gold.jsonl from src/*.txt (see benchmarks/heldout_build.py).

usage: python benchmarks/heldout-synth-5/build.py
"""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from heldout_build import build  # noqa: E402

build(HERE, words=(150, 400), spans_per_note=(8, 20))
