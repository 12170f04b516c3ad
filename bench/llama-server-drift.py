#!/usr/bin/env python3
"""How much one llama-server process's speed differs from the next one's on this machine, with OptBench out of the way.

Starts llama-server ROUNDS times for each flag set, interleaved, asks it ANSWERS completions of 48 tokens, and prints
the median generation tok/s (llama-server's own timings) of each process. The spread between processes with the same
flags is the floor under any comparison of configurations by one trial each.

  python3 bench/llama-server-drift.py [LLAMA_SERVER] [MODEL.gguf] [ROUNDS] [ANSWERS]

An empty argument takes its default. Defaults: the llama-server that ./optbench up built, the tiny model it wrote (.optbench/models), 10 rounds, 30 answers.
"""
import glob
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
servers = sorted(glob.glob(os.path.expanduser("~/.cache/optbench/llama.cpp/*/bin/llama-server")))


def arg(index, default):
    return sys.argv[index] if len(sys.argv) > index and sys.argv[index] else default


server = arg(1, servers[-1] if servers else "llama-server")
model = arg(2, os.path.join(ROOT, ".optbench/models/tiny-llama-f16.gguf"))
rounds = int(arg(3, "10"))
answers = int(arg(4, "30"))
PORT = 18999
FLAG_SETS = {
    "-t 2 -fa on -ctk f16": ["--threads", "2", "--flash-attn", "on", "--cache-type-k", "f16"],
    "-t 2 -fa on -ctk q8_0": ["--threads", "2", "--flash-attn", "on", "--cache-type-k", "q8_0"],
}


def median_speed(flags):
    process = subprocess.Popen([server, "-m", model, "--host", "127.0.0.1", "--port", str(PORT), "--seed", "1"] + flags,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/health").read()
                break
            except OSError:
                time.sleep(0.1)
        speeds = []
        for _ in range(answers):
            body = json.dumps({"prompt": "Write a Python function that returns the n-th Fibonacci number.", "n_predict": 48,
                               "seed": 1, "cache_prompt": False}).encode()
            request = urllib.request.Request(f"http://127.0.0.1:{PORT}/completion", data=body,
                                             headers={"Content-Type": "application/json"})
            speeds.append(json.load(urllib.request.urlopen(request))["timings"]["predicted_per_second"])
        return statistics.median(speeds)
    finally:
        process.terminate()
        process.wait()


if not os.path.exists(model):
    sys.exit(f"no model at {model}: run ./optbench up (it writes the tiny model) or pass one")
results = {name: [] for name in FLAG_SETS}
for _ in range(rounds):
    for name, flags in FLAG_SETS.items():
        results[name].append(median_speed(flags))
for name, medians in results.items():
    print(f"{name:24} median of medians {statistics.median(medians):7.1f} tok/s, processes {min(medians):.0f} to {max(medians):.0f}: "
          + ", ".join(f"{m:.0f}" for m in medians))
