from __future__ import annotations

from pathlib import Path

import pytest

import briefkit

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture(scope="session")
def seeds() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def corpus() -> briefkit.Corpus:
    return briefkit.Corpus.from_dir(SEEDS)


@pytest.fixture
def cnn(corpus: briefkit.Corpus) -> briefkit.Source:
    return corpus["000_28b258b49d188a62.txt"]
