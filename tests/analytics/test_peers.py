"""What a scorecard shows of its peer group: the leaders and the agency among its neighbours, never the
whole group; the whole group stays one request (and one download) away."""

import csv
import io

from django.test import Client

from lapor.agencies.models import Agency
from lapor.analytics import selectors
from lapor.analytics.selectors import nearby_peers
from tests.analytics.test_rollups import scenario
from tests.factories import World


def rows(n: int) -> list[dict[str, object]]:
    return [{"code": f"a{i}", "rank": i + 1} for i in range(n)]


def test_the_leaders_and_the_agencys_neighbours_in_rank_order() -> None:
    shown = nearby_peers(rows(40), "a25")
    assert [r["code"] for r in shown] == [f"a{i}" for i in (*range(10), *range(20, 31))]
    assert [r["code"] for r in nearby_peers(rows(40), "a3")] == [f"a{i}" for i in range(10)]
    assert [r["code"] for r in nearby_peers(rows(40), "a12")] == [f"a{i}" for i in range(18)]
    assert [r["code"] for r in nearby_peers(rows(40), "elsewhere")] == [f"a{i}" for i in range(10)]
    assert nearby_peers(rows(4), "a2") == rows(4)


def test_a_scorecard_names_its_group_size_and_the_download_has_the_whole_group(
    world: World, client: Client
) -> None:
    scenario(world)
    for n in range(20):  # a regency group larger than what a scorecard shows
        Agency.objects.create(
            code=f"pemda-99.{n:02d}", name=f"Pemerintah Kabupaten Uji {n}", kind="regency_gov"
        )
    card = selectors.agency_scorecard(code="pemda-34.04", period="2025-02")
    group = selectors.agency_table(group=card["agency"]["group"], period="2025-02")["groups"][0]["agencies"]
    assert card["peers_total"] == len(group) > len(card["peers"])
    assert "pemda-34.04" in {p["code"] for p in card["peers"]}
    assert client.get("/api/v1/stats/agencies/pemda-34.04", {"period": "2025-02"}).json()[
        "peers_total"
    ] == len(group)

    page = client.get("/instansi/pemda-34.04/", {"period": "2025-02"}).content.decode()
    assert f"dari {len(group)} instansi sejenis" in page

    download = client.get("/statistik/unduh/peers.csv", {"agency": "pemda-34.04", "period": "2025-02"})
    table = list(csv.reader(io.StringIO(download.content.decode())))
    assert {row[1] for row in table[1:]} == {p["code"] for p in group}
