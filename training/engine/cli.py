"""`python -m training.engine.cli config.json`: one training run in its own process.

A worker uses it for multi-GPU runs (`accelerate launch ... -m training.engine.cli config.json`,
see `multi_gpu_command`). The main process prints one JSON object per line on stdout:
`{"event": "progress", ...ProgressEvent}` on every log and `{"event": "result", ...}` at the end,
or `{"event": "error", "message": ...}` with exit status 1 for a bad config or dataset. Creating
the file `<output_dir>/STOP` cancels the run at the next step (the parent's cancel button).
"""

import json
import os
import sys
import traceback
from pathlib import Path

STOP_FILE = "STOP"


def _emit(payload: dict) -> None:
    print(json.dumps(payload, default=str), flush=True)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python -m training.engine.cli CONFIG.json", file=sys.stderr)
        return 2
    # Base models are local folders: never reach for the Hub (set before transformers loads).
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    from training.engine.config import TrainConfig
    from training.engine.runner import train

    is_main = os.environ.get("RANK", "0") == "0"

    def on_progress(event) -> None:
        _emit({"event": "progress", **event.as_dict()})

    try:
        config = TrainConfig.from_dict(json.loads(Path(argv[0]).read_text())).validate()
        stop_file = Path(config.output_dir) / STOP_FILE
        result = train(config, on_progress=on_progress, should_stop=stop_file.exists)
    except (OSError, ValueError) as error:  # bad config, unreadable or unsuitable dataset
        traceback.print_exc()
        if is_main:
            _emit({"event": "error", "message": str(error)})
        return 1
    if is_main:
        _emit(
            {
                "event": "result",
                "final_dir": result.final_dir,
                "device": result.device,
                "steps": result.steps,
                "stopped": result.stopped,
                "resumed_from": result.resumed_from,
            }
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
