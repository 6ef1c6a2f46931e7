"""Runs the Python originals in examples/python/ and records what they print, for test/examples.test.ts.

Run with the venv that has TensorFlow 2.21: .venv/bin/python scripts/examples_reference.py
"""
import json
import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
EXAMPLES = ["lr_schedule_subclass", "lr_manual_assign", "lr_scheduler_callback"]


def main():
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    printed = {}
    for name in EXAMPLES:
        script = ROOT / "examples" / "python" / f"{name}.py"
        out = subprocess.run([sys.executable, str(script)], check=True, capture_output=True, text=True, env=env)
        printed[name] = out.stdout.splitlines()
    target = ROOT / "test" / "fixtures" / "examples.json"
    target.write_text(json.dumps(printed, indent=1) + "\n")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
