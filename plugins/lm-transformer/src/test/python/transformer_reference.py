"""PyTorch transcription of tokenlab's lm-transformer, the reference its parity test checks against.

Usage: transformer_reference.py CHECKPOINT BATCH OUT
  CHECKPOINT  safetensors written by the Java model (config in __metadata__)
  BATCH       safetensors with tokens, targets, lengths (F32 holding integers) and
              the optimizer settings in __metadata__
  OUT         safetensors this script writes: logits, loss, every gradient ("grad.<name>"),
              every parameter after one clipped AdamW step ("step.<name>")

The safetensors format is read and written here with json/struct/numpy: the `safetensors` package
is not installable on these machines.
"""
import json
import math
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    meta = header.pop("__metadata__", {})
    tensors = {}
    for name, t in header.items():
        if t["dtype"] != "F32":
            raise ValueError(f"{path}: tensor {name} is {t['dtype']}; this reader takes F32")
        begin, end = t["data_offsets"]
        data = np.frombuffer(raw[8 + n + begin:8 + n + end], dtype="<f4").reshape(t["shape"])
        tensors[name] = torch.from_numpy(data.copy())
    return tensors, meta


def write_safetensors(path, tensors):
    header, offset, blobs = {}, 0, []
    for name, t in tensors.items():
        a = np.ascontiguousarray(t.detach().cpu().numpy().astype("<f4"))
        b = a.tobytes()
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [offset, offset + len(b)]}
        offset += len(b)
        blobs.append(b)
    h = json.dumps(header).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


class RMSNorm(torch.nn.Module):
    def __init__(self, d, eps):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.ones(d))
        self.eps = eps

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


class Attention(torch.nn.Module):
    def __init__(self, d, heads, kind="softmax", power=1.0):
        super().__init__()
        self.heads = heads
        self.kind = kind
        self.power = power
        self.qkv = torch.nn.Linear(d, 3 * d, bias=False)
        self.proj = torch.nn.Linear(d, d, bias=False)

    def forward(self, x, mask):
        b, t, d = x.shape
        q, k, v = self.qkv(x).split(d, dim=2)
        shape = (b, t, self.heads, d // self.heads)
        q, k, v = (z.view(shape).transpose(1, 2) for z in (q, k, v))
        scores = q @ k.transpose(-2, -1) / math.sqrt(d // self.heads)
        if self.kind == "softplus":
            # softplus attention with re-weighting: softplus(log(n) * scores)^power, l1-normalised,
            # n = the keys query i sees under the causal mask (i + 1)
            seen = torch.arange(1, t + 1, dtype=scores.dtype)
            f = F.softplus(scores * torch.log(seen)[:, None]).pow(self.power).masked_fill(~mask, 0.0)
            weights = f / f.sum(-1, keepdim=True)
        else:
            weights = torch.softmax(scores.masked_fill(~mask, float("-inf")), dim=-1)
        y = weights @ v
        return self.proj(y.transpose(1, 2).reshape(b, t, d))


class Mlp(torch.nn.Module):
    def __init__(self, d, hidden):
        super().__init__()
        self.fc = torch.nn.Linear(d, hidden, bias=False)
        self.proj = torch.nn.Linear(hidden, d, bias=False)

    def forward(self, x):
        return self.proj(F.gelu(self.fc(x), approximate="tanh"))


class Block(torch.nn.Module):
    def __init__(self, c):
        super().__init__()
        self.norm1 = RMSNorm(c["dimension"], c["norm_epsilon"])
        self.attn = Attention(c["dimension"], c["heads"], c["attention"], c["attention_power"])
        self.norm2 = RMSNorm(c["dimension"], c["norm_epsilon"])
        self.mlp = Mlp(c["dimension"], c["hidden"])

    def forward(self, x, mask):
        x = x + self.attn(self.norm1(x), mask)
        return x + self.mlp(self.norm2(x))


class Transformer(torch.nn.Module):
    def __init__(self, c):
        super().__init__()
        self.tok_emb = torch.nn.Embedding(c["vocabulary"], c["dimension"])
        self.pos_emb = torch.nn.Embedding(c["context"], c["dimension"]) if c["positions"] == "learned" else None
        self.blocks = torch.nn.ModuleList(Block(c) for _ in range(c["layers"]))
        self.norm_f = RMSNorm(c["dimension"], c["norm_epsilon"])

    def forward(self, tokens, lengths):
        b, t = tokens.shape
        x = self.tok_emb(tokens)
        if self.pos_emb is not None:
            x = x + self.pos_emb(torch.arange(t))[None]
        causal = torch.tril(torch.ones(t, t, dtype=torch.bool))
        valid = torch.arange(t)[None, :] < lengths[:, None]  # keys that are real tokens
        mask = (causal[None] & valid[:, None, :])[:, None]
        for block in self.blocks:
            x = block(x, mask)
        return self.norm_f(x) @ self.tok_emb.weight.t()  # the output layer is tied to the embeddings


def config_of(meta):
    ints = ["vocabulary", "dimension", "layers", "heads", "context", "hidden"]
    c = {k: int(meta["transformer." + k]) for k in ints}
    c["norm_epsilon"] = float(meta["transformer.norm_epsilon"])
    # checkpoints from before these options hold softmax attention and learned positions
    c["attention"] = meta.get("transformer.attention", "softmax")
    c["attention_power"] = float(meta.get("transformer.attention_power", "1"))
    c["positions"] = meta.get("transformer.positions", "learned")
    return c


def main(checkpoint, batch_file, out):
    weights, meta = read_safetensors(checkpoint)
    model = Transformer(config_of(meta))
    model.load_state_dict(weights, strict=True)
    batch, settings = read_safetensors(batch_file)
    tokens = batch["tokens"].long()
    targets = batch["targets"].long()
    lengths = batch["lengths"].long().reshape(-1)
    logits = model(tokens, lengths)
    loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), ignore_index=-1)
    loss.backward()
    result = {"logits": logits.detach().reshape(-1, logits.shape[-1]), "loss": loss.detach().reshape(1)}
    for name, p in model.named_parameters():
        result["grad." + name] = p.grad.detach().clone()
    torch.nn.utils.clip_grad_norm_(model.parameters(), float(settings["clip"]))
    decay = [p for n, p in model.named_parameters() if "norm" not in n]
    plain = [p for n, p in model.named_parameters() if "norm" in n]
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": float(settings["weight_decay"])},
                                   {"params": plain, "weight_decay": 0.0}],
                                  lr=float(settings["lr"]), betas=(0.9, 0.95), eps=1e-8)
    optimizer.step()
    for name, p in model.named_parameters():
        result["step." + name] = p.detach().clone()
    write_safetensors(out, result)
    print("loss:", float(loss))


if __name__ == "__main__":
    torch.manual_seed(0)
    main(*sys.argv[1:4])
