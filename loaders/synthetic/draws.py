"""Scalar random draws for the per-child simulation, named like numpy's Generator methods.

A numpy Generator is the right tool for arrays but slow for one number at a time (a microsecond
or more per call); the simulation draws millions of single numbers, so it uses Python's
`random.Random` (seeded from the LA's numpy stream, so still deterministic) behind the same names.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Protocol, TypeVar

import numpy as np

T = TypeVar("T")


class Draws:
    def __init__(self, numpy_stream: np.random.Generator) -> None:
        self._random = random.Random(int(numpy_stream.integers(0, 2**62)))
        self.random = self._random.random

    def integers(self, low: int, high: int) -> int:
        """A whole number from `low` to `high - 1`."""
        return low + int(self._random.random() * (high - low))

    def uniform(self, low: float, high: float) -> float:
        return self._random.uniform(low, high)

    def exponential(self, scale: float) -> float:
        return self._random.expovariate(1.0 / scale)

    def gamma(self, shape: float, scale: float) -> float:
        return self._random.gammavariate(shape, scale)

    def triangular(self, left: float, mode: float, right: float) -> float:
        return self._random.triangular(left, right, mode)

    def normal(self, mean: float, sd: float) -> float:
        return self._random.gauss(mean, sd)

    def choice(self, options: Sequence[T]) -> T:
        return self._random.choice(options)

    def weighted_index(self, weights: Sequence[float]) -> int:
        return self._random.choices(range(len(weights)), weights=weights)[0]


class UniformSource(Protocol):
    def random(self) -> float: ...


def pick(draws: UniformSource, weights: dict[str, float]) -> str:
    """One key of `weights`, drawn with probability proportional to its weight."""
    point = draws.random() * sum(weights.values())
    for key, weight in weights.items():
        point -= weight
        if point < 0:
            return key
    return key
