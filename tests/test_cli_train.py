"""``sitrep train typing``, ``sitrep info`` and using a trained model (``--typing-model``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitrep.cli import main
from sitrep.pipeline import typing as typing_stage

OWN = Path(__file__).parent / "data" / "typing_train.jsonl"


@pytest.fixture(autouse=True)
def _default_model(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv(typing_stage.MODEL_ENV, raising=False)
    yield
    typing_stage.use_model(None)


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A model trained from a CSV export of the own snippets (header as ACLED writes it)."""
    import csv

    folder = tmp_path_factory.mktemp("model")
    export = folder / "export.csv"
    rows = [json.loads(line) for line in OWN.open(encoding="utf-8")]
    codes = {v: k for k, v in typing_stage.SUB_TO_CASE.items()}
    with export.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["event_id_cnty", "event_date", "sub_event_type", "notes", "country"])
        for n, r in enumerate(rows):
            if r["label"] in codes:  # an ACLED export has ACLED's types only
                writer.writerow([f"X{n}", "2024-01-01", codes[r["label"]], r["text"], ""])
    out = folder / "mine.json"
    assert main(["train", "typing", str(export), "--output", str(out), "--folds", "3"]) == 0
    return out


def test_train_typing_writes_model_with_metadata(trained: Path) -> None:
    data = json.loads(trained.read_text(encoding="utf-8"))
    meta = data["meta"]
    assert data["format"] == typing_stage.FORMAT
    assert meta["sitrep_version"] and meta["trained"]
    assert meta["data"][0]["name"] == "export.csv" and meta["data"][0]["rows"] == meta["rows"]
    assert meta["labels"]["AIR_STRIKE"] > 0 and "DIPLO" not in meta["labels"]
    cv = meta["cross_validation"][0]
    assert cv["folds"] == 3 and 0 < cv["weighted_f1"] <= 1


def test_info_shows_training_data_and_figures(trained: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["info", "--typing-model", str(trained)]) == 0
    out = capsys.readouterr().out
    assert "export.csv" in out and "weighted_f1" in out and "sitrep 0" in out


def test_trained_model_used_by_env_and_option(trained: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(typing_stage.MODEL_ENV, str(trained))
    assert typing_stage.model_path() == trained
    model = typing_stage.load_model()
    assert model is not None and "DIPLO" not in model.labels
    typing_stage.use_model(trained)
    assert typing_stage.classify("Jets bombed the bridge.")[0][0] in model.labels


@pytest.mark.parametrize(("content", "detail"), [
    ('{"format": "sitrep-typing-1", "labels": []}', "format 'sitrep-typing-1'"),
    ("{not json", "not JSON"),
    ('{"format": "sitrep-typing-2", "labels": ["ATTACK", "ARREST"], "vocab": ["w:a"], '
     '"scale": [1, 1], "bias": [0, 0], "weights_int8": "AAAA"}', "damaged"),
])
def test_bad_model_file_is_a_coded_error_naming_it(tmp_path: Path, content: str,
                                                   detail: str) -> None:
    path = tmp_path / "model.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(typing_stage.ModelError) as exc:
        typing_stage.use_model(path)
    assert exc.value.code == "E030" and str(path) in str(exc.value) and detail in str(exc.value)
    # the shipped model stays in use
    assert typing_stage.load_model() is not None
    assert typing_stage.model_path() == typing_stage.MODEL_PATH


def test_extract_with_bad_typing_model_exits_with_code(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    path = tmp_path / "old.json"
    path.write_text('{"format": "sitrep-typing-1"}', encoding="utf-8")
    report = tmp_path / "r.txt"
    report.write_text("Soldiers clashed with rebels near the town on Monday.", encoding="utf-8")
    before = typing_stage.MODEL_PATH.read_bytes()
    status = main(["extract", str(report), "--typing-model", str(path)])
    err = capsys.readouterr().err
    assert status == 1 and "E030" in err and str(path) in err
    assert typing_stage.MODEL_PATH.read_bytes() == before


def test_train_refuses_bad_data_and_writes_nothing(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    export = tmp_path / "export.csv"
    export.write_text("event_date,sub_event_type,actor1\n2024-01-01,Attack,X\n",
                      encoding="utf-8")
    out = tmp_path / "m.json"
    assert main(["train", "typing", str(export), "--output", str(out)]) == 2
    err = capsys.readouterr().err
    assert "E031" in err and "notes" in err and not out.exists()


def test_trained_model_reaches_worker_processes(trained: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    reports = tmp_path / "reports.jsonl"
    texts = ["Jets bombed a bridge near the border, killing four.",
             "Thousands marched in the capital against the new tax; police fired tear gas.",
             "Gunmen kidnapped two aid workers on the road to the camp.",
             "Rebels seized the town after a day of fighting with the army."]
    reports.write_text("".join(json.dumps({"id": f"r{i}", "text": t}) + "\n"
                               for i, t in enumerate(texts)), encoding="utf-8")

    def run(*extra: str) -> str:
        assert main(["extract", str(reports), "--format", "jsonl", *extra]) == 0
        return capsys.readouterr().out

    one = run("--typing-model", str(trained))
    assert run("--typing-model", str(trained), "--workers", "2") == one
    typing_stage.use_model(None)
    assert run() != one  # the shipped model codes them otherwise: the option was used


def test_info_shows_the_accurate_modes_encoder(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["info"]) == 0
    out = capsys.readouterr().out
    assert "accurate mode" in out and "typing_encoder.onnx" in out
    assert "acled_notes_dev.jsonl" in out and "ACLED" in out  # its data and the credit
