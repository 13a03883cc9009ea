"""Training data for ``sitrep train typing``: formats read, bad rows refused with their numbers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitrep.training.data import TrainingDataError, check_counts, label_code, read_examples

CSV_HEADER = "event_id_cnty,event_date,sub_event_type,actor1,country,notes,fatalities\n"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_training_reads_acled_csv_export_ignoring_other_columns(tmp_path: Path) -> None:
    path = _write(tmp_path / "export.csv", CSV_HEADER
                  + 'X1,2024-01-02,Peaceful protest,Protesters (Ruritania),Ruritania,'
                    '"Traders marched to the town hall over market fees.",0\n'
                  + 'X2,2024-01-03,Armed clash,Military Forces of Ruritania,Ruritania,'
                    '"Soldiers and rebels exchanged fire near a bridge.",2\n')
    rows = read_examples(path)
    assert [(r.label, r.group) for r in rows] == [("PEACE_PROTEST", "Ruritania"),
                                                  ("ARMED_CLASH", "Ruritania")]
    assert rows[0].text.startswith("Traders marched")


def test_training_reads_case_and_notes_jsonl(tmp_path: Path) -> None:
    path = _write(tmp_path / "mixed.jsonl", "\n".join(json.dumps(r) for r in [
        {"text": "Jets bombed a depot.", "label": "AIR_STRIKE"},
        {"text": "Villagers lynched a thief.", "label": "Mob violence", "country": "Oz"},
    ]) + "\n")
    assert [(r.label, r.group) for r in read_examples(path)] == [
        ("AIR_STRIKE", "mixed.jsonl"), ("MOB_VIOL", "Oz")]


@pytest.mark.parametrize(("label", "code"), [
    ("Peaceful protest", "PEACE_PROTEST"), ("peaceful  PROTEST", "PEACE_PROTEST"),
    ("Air/drone strike", "AIR_STRIKE"), ("DIPLO", "DIPLO"), ("Protest", None), ("", None),
])
def test_training_label_codes(label: str, code: str | None) -> None:
    assert label_code(label) == code


def test_training_csv_without_notes_column_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path / "bad.csv", "event_date,sub_event_type,text\n2024-01-01,Attack,x\n")
    with pytest.raises(TrainingDataError) as exc:
        read_examples(path)
    assert exc.value.code == "E031"
    assert "bad.csv" in str(exc.value) and "notes" in str(exc.value)


def test_training_unknown_labels_named_with_rows(tmp_path: Path) -> None:
    path = _write(tmp_path / "export.csv", CSV_HEADER
                  + "A,2024-01-01,Attack,x,Oz,Gunmen shot a farmer.,1\n"
                  + "B,2024-01-01,Strategic stuff,x,Oz,Something happened.,0\n"
                  + "C,2024-01-01,Strategic stuff,x,Oz,Something else happened.,0\n")
    with pytest.raises(TrainingDataError) as exc:
        read_examples(path)
    message = str(exc.value)
    assert "'Strategic stuff'" in message and "rows 3, 4" in message


def test_training_empty_notes_named_with_rows(tmp_path: Path) -> None:
    path = _write(tmp_path / "rows.jsonl", json.dumps({"text": "Troops shelled a town.",
                                                       "label": "ART_MISS_ATTACK"}) + "\n"
                  + json.dumps({"text": "   ", "label": "ATTACK"}) + "\n")
    with pytest.raises(TrainingDataError, match=r"empty notes/text in row 2"):
        read_examples(path)


def test_training_rare_label_refused_unless_dropped(tmp_path: Path) -> None:
    rows = [{"text": f"Protesters marched in town {i}.", "label": "PEACE_PROTEST"}
            for i in range(6)]
    rows += [{"text": f"Rebels fought soldiers at post {i}.", "label": "ARMED_CLASH"}
             for i in range(6)]
    rows += [{"text": "A suicide bomber struck.", "label": "SUIC_BOMB"}] * 2
    examples = read_examples(_write(tmp_path / "r.jsonl",
                                    "".join(json.dumps(r) + "\n" for r in rows)))
    with pytest.raises(TrainingDataError, match=r"SUIC_BOMB \(2 rows\).*--drop-rare"):
        check_counts(examples)
    kept = check_counts(examples, drop_rare=True)
    assert {e.label for e in kept} == {"PEACE_PROTEST", "ARMED_CLASH"}
