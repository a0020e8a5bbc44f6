"""The result of RBM.log_likelihood and RBM.log_partition: the library's evaluation report."""
from dataclasses import dataclass, field
from typing import Optional

import numpy as np


@dataclass
class LikelihoodResult:
    """A log-likelihood estimate with its certified bound and diagnostics.

    estimate: the mean log p(x) per example, in nats (the headline figure);
    std_error: its standard error (0 when exact);
    log_z: the log partition function the estimate uses, and log_z_std_error;
    upper_bound: certified: the mean log-likelihood is at most this (log Z is at least an exact
        partial sum over hidden states);
    method: what the headline is: "exact", "ais", "ais-model", "raise" or "bound" (when AIS fell
        below the certified bound, the headline is that bound, an upper bound);
    reason: why that figure is the headline, in one sentence;
    impossible: true when the estimate is a positive log-likelihood of binary data (certainly
        wrong: a probability is at most 1);
    warnings: what the library warns about (AIS resting on a few chains, disagreements, ...);
    per_example: log p(x) of each example, when asked for;
    report: every figure, as `rbmkit eval --json` prints it.
    """

    estimate: float
    std_error: float
    log_z: float
    log_z_std_error: float
    upper_bound: float
    method: str
    reason: str
    impossible: bool
    warnings: list
    per_example: Optional[np.ndarray] = None
    report: dict = field(default_factory=dict, repr=False)

    @classmethod
    def from_report(cls, report):
        return cls(
            estimate=report["log_likelihood"],
            std_error=report["log_likelihood_std_error"],
            log_z=report["log_z"],
            log_z_std_error=report["log_z_std_error"],
            upper_bound=report["bound"]["log_likelihood_upper"],
            method=report["headline"],
            reason=report["headline_reason"],
            impossible=report["impossible"],
            warnings=list(report["warnings"]),
            per_example=report.get("per_example"),
            report=report,
        )

    def __float__(self):
        return float(self.estimate)

    def __str__(self):
        band = "" if self.std_error == 0 else f" +- {self.std_error:.2f}"
        text = f"log-likelihood {self.estimate:.2f}{band} nats ({self.method}); certified upper bound {self.upper_bound:.2f}"
        if self.impossible:
            text += "; IMPOSSIBLE: a positive log-likelihood of binary data"
        for w in self.warnings:
            text += f"\nwarning: {w}"
        return text
