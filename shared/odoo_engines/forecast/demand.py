"""Demand classes by ADI and CV² (Syntetos, Boylan & Croston, 2005).

ADI is the average number of periods between two demands; CV² the squared coefficient
of variation of the non-zero demand sizes. The published cut-offs 1.32 and 0.49 split
series into smooth, erratic (sizes vary), intermittent (demand is rare) and lumpy (both).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

ADI_CUTOFF = 1.32
CV2_CUTOFF = 0.49

SMOOTH = "smooth"
ERRATIC = "erratic"
INTERMITTENT = "intermittent"
LUMPY = "lumpy"
NO_DEMAND = "none"
SPORADIC = (INTERMITTENT, LUMPY)


@dataclass(frozen=True)
class DemandProfile:
    """The class of a demand series and the two figures it was decided from."""

    demand_class: str
    adi: float
    cv2: float
    nonzero: int


def classify_demand(history: ArrayLike) -> DemandProfile:
    """Classify a non-negative demand series as smooth, erratic, intermittent or lumpy."""
    y = np.asarray(history, dtype=float)
    sizes = y[y > 0]
    if sizes.size == 0:
        return DemandProfile(NO_DEMAND, float("inf"), 0.0, 0)
    adi = y.size / sizes.size
    cv2 = float((sizes.std() / sizes.mean()) ** 2) if sizes.size > 1 else 0.0
    if adi < ADI_CUTOFF:
        demand_class = SMOOTH if cv2 < CV2_CUTOFF else ERRATIC
    else:
        demand_class = INTERMITTENT if cv2 < CV2_CUTOFF else LUMPY
    return DemandProfile(demand_class, float(adi), cv2, int(sizes.size))
