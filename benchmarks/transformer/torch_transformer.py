"""The PyTorch side of benchmarks/transformer-vs-pytorch.sh: the same model (the parity test's
transcription, loaded from the checkpoint the Java side wrote), the same training step and the same
greedy KV-cached generation, on the same number of threads. Prints "key: value" lines (medians).

Usage: torch_transformer.py CHECKPOINT THREADS BATCH STEPS GENERATE
"""
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "plugins", "lm-transformer", "src", "test",
                                "python"))
import transformer_reference as ref  # noqa: E402


def cached_step(model, token, position, cache):
    """One token through the model with per-layer key/value caches (lists of [1, H, t, dh] tensors)."""
    x = model.tok_emb.weight[token][None, None] + model.pos_emb.weight[position][None, None]
    for i, block in enumerate(model.blocks):
        h = block.norm1(x)
        d = h.shape[-1]
        heads = block.attn.heads
        q, k, v = block.attn.qkv(h).split(d, dim=2)
        q, k, v = (z.view(1, 1, heads, d // heads).transpose(1, 2) for z in (q, k, v))
        if cache[i] is not None:
            k = torch.cat([cache[i][0], k], dim=2)
            v = torch.cat([cache[i][1], v], dim=2)
        cache[i] = (k, v)
        att = torch.softmax(q @ k.transpose(-2, -1) / (d // heads) ** 0.5, dim=-1) @ v
        x = x + block.attn.proj(att.transpose(1, 2).reshape(1, 1, d))
        x = x + block.mlp(block.norm2(x))
    return (model.norm_f(x) @ model.tok_emb.weight.t())[0, 0]


def main(checkpoint, threads, batch, steps, generate):
    torch.set_num_threads(threads)
    weights, meta = ref.read_safetensors(checkpoint)
    config = ref.config_of(meta)
    model = ref.Transformer(config)
    model.load_state_dict(weights)
    g = torch.Generator().manual_seed(1)
    t = config["context"]
    windows = torch.randint(0, config["vocabulary"], (batch, t + 1), generator=g)
    tokens, targets = windows[:, :-1], windows[:, 1:]
    lengths = torch.full((batch,), t)
    decay = [p for n, p in model.named_parameters() if "norm" not in n]
    plain = [p for n, p in model.named_parameters() if "norm" in n]
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": plain, "weight_decay": 0.0}],
                                  lr=1e-3, betas=(0.9, 0.95), eps=1e-8)
    times = []
    for s in range(steps + 2):
        t0 = time.perf_counter()
        optimizer.zero_grad(set_to_none=True)
        logits = model(tokens, lengths)
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        if s >= 2:
            times.append(time.perf_counter() - t0)
    model.load_state_dict(weights)
    rates = []
    with torch.no_grad():
        for r in range(6):
            prompt = [0, 11, 12, 13, 14, 15, 16, 17]
            cache = [None] * len(model.blocks)
            t0 = time.perf_counter()
            logits = None
            for p, tok in enumerate(prompt):
                logits = cached_step(model, tok, p, cache)
            position = len(prompt)
            for i in range(generate):
                tok = int(torch.argmax(logits))
                if i < generate - 1:  # as the Java side: the last token chosen is not run through the model
                    logits = cached_step(model, tok, position, cache)
                    position += 1
            if r >= 1:
                rates.append(generate / (time.perf_counter() - t0))
    print(f"train_step_s: {statistics.median(times):.5f}")
    print(f"generate_tokens_per_s: {statistics.median(rates):.2f}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
