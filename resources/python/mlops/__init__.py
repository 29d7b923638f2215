"""Track a pipeline step's own training code: parameters, step-wise metrics and tags.

Inside a step of an ``*.pipeline.yaml`` pipeline, ``import mlops`` works without installing
anything: the runner puts this folder on ``PYTHONPATH``. What the code logs reaches the run store
while the step runs (the Runs view, the run details and the Training panel show it within a
second), and what was logged before a step is killed stays logged.

    import mlops

    mlops.log_params({"learning_rate": 0.01, "epochs": 20})
    for epoch in range(20):
        ...
        mlops.log_metrics({"loss": loss, "val_auc": auc}, step=epoch)
    mlops.set_tag("framework", "torch")

Values may be Python numbers or anything ``float()`` takes (NumPy scalars, one-element PyTorch
tensors). For Keras, ``model.fit(..., callbacks=[mlops.keras_callback()])`` logs every epoch.

Outside a pipeline (a script, a notebook), ``start_run()`` records a run in the workspace's run
store like any other, with the script's hash, the git commit and the Python version:

    with mlops.start_run(name="torch-baseline"):
        mlops.log_metrics({"loss": loss}, step=epoch)

Standard library only, Python 3.9 or later. The records are JSON lines (the protocol is in the
README, for clients in any language): in a step on the file descriptor the runner names in
``MLOPS_TRACKING_FD``, outside one on the stdin of ``mlops track``, which start_run() starts with
the Node in ``MLOPS_NODE`` (else ``node`` on the PATH). Without either, each call does nothing,
and the first one says so on stderr.
"""

import atexit
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import threading
import time

__all__ = [
    "log_param",
    "log_params",
    "log_metric",
    "log_metrics",
    "set_tag",
    "set_tags",
    "flush",
    "active",
    "start_run",
    "end_run",
    "keras_callback",
    "log_artifact",
    "log_model",
    "log_torch_model",
]

# Lines are sent in batches (by size, and every 0.2 s): a tight loop logging every batch costs a
# buffer append, not a system call.
_FLUSH_BYTES = 1 << 16
_FLUSH_SECONDS = 0.2


class _Channel:
    def __init__(self):
        self._lock = threading.Lock()
        self._lines = []
        self._size = 0
        self._file = None
        self._warned = False
        fd = os.environ.get("MLOPS_TRACKING_FD")
        if fd:
            try:
                self._file = os.fdopen(int(fd), "w", encoding="utf-8", buffering=1 << 16, closefd=False)
            except (OSError, ValueError) as e:
                print(f"mlops: cannot write to tracking descriptor {fd}: {e}; nothing is tracked", file=sys.stderr)
        if self._file is not None:
            self._start_flushing()

    def attach(self, file):
        """Sends the records to `file` from now on (the stdin of ``mlops track``)."""
        self.flush()
        self._file = file
        self._start_flushing()

    def detach(self):
        with self._lock:
            self._write()
            self._file = None

    def _start_flushing(self):
        # A value logged before a long quiet stretch still shows within a moment.
        threading.Thread(target=self._flush_often, args=(self._file,), name="mlops-tracking", daemon=True).start()

    def _flush_often(self, file):
        while self._file is file:
            time.sleep(_FLUSH_SECONDS)
            self.flush()

    @property
    def active(self):
        return self._file is not None

    def send(self, line):
        """One record, already a line of JSON (log_metrics writes its own: json.dumps is its cost)."""
        if self._file is None:
            if not self._warned:
                self._warned = True
                print("mlops: not inside a pipeline step and no mlops.start_run(): nothing is tracked", file=sys.stderr)
            return
        with self._lock:
            self._lines.append(line)
            self._size += len(line) + 1
            if self._size >= _FLUSH_BYTES:
                self._write()

    def flush(self):
        with self._lock:
            self._write()

    def _write(self):
        if not self._lines or self._file is None:
            return
        try:
            self._file.write("\n".join(self._lines) + "\n")
            self._file.flush()
        except (BrokenPipeError, OSError):
            # The runner is gone (the run was canceled): nothing can be recorded any more.
            self._file = None
        self._lines = []
        self._size = 0


_channel = _Channel()
atexit.register(_channel.flush)


def active():
    """True inside a pipeline step, where what is logged is recorded."""
    return _channel.active


def _text(value):
    return value if isinstance(value, str) else json.dumps(value, default=str)


def _record(kind, values):
    return json.dumps({"type": kind, "values": {str(k): _text(v) for k, v in values.items()}}, separators=(",", ":"))


_keys = {}


def _key(key):
    """A metric name as JSON text, encoded once: a training loop logs the same few keys again and again."""
    text = _keys.get(key)
    if text is None:
        text = _keys[key] = json.dumps(str(key))
    return text


def _value(value):
    """A metric as JSON text. JSON has no NaN or infinity: they go as null, and the runner reports them."""
    kind = type(value)
    if kind is float:
        return repr(value) if math.isfinite(value) else "null"
    if kind is int:
        return str(value)
    if kind is bool or not isinstance(value, (int, float)):
        try:
            return _value(float(value))  # numpy and torch scalars
        except (TypeError, ValueError):
            return json.dumps(_text(value))
    return _value(float(value))


def log_params(params):
    """Parameters of the run (stored as text, named ``<step>.<key>`` beside the pipeline's own)."""
    _channel.send(_record("params", params))


def log_param(key, value):
    log_params({key: value})


def _metrics_line(values, step):
    at = int(time.time() * 1000)
    if step is None:
        return f'{{"type":"metrics","values":{{{values}}},"at":{at}}}'
    return f'{{"type":"metrics","values":{{{values}}},"step":{int(step)},"at":{at}}}'


def log_metrics(metrics, step=None):
    """Metric values at one step (an epoch, a batch): each key is a curve in the Training panel."""
    _channel.send(_metrics_line(",".join(f"{_key(k)}:{_value(v)}" for k, v in metrics.items()), step))


def log_metric(key, value, step=None):
    _channel.send(_metrics_line(f"{_key(key)}:{_value(value)}", step))


def log_artifact(path, name=None):
    """A file or folder the step made (a report, a plot): an output of its execution once it succeeds."""
    record = {"type": "artifact", "path": os.path.abspath(path)}
    if name:
        record["name"] = name
    _channel.send(json.dumps(record))


def log_model(path, flavor="onnx", signature=None, name="model"):
    """The model the step trained (an ``.onnx`` file, or a tfjs model folder), with the columns its
    inputs take (``signature``, e.g. ``{"inputs": {"x": ["trip_miles", "fare"]}}``)."""
    if flavor not in ("onnx", "tfjs"):
        raise ValueError(f"mlops.log_model: flavor must be 'onnx' or 'tfjs', not {flavor!r}")
    record = {"type": "model", "path": os.path.abspath(path), "flavor": flavor, "name": name}
    if signature is not None:
        record["signature"] = signature
    _channel.send(json.dumps(record))


def log_torch_model(model, example, columns=None, path="model.onnx", input_name="features", output_name="probability", name="model"):
    """Exports a PyTorch module to ONNX and logs it: evaluated in eval mode, with a dynamic batch
    dimension (a graph exported without one serves only batches of ``example``'s size), one input
    ``input_name`` whose last dimension holds ``columns`` in order. torch is imported here, not
    when this module loads."""
    import inspect

    import torch

    # Newer torch exports through dynamo by default, which needs a newer opset; this exporter takes 13.
    legacy = {"dynamo": False} if "dynamo" in inspect.signature(torch.onnx.export).parameters else {}
    training = model.training
    model.eval()
    try:
        with torch.no_grad():
            torch.onnx.export(
                model, example, path, input_names=[input_name], output_names=[output_name],
                dynamic_axes={input_name: {0: "batch"}, output_name: {0: "batch"}}, opset_version=13, **legacy,
            )
    finally:
        model.train(training)
    log_model(path, flavor="onnx", signature={"inputs": {input_name: list(columns)}} if columns else None, name=name)


def keras_callback():
    """For ``model.fit(..., callbacks=[mlops.keras_callback()])``: each epoch's logs (loss, metrics,
    val_*) as one step of the curves. Keras is imported here, not when this module loads."""
    try:
        import keras
    except ImportError:
        from tensorflow import keras

    class MlopsCallback(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if logs:
                log_metrics(logs, step=epoch)

    return MlopsCallback()


def set_tags(tags):
    _channel.send(_record("tags", tags))


def set_tag(key, value):
    set_tags({key: value})


def flush():
    """Sends what is buffered now (done by itself every 0.2 s while logging, and at exit)."""
    _channel.flush()


class Run:
    """A run started by ``start_run()``; as a context manager it ends failed when the block raises."""

    def __init__(self, run_id, process):
        self.id = run_id
        self._process = process

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        end_run("failed" if kind else "complete", f"{kind.__name__}: {error}" if kind else None)
        return False


_run = None


def _repository_root():
    # resources/python/mlops/__init__.py → the folder that holds dist/cli.js (the extension, or a clone).
    return os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def start_run(name=None, store=None):
    """Records a run in the run store (``store``, else $MLOPS_STORE, else .mlops/store.sqlite here)."""
    global _run
    if _channel.active and _run is None:
        raise RuntimeError("mlops.start_run() inside a pipeline step: the step is the run; log to it directly")
    if _run is not None:
        raise RuntimeError(f"mlops.start_run(): run #{_run.id} is still going; end_run() it first")
    node = os.environ.get("MLOPS_NODE") or shutil.which("node")
    cli = os.environ.get("MLOPS_CLI") or os.path.join(_repository_root(), "dist", "cli.js")
    if not node:
        raise RuntimeError("mlops.start_run() needs Node to record the run: put node on the PATH or set MLOPS_NODE")
    if not os.path.isfile(cli):
        raise RuntimeError(f"mlops.start_run(): the mlops CLI is not at {cli}; set MLOPS_CLI to its cli.js")
    args = [node, cli, "track", "--tag", f"python={platform.python_version()}"]
    script = sys.argv[0] if sys.argv and os.path.isfile(sys.argv[0]) else None
    if name:
        args += ["--name", name]
    if script:
        args += ["--script", script]
    if store:
        args += ["--store", store]
    process = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    first = process.stdout.readline()
    if not first:
        raise RuntimeError(f"mlops track did not start: {process.stderr.read().strip()}")
    _run = Run(json.loads(first)["runId"], process)
    _channel.attach(process.stdin)
    atexit.register(end_run)
    return _run


def end_run(status="complete", error=None):
    """Ends the run start_run() began (done at exit if the script does not); a no-op without one."""
    global _run
    if _run is None:
        return
    run, _run = _run, None
    end = {"type": "end", "status": status}
    if error:
        end["error"] = error
    _channel.send(json.dumps(end))
    _channel.detach()
    run._process.stdin.close()
    run._process.wait()
    problems = run._process.stderr.read().strip()
    if problems:
        print(problems, file=sys.stderr)
