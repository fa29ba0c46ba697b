"""`lapor router train|evaluate|predict` on small CSV files written here, and model files on disk."""

import csv
import json
import random
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from lapor.reports import services
from lapor.reports.workflow import Status
from lapor.routing import store
from lapor.routing.training import history_examples
from tests.factories import World, report_in, submit

pytestmark = pytest.mark.django_db

TOPICS = {
    "Kementerian Sosial": ["bansos", "pkh", "bpnt", "bantuan sosial", "dtks", "blt"],
    "PT PLN (Persero)": [
        "listrik padam",
        "token listrik",
        "tagihan listrik",
        "meteran listrik",
        "tiang listrik",
        "tegangan",
    ],
    "Kepolisian": ["laporan polisi", "penipuan", "pencurian motor", "tilang", "sim", "skck"],
}
FRAMES = [
    "{t} saya bermasalah sudah {n} bulan, mohon dibantu",
    "tolong {t} di desa kami belum ada kejelasan",
    "sdh {n} minggu {t} tdk ada tindak lanjut",
    "keluhan tentang {t} yang tidak kunjung selesai",
]


def write_csv(path: Path, *, shuffle_labels: bool = False, seed: int = 1) -> Path:
    rng = random.Random(seed)
    rows = []
    for label, topics in TOPICS.items():
        for i, topic in enumerate(topics * 2):
            frame = FRAMES[i % len(FRAMES)]
            rows.append(
                {
                    "judul": topic.title(),
                    "isi": frame.format(t=topic, n=i + 2),
                    "instansi": label,
                    "bagian": "test" if i % 4 == 0 else "train",
                }
            )
    if shuffle_labels:  # training rows only: the test rows keep the truth to be measured against
        train = [r for r in rows if r["bagian"] == "train"]
        labels = [r["instansi"] for r in train]
        rng.shuffle(labels)
        for row, label in zip(train, labels, strict=True):
            row["instansi"] = label
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["judul", "isi", "instansi", "bagian"])
        writer.writeheader()
        writer.writerows(rows)
    return path


def run(*args: str) -> dict:
    out = StringIO()
    call_command("router", *args, stdout=out)
    return json.loads(out.getvalue())


def test_evaluate_prints_the_agreed_metrics(tmp_path: Path) -> None:
    data = write_csv(tmp_path / "data.csv")
    result = run(
        "evaluate",
        "--data",
        str(data),
        "--text-col",
        "judul,isi",
        "--label-col",
        "instansi",
        "--split-col",
        "bagian",
    )
    assert {
        "macro_f1",
        "accuracy",
        "top3_accuracy",
        "per_class",
        "ms_per_report",
        "ms_per_report_p95",
        "cpu_ms_per_report",
        "n_train",
        "n_test",
        "train_cpu_seconds",
    } <= set(result)
    assert "ms_per_report_warm" not in result  # a second pass over the same texts measured only caches
    assert result["n_test"] == 9 and result["n_train"] == 27
    assert result["accuracy"] >= 0.8 and result["top3_accuracy"] == 1.0
    assert set(result["per_class"]) == set(TOPICS)


def test_train_writes_a_versioned_model_and_replaces_it_only_if_not_worse(
    tmp_path: Path, model_dir: Path
) -> None:
    good = write_csv(tmp_path / "good.csv")
    args = ["--text-col", "judul", "--text-col", "isi", "--label-col", "instansi", "--split-col", "bagian"]
    first = run("train", "--data", str(good), *args)["models"]["agency"]
    assert first["activated"] and first["candidate"]["macro_f1"] >= 0.8
    version = first["version"]
    assert (model_dir / "agency" / f"{version}.joblib").exists()
    meta = json.loads((model_dir / "agency" / f"{version}.json").read_text())
    assert meta["head"] == "agency" and meta["source"] == ["csv"] and meta["heldout"]["n_test"] > 0
    active = store.load_active("agency")
    assert active is not None and active.version == version

    noisy = write_csv(tmp_path / "noisy.csv", shuffle_labels=True)
    worse = run("train", "--data", str(noisy), *args)["models"]["agency"]
    assert not worse["activated"]
    assert worse["candidate"]["macro_f1"] < worse["active_before"]["macro_f1"]
    assert (store.active_meta("agency") or {})["version"] == version  # unchanged
    assert (model_dir / "agency" / f"{worse['version']}.joblib").exists()  # kept for inspection

    forced = run("train", "--data", str(noisy), *args, "--force")["models"]["agency"]
    assert forced["activated"] and (store.active_meta("agency") or {})["version"] == forced["version"]


def test_category_labels_train_the_category_head(tmp_path: Path, routed_world: World) -> None:
    path = tmp_path / "cat.csv"
    path.write_text(
        "text,label\n"
        + "\n".join(
            [f"listrik padam lagi {i},electricity_energy" for i in range(6)]
            + [f"jalan berlubang lagi {i},roads_infrastructure" for i in range(6)]
        )
    )
    result = run("train", "--data", str(path), "--text-col", "text", "--label-col", "label")["models"]
    assert set(result) == {"category"} and result["category"]["activated"]


def test_predict_counts_labels_and_writes_rows(tmp_path: Path) -> None:
    run(
        "train",
        "--data",
        str(write_csv(tmp_path / "d.csv")),
        "--text-col",
        "judul,isi",
        "--label-col",
        "instansi",
    )
    unlabelled = tmp_path / "new.csv"
    unlabelled.write_text("id,text\n1,bansos pkh saya belum cair\n2,token listrik gagal terus\n3,\n")
    output = tmp_path / "out.csv"
    result = run(
        "predict", "--data", str(unlabelled), "--text-col", "text", "--id-col", "id", "--output", str(output)
    )
    assert result["head"] == "agency" and result["n"] == 2
    assert result["counts"] == {"Kementerian Sosial": 1, "PT PLN (Persero)": 1}
    rows = list(csv.DictReader(output.open()))
    assert [(r["id"], r["label"]) for r in rows] == [("1", "Kementerian Sosial"), ("2", "PT PLN (Persero)")]


def test_predict_without_an_agency_model_uses_the_seed_category_model(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("text\nlistrik padam setiap malam tanpa pemberitahuan PLN\n")
    result = run("predict", "--data", str(path), "--text-col", "text")
    assert result["head"] == "category" and result["counts"] == {"electricity_energy": 1}
    with pytest.raises(CommandError):
        run("predict", "--data", str(path), "--text-col", "text", "--head", "agency")


def test_bad_arguments_are_command_errors(tmp_path: Path) -> None:
    with pytest.raises(CommandError):
        run("evaluate", "--data", str(tmp_path / "missing.csv"), "--text-col", "x", "--label-col", "y")
    path = write_csv(tmp_path / "d.csv")
    with pytest.raises(CommandError):
        run("evaluate", "--data", str(path), "--text-col", "nope", "--label-col", "instansi")


def test_history_routes_are_labels_and_declines_refute_them(routed_world: World) -> None:
    world = routed_world
    verifier, admin = world.viewer("verifier"), world.viewer("admin_pemda")
    standing = report_in(world, Status.ROUTED)  # routed to pemda-34.04, never declined
    bounced = submit(world).report
    services.report_route(report=bounced, agency=world.pemda, unit=world.unit_pu, actor=verifier)
    services.report_decline(report=bounced, actor=admin, reason="not_authority")
    services.report_route(report=bounced, agency=world.pln, actor=verifier)
    never = submit(world).report
    services.report_route(report=never, agency=world.pemda, actor=verifier)
    services.report_decline(report=never, actor=admin, reason="wrong_level")

    categories, agencies, counts = history_examples()
    assert counts == {"reports": 3, "agency_examples": 2, "category_examples": 2, "declined_routes": 2}
    assert sorted(e.label for e in agencies) == ["pln", "regional:regency"]
    assert {e.label for e in categories} == {"roads_infrastructure"}
    assert standing.status == Status.ROUTED

    result = run("train", "--from-history")
    assert result["history"] == counts
    assert result["models"]["category"]["activated"]
    assert result["models"]["agency"]["n_train"] + result["models"]["agency"]["n_heldout"] == 2
