#!/usr/bin/env python3
"""Independent reference forward pass for Qwen2/Llama decoders, in plain PyTorch.

Used by the Java engine's cross-framework test. It shares no code with the engine: it parses
safetensors itself, runs each sequence unpadded (positions 0..n-1) in float64, and writes the
logits of every real token position (padding positions hold zeros).

Usage:
  qwen2_reference.py logits DIR      read DIR/config.json, weights and DIR/inputs.json,
                                     write DIR/expected_logits.safetensors
  qwen2_reference.py generate DIR    write the committed fixtures under DIR (random tiny models)

Runs with Debian's python3-torch (1.13) or newer; needs nothing else.
"""
import json
import math
import os
import struct
import sys

import torch

DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "F64": torch.float64,
          "I64": torch.int64}
NAMES = {v: k for k, v in DTYPES.items()}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n].decode("utf-8"))
    base = 8 + n
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        begin, end = meta["data_offsets"]
        dtype = DTYPES[meta["dtype"]]
        raw = bytearray(data[base + begin:base + end])
        t = torch.frombuffer(raw, dtype=dtype) if raw else torch.empty(0, dtype=dtype)
        out[name] = t.reshape(meta["shape"]).clone()
    return out


def tensor_bytes(t):
    t = t.contiguous()
    if t.dtype == torch.bfloat16:
        return t.view(torch.int16).numpy().tobytes()
    return t.numpy().tobytes()


def write_safetensors(path, tensors):
    header = {"__metadata__": {"format": "pt"}}
    blobs = []
    offset = 0
    for name in sorted(tensors):
        b = tensor_bytes(tensors[name])
        header[name] = {"dtype": NAMES[tensors[name].dtype], "shape": list(tensors[name].shape),
                        "data_offsets": [offset, offset + len(b)]}
        offset += len(b)
        blobs.append(b)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def load_weights(d):
    index = os.path.join(d, "model.safetensors.index.json")
    if os.path.exists(index):
        with open(index) as f:
            files = sorted(set(json.load(f)["weight_map"].values()))
    else:
        files = ["model.safetensors"]
    weights = {}
    for name in files:
        weights.update(read_safetensors(os.path.join(d, name)))
    return {k: v.to(torch.float64) for k, v in weights.items()}


def rms_norm(x, w, eps):
    return w * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps))


def rotary(x, positions, theta, dim):
    # x: [heads, T, dim]; the "rotate half" convention of Hugging Face Qwen2/Llama
    inv = 1.0 / (theta ** (torch.arange(0, dim, 2, dtype=torch.float64) / dim))
    angles = positions.to(torch.float64)[:, None] * inv[None, :]
    emb = torch.cat([angles, angles], dim=-1)
    first, second = x[..., : dim // 2], x[..., dim // 2:]
    rotated = torch.cat([-second, first], dim=-1)
    return x * emb.cos() + rotated * emb.sin()


def forward(cfg, w, ids):
    """Logits [T, V] for one unpadded sequence (list of ints)."""
    heads = cfg["num_attention_heads"]
    kv_heads = cfg.get("num_key_value_heads", heads)
    dim = cfg.get("head_dim") or cfg["hidden_size"] // heads
    eps = cfg["rms_norm_eps"]
    theta = cfg.get("rope_theta", 10000.0)
    qwen = cfg["architectures"][0] == "Qwen2ForCausalLM"
    bias = qwen or cfg.get("attention_bias", False)
    t = len(ids)
    pos = torch.arange(t)
    x = w["model.embed_tokens.weight"][torch.tensor(ids)]
    causal = torch.full((t, t), float("-inf"), dtype=torch.float64).triu(1)
    for i in range(cfg["num_hidden_layers"]):
        p = "model.layers.%d." % i
        h = rms_norm(x, w[p + "input_layernorm.weight"], eps)

        def proj(name):
            y = h @ w[p + "self_attn." + name + ".weight"].T
            return y + w[p + "self_attn." + name + ".bias"] if bias else y

        q = proj("q_proj").reshape(t, heads, dim).transpose(0, 1)
        k = proj("k_proj").reshape(t, kv_heads, dim).transpose(0, 1)
        v = proj("v_proj").reshape(t, kv_heads, dim).transpose(0, 1)
        q = rotary(q, pos, theta, dim)
        k = rotary(k, pos, theta, dim)
        k = k.repeat_interleave(heads // kv_heads, dim=0)
        v = v.repeat_interleave(heads // kv_heads, dim=0)
        att = torch.softmax(q @ k.transpose(1, 2) / math.sqrt(dim) + causal, dim=-1) @ v
        x = x + att.transpose(0, 1).reshape(t, heads * dim) @ w[p + "self_attn.o_proj.weight"].T
        h = rms_norm(x, w[p + "post_attention_layernorm.weight"], eps)
        gate = torch.nn.functional.silu(h @ w[p + "mlp.gate_proj.weight"].T)
        x = x + (gate * (h @ w[p + "mlp.up_proj.weight"].T)) @ w[p + "mlp.down_proj.weight"].T
    x = rms_norm(x, w["model.norm.weight"], eps)
    head = w["model.embed_tokens.weight"] if cfg.get("tie_word_embeddings") else w["lm_head.weight"]
    return x @ head.T


def logits(d):
    with open(os.path.join(d, "config.json")) as f:
        cfg = json.load(f)
    with open(os.path.join(d, "inputs.json")) as f:
        inputs = json.load(f)
    w = load_weights(d)
    ids, mask = inputs["input_ids"], inputs["attention_mask"]
    out = torch.zeros(len(ids), len(ids[0]), cfg["vocab_size"], dtype=torch.float64)
    for b, (row, m) in enumerate(zip(ids, mask)):
        where = [i for i, keep in enumerate(m) if keep]
        if where != list(range(where[0], where[-1] + 1)):
            raise ValueError("row %d: tokens must be contiguous (left or right padding)" % b)
        out[b, where[0]:where[-1] + 1] = forward(cfg, w, [row[i] for i in where])
    write_safetensors(os.path.join(d, "expected_logits.safetensors"),
                      {"logits": out.to(torch.float32)})


def random_model(cfg, seed):
    g = torch.Generator().manual_seed(seed)
    heads = cfg["num_attention_heads"]
    kv = cfg["num_key_value_heads"]
    dim = cfg.get("head_dim") or cfg["hidden_size"] // heads
    hid, inter = cfg["hidden_size"], cfg["intermediate_size"]
    bias = cfg["architectures"][0] == "Qwen2ForCausalLM" or cfg.get("attention_bias", False)

    def rnd(*shape, std=0.1, mean=0.0):
        return (torch.randn(*shape, generator=g) * std + mean).to(torch.float32)

    w = {"model.embed_tokens.weight": rnd(cfg["vocab_size"], hid, std=0.5),
         "model.norm.weight": rnd(hid, mean=1.0)}
    if not cfg["tie_word_embeddings"]:
        w["lm_head.weight"] = rnd(cfg["vocab_size"], hid, std=0.3)
    for i in range(cfg["num_hidden_layers"]):
        p = "model.layers.%d." % i
        w[p + "input_layernorm.weight"] = rnd(hid, mean=1.0)
        w[p + "post_attention_layernorm.weight"] = rnd(hid, mean=1.0)
        for name, rows in (("q_proj", heads * dim), ("k_proj", kv * dim), ("v_proj", kv * dim)):
            w[p + "self_attn.%s.weight" % name] = rnd(rows, hid, std=0.3)
            if bias:
                w[p + "self_attn.%s.bias" % name] = rnd(rows, std=0.2)
        w[p + "self_attn.o_proj.weight"] = rnd(hid, heads * dim, std=0.2)
        w[p + "mlp.gate_proj.weight"] = rnd(inter, hid, std=0.2)
        w[p + "mlp.up_proj.weight"] = rnd(inter, hid, std=0.2)
        w[p + "mlp.down_proj.weight"] = rnd(hid, inter, std=0.2)
    return w


def write_fixture(d, cfg, weights, inputs, shards=1):
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
    with open(os.path.join(d, "inputs.json"), "w") as f:
        json.dump(inputs, f)
    names = sorted(weights)
    if shards == 1:
        write_safetensors(os.path.join(d, "model.safetensors"), weights)
    else:
        per = (len(names) + shards - 1) // shards
        weight_map = {}
        for s in range(shards):
            file = "model-%05d-of-%05d.safetensors" % (s + 1, shards)
            part = {n: weights[n] for n in names[s * per:(s + 1) * per]}
            write_safetensors(os.path.join(d, file), part)
            weight_map.update({n: file for n in part})
        total = sum(t.numel() * t.element_size() for t in weights.values())
        with open(os.path.join(d, "model.safetensors.index.json"), "w") as f:
            json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, f, indent=2)
    logits(d)


def generate(root):
    qwen = {"architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "vocab_size": 96,
            "hidden_size": 32, "intermediate_size": 48, "num_hidden_layers": 2,
            "num_attention_heads": 4, "num_key_value_heads": 2, "hidden_act": "silu",
            "rope_theta": 1000000.0, "rms_norm_eps": 1e-6, "tie_word_embeddings": False,
            "max_position_embeddings": 64, "eos_token_id": 95, "torch_dtype": "float32",
            "use_sliding_window": False}
    llama = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": 80,
             "hidden_size": 24, "intermediate_size": 40, "num_hidden_layers": 2,
             "num_attention_heads": 3, "num_key_value_heads": 1, "head_dim": 10,
             "hidden_act": "silu", "rope_theta": 500.0, "rms_norm_eps": 1e-5,
             "attention_bias": False, "tie_word_embeddings": True, "max_position_embeddings": 64,
             "bos_token_id": 1, "eos_token_id": [2, 3], "torch_dtype": "float32"}
    g = torch.Generator().manual_seed(7)

    def batch(vocab):
        # row 0 full, row 1 left-padded by 3, row 2 right-padded by 4; pads hold token 0
        t = 10
        ids = torch.randint(0, vocab, (3, t), generator=g).tolist()
        mask = [[1] * t, [0] * 3 + [1] * 7, [1] * 6 + [0] * 4]
        for r in range(3):
            ids[r] = [i if m else 0 for i, m in zip(ids[r], mask[r])]
        return {"input_ids": ids, "attention_mask": mask}

    w = random_model(qwen, 1)
    write_fixture(os.path.join(root, "qwen2-tiny"), qwen, w, batch(96))
    bf = dict(qwen, torch_dtype="bfloat16")
    write_fixture(os.path.join(root, "qwen2-tiny-bf16-sharded"), bf,
                  {k: v.to(torch.bfloat16) for k, v in w.items()}, batch(96), shards=3)
    write_fixture(os.path.join(root, "llama-tied-mqa"), llama, random_model(llama, 2), batch(80))


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("logits", "generate"):
        sys.exit(__doc__)
    torch.set_num_threads(1)
    (logits if sys.argv[1] == "logits" else generate)(sys.argv[2])
