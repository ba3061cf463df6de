"""Rasa's own checks: the training data validates with no warnings, and the test stories
run without a single prediction error."""

import os
import subprocess

from tests.support.servers import ROOT

RASA = str(ROOT / ".venv" / "bin" / "rasa")
ENV = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}


def test_rasa_data_validate_reports_no_warnings():
    result = subprocess.run(
        [RASA, "data", "validate", "--domain", "domain", "--fail-on-warnings"],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=600,
    )
    # Rasa prints some findings ("intent X is not used") as warnings without failing.
    findings = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        if "rasa/shared/utils/io.py" in line or " WARNING " in line or "ERROR" in line
    ]
    assert result.returncode == 0 and not findings, "\n".join(findings[-40:])


def test_test_stories_have_no_prediction_errors(tmp_path):
    result = subprocess.run(
        [
            RASA,
            "test",
            "core",
            "--model",
            str(ROOT / "models"),
            "--stories",
            str(ROOT / "tests" / "test_stories.yml"),
            "--fail-on-prediction-errors",
            "--out",
            str(tmp_path),
        ],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=900,
    )
    failed = tmp_path / "failed_test_stories.yml"
    report = failed.read_text() if failed.exists() else ""
    assert result.returncode == 0, (report or result.stderr)[-4000:]
