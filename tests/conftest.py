from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

import briefkit
from briefs import SEEDS

# CI replays the same examples every run (a red CI always means a regression); developers'
# runs keep exploring new examples. Run with CI=true to reproduce CI exactly.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def seeds() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def corpus() -> briefkit.Corpus:
    return briefkit.Corpus.from_dir(SEEDS)


@pytest.fixture
def cnn(corpus: briefkit.Corpus) -> briefkit.Source:
    return corpus["000_28b258b49d188a62.txt"]
