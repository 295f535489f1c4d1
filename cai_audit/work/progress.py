"""The one progress value of queued work: what the progress partial, the pages and the API show.
Each kind of work builds it in its selectors (how many labels, answers or steps are done)."""

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Progress:
    """How far a piece of queued work has come.

    `done` and `failed` count units (labels, answers judged, training steps) out of `total`;
    `finished` is true once nothing more will happen to it (done, failed or cancelled), which is
    what stops the partial's polling. `label` is the line shown under the bar, and `unit` names
    what is counted (for the rate), and `details`
    holds the kind's own counts (batches, rates) for its page and API."""

    done: int
    total: int
    status: str
    status_label: str
    finished: bool
    label: str = ""
    failed: int = 0
    rate_per_s: float | None = None
    eta_s: float | None = None
    unit: str = ""
    details: dict = field(default_factory=dict)

    @property
    def percent(self) -> float:
        """Share of the units that are over (done or failed); a run with nothing to do is full
        once finished and empty before."""
        if not self.total:
            return 100.0 if self.finished else 0.0
        return min(100.0, 100.0 * (self.done + self.failed) / self.total)

    @property
    def bar_value(self) -> str:
        """The bar's value attribute: one decimal, a full bar reads 100."""
        percent = self.percent
        return "100" if percent >= 100 else f"{percent:.1f}"

    def as_dict(self) -> dict:
        """Flat, for an API serializer: the kind's details sit beside the common fields."""
        data = asdict(self)
        details = data.pop("details")
        return {**data, **details, "percent": round(self.percent, 1)}
