#!/usr/bin/python3
"""Plain-PyTorch peer of the engine benchmark (`o1p bench engine`).

A Qwen2-style decoder (RMSNorm, rotary embeddings, grouped-query attention with q/k/v bias,
SwiGLU MLP, untied head) with the same configuration as the Java engine, measured the same way:
training tokens/s (forward + backward + gradient clipping + AdamW) and sampling tokens/s with a
preallocated KV cache at batch 1 and batch 16 (log-softmax for the recorded log-prob, then a
multinomial draw, as the engine's generator does).

Written for Debian's python3-torch (1.13, OpenBLAS). Thread counts come from the command line and
the OPENBLAS_NUM_THREADS environment variable, which the caller sets. Prints one JSON line.
"""
import argparse
import json
import math
import time

import torch
import torch.nn.functional as F


class RMSNorm(torch.nn.Module):
    def __init__(self, d, eps):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.ones(d))
        self.eps = eps

    def forward(self, x):
        var = x.pow(2).mean(-1, keepdim=True)
        return x * torch.rsqrt(var + self.eps) * self.weight


def rope_tables(max_pos, head_dim, theta):
    inv = 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.float32) / head_dim))
    freqs = torch.outer(torch.arange(max_pos, dtype=torch.float32), inv)
    emb = torch.cat([freqs, freqs], dim=-1)
    return emb.cos(), emb.sin()


def rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat([-x[..., h:], x[..., :h]], dim=-1)


class Layer(torch.nn.Module):
    def __init__(self, c):
        super().__init__()
        d, h, kv, hd, inter = c["hidden"], c["heads"], c["kv_heads"], c["head_dim"], c["intermediate"]
        self.h, self.kv, self.hd = h, kv, hd
        self.input_layernorm = RMSNorm(d, c["eps"])
        self.q_proj = torch.nn.Linear(d, h * hd, bias=True)
        self.k_proj = torch.nn.Linear(d, kv * hd, bias=True)
        self.v_proj = torch.nn.Linear(d, kv * hd, bias=True)
        self.o_proj = torch.nn.Linear(h * hd, d, bias=False)
        self.post_attention_layernorm = RMSNorm(d, c["eps"])
        self.gate_proj = torch.nn.Linear(d, inter, bias=False)
        self.up_proj = torch.nn.Linear(d, inter, bias=False)
        self.down_proj = torch.nn.Linear(inter, d, bias=False)

    def forward(self, x, cos, sin, mask, cache=None, past=0):
        b, t, _ = x.shape
        y = self.input_layernorm(x)
        q = self.q_proj(y).view(b, t, self.h, self.hd).transpose(1, 2)
        k = self.k_proj(y).view(b, t, self.kv, self.hd).transpose(1, 2)
        v = self.v_proj(y).view(b, t, self.kv, self.hd).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        if cache is not None:
            ck, cv = cache
            ck[:, :, past:past + t] = k
            cv[:, :, past:past + t] = v
            k = ck[:, :, :past + t]
            v = cv[:, :, :past + t]
        rep = self.h // self.kv
        if rep > 1:
            k = k.repeat_interleave(rep, dim=1)
            v = v.repeat_interleave(rep, dim=1)
        att = torch.matmul(q, k.transpose(-1, -2)) * (1.0 / math.sqrt(self.hd))
        if mask is not None:
            att = att + mask
        att = torch.softmax(att, dim=-1)
        o = torch.matmul(att, v).transpose(1, 2).reshape(b, t, self.h * self.hd)
        x = x + self.o_proj(o)
        y = self.post_attention_layernorm(x)
        return x + self.down_proj(F.silu(self.gate_proj(y)) * self.up_proj(y))


class Model(torch.nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        self.embed_tokens = torch.nn.Embedding(c["vocab"], c["hidden"])
        self.layers = torch.nn.ModuleList([Layer(c) for _ in range(c["layers"])])
        self.norm = RMSNorm(c["hidden"], c["eps"])
        self.lm_head = torch.nn.Linear(c["hidden"], c["vocab"], bias=False)
        cos, sin = rope_tables(c["max_pos"], c["head_dim"], c["rope_theta"])
        self.register_buffer("cos", cos, persistent=False)
        self.register_buffer("sin", sin, persistent=False)
        for p in self.parameters():
            if p.dim() > 1:
                torch.nn.init.normal_(p, std=0.02)

    def forward(self, ids, caches=None, past=0):
        b, t = ids.shape
        x = self.embed_tokens(ids)
        cos = self.cos[past:past + t]
        sin = self.sin[past:past + t]
        mask = None
        if t > 1:
            mask = torch.full((t, past + t), float("-inf")).triu(past + 1)
        for i, layer in enumerate(self.layers):
            x = layer(x, cos, sin, mask, None if caches is None else caches[i], past)
        return self.lm_head(self.norm(x))


def bench_train(model, c, batch, seq, steps, warmup):
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.01)
    g = torch.Generator().manual_seed(1)
    data = torch.randint(0, c["vocab"], (batch, seq + 1), generator=g)
    inputs, targets = data[:, :-1], data[:, 1:]
    t0 = None
    for s in range(warmup + steps):
        if s == warmup:
            t0 = time.perf_counter()
        logits = model(inputs)
        loss = F.cross_entropy(logits.reshape(-1, c["vocab"]), targets.reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 10.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        loss.item()
    dt = time.perf_counter() - t0
    return batch * seq * steps / dt


@torch.no_grad()
def bench_sample(model, c, batch, prompt_len, new_tokens, repeats):
    g = torch.Generator().manual_seed(2)
    hd, kv = c["head_dim"], c["kv_heads"]
    best = 0.0
    for _ in range(repeats):
        prompt = torch.randint(0, c["vocab"], (batch, prompt_len), generator=g)
        t0 = time.perf_counter()
        tmax = prompt_len + new_tokens
        caches = [(torch.zeros(batch, kv, tmax, hd), torch.zeros(batch, kv, tmax, hd)) for _ in range(c["layers"])]
        logits = model(prompt, caches, 0)[:, -1]
        past = prompt_len
        out = []
        for _ in range(new_tokens):
            logp = torch.log_softmax(logits.float(), dim=-1)
            tok = torch.multinomial(logp.exp(), 1, generator=g)
            out.append((tok, logp.gather(-1, tok)))
            logits = model(tok, caches, past)[:, -1]
            past += 1
        dt = time.perf_counter() - t0
        best = max(best, batch * new_tokens / dt)
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vocab", type=int, default=512)
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--intermediate", type=int, default=704)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--kv-heads", type=int, default=2)
    ap.add_argument("--seq", type=int, default=256)
    ap.add_argument("--train-batch", type=int, default=8)
    ap.add_argument("--train-steps", type=int, default=6)
    ap.add_argument("--warmup-steps", type=int, default=2)
    ap.add_argument("--prompt-len", type=int, default=16)
    ap.add_argument("--new-tokens", type=int, default=128)
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--torch-threads", type=int, default=1)
    ap.add_argument("--skip", default="", help="comma list of parts to skip: train,b1,b16")
    a = ap.parse_args()
    torch.set_num_threads(a.torch_threads)
    torch.manual_seed(0)
    c = dict(vocab=a.vocab, hidden=a.hidden, intermediate=a.intermediate, layers=a.layers, heads=a.heads,
             kv_heads=a.kv_heads, head_dim=a.hidden // a.heads, eps=1e-6, rope_theta=10000.0,
             max_pos=max(a.seq, a.prompt_len + a.new_tokens) + 1)
    model = Model(c)
    skip = set(s for s in a.skip.split(",") if s)
    res = {"torch_version": torch.__version__, "torch_threads": torch.get_num_threads()}
    if "train" not in skip:
        res["train_tokens_per_s"] = bench_train(model, c, a.train_batch, a.seq, a.train_steps, a.warmup_steps)
    model.eval()
    if "b1" not in skip:
        res["sample_b1_tokens_per_s"] = bench_sample(model, c, 1, a.prompt_len, a.new_tokens, a.repeats)
    if "b16" not in skip:
        res["sample_b16_tokens_per_s"] = bench_sample(model, c, 16, a.prompt_len, a.new_tokens, a.repeats)
    print(json.dumps(res))


if __name__ == "__main__":
    main()
