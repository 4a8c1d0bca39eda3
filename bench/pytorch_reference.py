#!/usr/bin/env python3
"""
PyTorch reference for bench/train-mslr.mjs: the same training step RankPlay times, in PyTorch on
the CPU, so the ratio to PyTorch comes from the same run and the same machine.

MSLR-shaped lists: 136 features, 120 documents per query, batches of 64 queries (7,680 documents a
step) gathered by row index from a device-resident matrix of 608 training queries; listwise softmax
cross-entropy on graded labels (lists without a positive label left out of the mean); Adam
(lr 0.001). Models: linear, and the MLP 512-256-128 with ELU. Timed after warm-up steps.

Prints one JSON object. Usage: python3 bench/pytorch_reference.py [--threads 2] [--seconds 8]
Needs torch. Debian's python3-torch links the generic reference BLAS (BLAS_INFO=generic, ~10× slower
matmuls); install libopenblas0-pthread beside it so libblas.so.3 resolves to OpenBLAS.
"""
import argparse
import json
import os
import sys
import time

# One thread count for everything: torch's intra-op pool and the BLAS it calls (OpenBLAS reads its
# own variable when it loads, so this must come before `import torch`).
THREADS = int(sys.argv[sys.argv.index('--threads') + 1]) if '--threads' in sys.argv else 2
for var in ('OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS'):
    os.environ[var] = str(THREADS)

import torch  # noqa: E402

FEATURES, DOCS, BATCH, TRAIN_QUERIES = 136, 120, 64, 608


def model_of(kind):
    if kind == 'linear':
        return torch.nn.Linear(FEATURES, 1)
    layers, width = [], FEATURES
    for size in (512, 256, 128):
        layers += [torch.nn.Linear(width, size), torch.nn.ELU()]
        width = size
    return torch.nn.Sequential(*layers, torch.nn.Linear(width, 1))


def softmax_loss(scores, labels):
    y = labels.clamp(min=0)
    target = y / y.sum(1, keepdim=True).clamp(min=1e-12)
    per_list = -(target * torch.log_softmax(scores, 1)).sum(1)
    valid = (y.sum(1) > 0).float()
    return (per_list * valid).sum() / valid.sum().clamp(min=1)


def measure(kind, warmup, max_steps, max_seconds):
    g = torch.Generator().manual_seed(1)
    features = torch.randn(TRAIN_QUERIES * DOCS, FEATURES, generator=g)
    labels = torch.randint(0, 5, (TRAIN_QUERIES, DOCS), generator=g).float()
    model = model_of(kind)
    opt = torch.optim.Adam(model.parameters(), lr=0.001)
    order = torch.randperm(TRAIN_QUERIES, generator=g)
    cursor = 0

    def step():
        nonlocal cursor, order
        if cursor + BATCH > TRAIN_QUERIES:
            order, cursor = torch.randperm(TRAIN_QUERIES, generator=g), 0
        queries = order[cursor:cursor + BATCH]
        cursor += BATCH
        rows = (queries[:, None] * DOCS + torch.arange(DOCS)[None, :]).reshape(-1)
        x = features.index_select(0, rows)
        scores = model(x).reshape(BATCH, DOCS)
        loss = softmax_loss(scores, labels[queries])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return loss

    for _ in range(warmup):
        step()
    t0 = time.perf_counter()
    steps = 0
    while steps < max_steps and time.perf_counter() - t0 < max_seconds:
        step()
        steps += 1
    seconds = time.perf_counter() - t0
    return {'model': kind, 'steps': steps, 'seconds': seconds, 'stepsPerSecond': steps / seconds,
            'docsPerSecond': steps * BATCH * DOCS / seconds}


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--seconds', type=float, default=8.0)
    args = p.parse_args()
    torch.set_num_threads(THREADS)
    rows = [{'threads': THREADS, **measure(kind, warmup, max_steps, args.seconds)}
            for kind, warmup, max_steps in (('linear', 20, 2000), ('mlp', 3, 200))]
    # The BLAS actually loaded (Debian's torch reports BLAS_INFO=generic whatever libblas.so.3 points to).
    with open('/proc/self/maps') as maps:
        libs = {line.split()[-1] for line in maps if 'blas' in line.lower() or 'mkl' in line.lower()}
    blas = 'openblas' if any('openblas' in lib for lib in libs) else 'mkl' if any('mkl' in lib for lib in libs) else 'reference (slow)'
    print(json.dumps({'torch': torch.__version__, 'blas': blas, 'docsPerStep': BATCH * DOCS, 'rows': rows}, indent=2))


if __name__ == '__main__':
    main()
