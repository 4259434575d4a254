"""The README's examples do what the text around them says, with files that ship."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

from fastapi.testclient import TestClient

from crossrisk.data import bundled_demo_path
from tests.support import auth

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text("utf-8")
FILE = re.compile(r"[\w./-]+\.(?:geojson|csv|json|pem|toml|txt|md|py|xml|png|sh)\b")


def shell_blocks() -> list[str]:
    return re.findall(r"^ *```sh\n(.*?)^ *```", README, flags=re.S | re.M)


def api_example_body() -> dict[str, object]:
    """The JSON body the README's API example posts to /api/risks."""
    (block,) = [b for b in shell_blocks() if "localhost:8000/api/risks " in b]
    call = block[block.index("localhost:8000/api/risks ") :]
    words = shlex.split(call.replace("\\\n", " "))
    body: dict[str, object] = json.loads(words[words.index("-d") + 1].split(")")[0])
    return body


def test_the_api_example_registers_a_river_spill_with_a_reach(
    client: TestClient, tokens: dict[str, str]
) -> None:
    body = api_example_body()
    # The example logs in as Huangshan's officer, as the `huangshan` test user is.
    assert "officer-341000" in README
    created = client.post("/api/risks", json=body, headers=auth(tokens, "huangshan"))
    assert created.status_code == 201, created.text
    risk = created.json()
    assert risk["hazard_type"] == "river_spill"
    reach = client.get(f"/api/risks/{risk['id']}/reach", headers=auth(tokens)).json()
    assert reach["pathway"] == "spill"
    codes = [entry["jurisdiction"] for entry in reach["entries"]]
    # Hangzhou, where the river enters Qiandao Lake, and none below the dam, as the tour says.
    assert codes[0] == "341000"
    assert "330100" in codes and "330400" not in codes


def test_every_file_the_examples_name_is_shipped_or_made_by_the_example() -> None:
    named: set[str] = set()
    for block in shell_blocks():
        made = set(re.findall(r">\s*([\w./-]+)", block))
        named |= {name for name in FILE.findall(block) if name not in made}
    # Paths the text names in backticks (`crossrisk/data/policy/deadlines.toml`).
    named |= {
        path
        for path in re.findall(r"`([\w./-]+)`", README)
        if FILE.fullmatch(path) and "/" in path and not path.startswith(("/", "bench/results"))
    }
    missing = sorted(path for path in named if not (ROOT / path).exists())
    assert missing == []


def test_demo_points_at_the_hydrograph_where_it_is_installed() -> None:
    assert bundled_demo_path("xinan_flood_hydrograph.csv").is_file()
