"""FollowTheMoney out and back: lossless for our own files, mapped and reported for others, all or nothing."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from caseboard.db import rows
from caseboard.db.case import create_case
from caseboard.db.demo import demo_id
from caseboard.db.exchange.ftm_export import export_ftm
from caseboard.db.exchange.ftm_import import FtmImportError, apply_ftm, read_ftm


def _originals(case) -> list[tuple]:
    return sorted(
        case.conn.execute("SELECT sha256, media_type, filename, size, data FROM originals").fetchall()
    )


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_round_trip_into_a_new_case_is_lossless(rich_demo, tmp_path: Path) -> None:
    out = tmp_path / "demo.ftm.json"
    n = export_ftm(rich_demo, out)
    assert n == len(out.read_text(encoding="utf-8").splitlines())
    new = create_case(tmp_path / "copy.case", title="Copy")
    plan = read_ftm(out, new)
    assert not plan.unmapped and not plan.offers and not plan.warnings
    apply_ftm(new, plan)
    before, after = rows.snapshot(rich_demo), rows.snapshot(new)
    for table in before:
        assert after[table] == before[table], table
    assert _originals(new) == _originals(rich_demo)
    # the things FtM itself cannot hold came back exactly
    sql = "SELECT source_start, source_end, said FROM statements WHERE source_start IS NOT NULL"
    assert new.conn.execute(sql).fetchall() == rich_demo.conn.execute(sql).fetchall() != []
    assert new.conn.execute("SELECT date FROM events WHERE title = 'Ships leave Najin'").fetchone() == (
        "2023-09-08~",
    )
    assert new.conn.execute("SELECT seq, depart FROM legs ORDER BY seq").fetchall() == [
        (1, "2023-09-08/2023-09-12"),
        (2, "2023-09-12/2023-10-01"),
    ]
    new.close()


def test_export_carries_nearest_ftm_values(demo_case, tmp_path: Path) -> None:
    out = tmp_path / "demo.ftm.json"
    export_ftm(demo_case, out)
    by_id = {e["id"]: e for e in _lines(out)}
    angara = by_id[demo_id("angara")]
    assert angara["schema"] == "Vessel" and angara["properties"]["flag"] == ["ru"]
    assert by_id[demo_id("north_korea")]["schema"] == "PublicBody"
    assert by_id[demo_id("kirby")]["schema"] == "Person"
    najin = by_id[demo_id("najin")]["properties"]
    assert (
        najin["latitude"] == ["42.256"] and najin["longitude"] == ["130.283"] and najin["country"] == ["kp"]
    )
    staging = by_id[demo_id("staging")]["properties"]
    assert staging["startDate"] == ["2023-09-07"] and staging["endDate"] == ["2023-09-08"]
    sea = by_id[demo_id("leg_sea")]
    assert sea["schema"] == "Trip" and sea["properties"]["vehicle"] == [demo_id("angara")]
    assert sea["properties"]["startLocation"] == [demo_id("najin")]
    quote = by_id[demo_id("kirby_condemn")]
    assert quote["schema"] == "Documentation" and quote["properties"]["role"] == ["quote"]
    assert quote["properties"]["document"] == [demo_id("S2")] and quote["properties"]["entity"] == [
        demo_id("kirby")
    ]
    # a statement is not a Thing in FtM, so its citation rides on it: the source as proof, the grade as a tag
    assert quote["properties"]["proof"] == [demo_id("S1")]
    assert quote["properties"]["status"] == ['admiralty-scale:information-credibility="1"']
    cite = by_id[demo_id("cite:staging:S2")]["properties"]
    assert cite["entity"] == [demo_id("staging")] and cite["document"] == [demo_id("S2")]
    assert cite["status"] == ['admiralty-scale:information-credibility="2"']
    assert by_id[demo_id("S1")]["properties"]["keywords"] == ['admiralty-scale:source-reliability="b"']
    kirby_job = by_id[demo_id("rel_kirby_nsc")]
    assert kirby_job["schema"] == "Employment" and kirby_job["properties"]["role"] == ["spokesman"]
    assert kirby_job["properties"]["employee"] == [demo_id("kirby")]
    states = by_id[demo_id("rel_nk_russia")]  # FtM's Associate joins people, not states
    assert states["schema"] == "UnknownLink" and states["properties"]["role"] == [
        "associate of, military partnership"
    ]
    links = [e for e in by_id.values() if e["schema"] == "UnknownLink"]
    roles = {(e["properties"]["subject"][0], e["properties"]["role"][0]) for e in links}
    assert (demo_id("north_korea"), "shipper") in roles and (demo_id("russia"), "receiver") in roles


def test_exported_file_passes_ftm_validate(rich_demo, tmp_path: Path) -> None:
    pytest.importorskip("followthemoney")
    ftm = shutil.which("ftm", path=str(Path(sys.executable).parent)) or shutil.which("ftm")
    assert ftm, "followthemoney is installed but its ftm command is missing"
    out, checked = tmp_path / "demo.ftm.json", tmp_path / "validated.json"
    export_ftm(rich_demo, out)
    done = subprocess.run(
        [ftm, "validate", "-i", str(out), "-o", str(checked)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    ours, theirs = _lines(out), _lines(checked)
    assert len(theirs) == len(ours)
    for mine, valid in zip(ours, theirs, strict=True):
        # validation cleans every value; a value it dropped or changed would be one FtM does not accept
        assert valid["schema"] == mine["schema"] and valid["properties"] == mine["properties"], mine["id"]
        assert valid["caseboard"] == mine["caseboard"]
    # what ftm validate wrote back still imports losslessly (FtM tools keep the caseboard key)
    new = create_case(tmp_path / "from-validated.case", title="V")
    apply_ftm(new, read_ftm(checked, new))
    assert rows.snapshot(new) == rows.snapshot(rich_demo)
    new.close()
    # every reference points at an entity in the file, of a schema the property accepts
    from followthemoney import model

    schema_of = {e["id"]: model.get(e["schema"]) for e in ours}
    for e in ours:
        for name, values in e["properties"].items():
            prop = model.get(e["schema"]).get(name)
            assert prop is not None, (e["schema"], name)
            if prop.range is None or prop.type.name != "entity":
                continue
            for value in values:
                assert value in schema_of, (e["schema"], name, value)
                assert schema_of[value].is_a(prop.range), (
                    e["schema"],
                    name,
                    schema_of[value].name,
                    prop.range.name,
                )


def _foreign(tmp_path: Path) -> Path:
    ents = [
        {
            "id": "os-angara",
            "schema": "Vessel",
            "properties": {
                "name": ["ANGARA"],
                "previousName": ["Lady Rose"],
                "imoNumber": ["IMO1234567"],
                "flag": ["ru"],
                "mmsi": ["273"],
            },
        },
        {"id": "os-kirby", "schema": "Person", "properties": {"name": ["John Kirby"], "nationality": ["us"]}},
        {
            "id": "os-firm",
            "schema": "Company",
            "properties": {"name": ["Far East Shipping"], "alias": ["FESCO"], "country": ["ru"]},
        },
        {
            "id": "os-port",
            "schema": "Address",
            "properties": {
                "full": ["Port of Vostochny"],
                "latitude": ["42.75"],
                "longitude": ["133.05"],
                "country": ["ru"],
            },
        },
        {
            "id": "os-own",
            "schema": "Ownership",
            "properties": {
                "owner": ["os-firm"],
                "asset": ["os-angara"],
                "role": ["registered owner"],
                "startDate": ["2019"],
            },
        },
        {
            "id": "os-link",
            "schema": "UnknownLink",
            "properties": {"subject": ["os-firm"], "object": ["os-doc"]},
        },
        {"id": "os-san1", "schema": "Sanction", "properties": {"entity": ["os-firm"]}},
        {"id": "os-san2", "schema": "Sanction", "properties": {"entity": ["os-angara"]}},
        {
            "id": "os-doc",
            "schema": "Article",
            "properties": {
                "title": ["Designation notice"],
                "publishedAt": ["2024-02-23T10:00:00"],
                "sourceUrl": ["https://example.org/n"],
            },
        },
        {
            "id": "os-ev",
            "schema": "Event",
            "properties": {
                "name": ["Designated"],
                "startDate": ["2024-02"],
                "endDate": ["2024-03-02"],
                "involved": ["os-firm"],
                "addressEntity": ["os-port"],
            },
        },
        {
            "id": "os-cite",
            "schema": "Documentation",
            "properties": {
                "document": ["os-doc"],
                "entity": ["os-ev"],
                "status": ['admiralty-scale:information-credibility="2"'],
            },
        },
    ]
    path = tmp_path / "opensanctions.json"
    path.write_text("\n".join(json.dumps(e) for e in ents) + "\n", encoding="utf-8")
    return path


def test_foreign_file_is_mapped_unmapped_schemata_reported_and_matches_offered(
    demo_case, tmp_path: Path
) -> None:
    from caseboard.db import actors

    actors.update_actor(demo_case, demo_id("angara"), imo="1234567")
    plan = read_ftm(_foreign(tmp_path), demo_case)
    assert dict(plan.unmapped) == {"Sanction": 2, "UnknownLink (not between two actors in the file)": 1}
    assert "Not mapped" in plan.summary() and "2 Sanction" in plan.summary()
    offers = {o.incoming_id: (o.existing_id, o.reason) for o in plan.offers}
    assert offers == {
        "os-angara": (demo_id("angara"), "same IMO number"),
        "os-kirby": (demo_id("kirby"), "same name or alias"),
    }
    apply_ftm(demo_case, plan, merge={"os-angara"})
    conn = demo_case.conn
    assert conn.execute("SELECT count(*) FROM actors WHERE imo = '1234567'").fetchone() == (1,)
    assert "Lady Rose" in json.loads(
        conn.execute("SELECT aliases FROM actors WHERE id = ?", [demo_id("angara")]).fetchone()[0]
    )
    assert conn.execute("SELECT kind, country FROM actors WHERE id = 'os-kirby'").fetchone() == (
        "person",
        "United States",
    )
    assert conn.execute("SELECT name, lat, lon FROM places WHERE id = 'os-port'").fetchone() == (
        "Port of Vostochny",
        42.75,
        133.05,
    )
    assert conn.execute("SELECT date, place_id FROM events WHERE id = 'os-ev'").fetchone() == (
        "2024-02/2024-03",
        "os-port",
    )
    assert conn.execute("SELECT published FROM sources WHERE id = 'os-doc'").fetchone() == ("2024-02-23",)
    assert conn.execute("SELECT credibility FROM citations WHERE id = 'os-cite'").fetchone() == (2,)
    owner = "SELECT from_actor_id, to_actor_id, kind, role, since FROM relationships WHERE id = 'os-own'"
    assert conn.execute(owner).fetchone() == (
        "os-firm",
        demo_id("angara"),
        "owner of",
        "registered owner",
        "2019",
    )
    # every imported fact cites the file it came from
    cited = conn.execute(
        "SELECT count(*) FROM citations c JOIN sources s ON s.id = c.source_id WHERE s.title LIKE '%opensanctions.json'"
    ).fetchone()[0]
    assert (
        cited == 5
    )  # Kirby (not merged), the company, the port, the event, the ownership; not the merged vessel


def test_malformed_line_names_it_and_changes_nothing(demo_case, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    export_ftm(demo_case, path)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[6] = lines[6][:-5]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    new = create_case(tmp_path / "n.case", title="N")
    before = rows.snapshot(new)
    with pytest.raises(FtmImportError, match="line 7 "):
        read_ftm(path, new)
    assert rows.snapshot(new) == before
    new.close()


def test_damaged_row_late_in_the_file_leaves_the_case_untouched(demo_case, tmp_path: Path) -> None:
    path = tmp_path / "damaged.json"
    export_ftm(demo_case, path)
    ents = _lines(path)
    ents[-1]["caseboard"]["row"]["credibility"] = 9
    path.write_text("\n".join(json.dumps(e) for e in ents) + "\n", encoding="utf-8")
    new = create_case(tmp_path / "n.case", title="N")
    with pytest.raises(FtmImportError, match=f"line {len(ents)}: .*credibility"):
        read_ftm(path, new)
    assert new.conn.execute("SELECT count(*) FROM actors").fetchone() == (0,)
    new.close()


def test_insert_failure_rolls_back_everything(demo_case, tmp_path: Path) -> None:
    path = tmp_path / "demo.json"
    export_ftm(demo_case, path)
    new = create_case(tmp_path / "n.case", title="N")
    plan = read_ftm(path, new)
    plan.rows["statements"][-1]["kind"] = "rumour"  # refused by the table's CHECK, after most rows went in
    with pytest.raises(Exception, match="CHECK"):
        apply_ftm(new, plan)
    assert all(not v for v in rows.snapshot(new).values())
    new.close()


def test_cli_export_and_import_ftm(tmp_path: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "caseboard.cli", *args], capture_output=True, text=True, timeout=120
        )

    demo, new, out = tmp_path / "d.case", tmp_path / "n.case", tmp_path / "k.ftm.json"
    assert run("demo", str(demo)).returncode == 0
    assert run("new", str(new), "--title", "N").returncode == 0
    done = run("export", str(demo), "--format", "ftm", "--actor", "Kirby", "-o", str(out))
    assert done.returncode == 0, done.stderr
    ids = {e["id"] for e in _lines(out)}
    assert demo_id("kirby_condemn") in ids and demo_id("milley_decisive") not in ids
    assert demo_id("S2") in ids and demo_id("S1") in ids  # the quote's source and the one it is known through
    done = run("import", str(new), str(out))
    assert done.returncode == 0, done.stderr
    assert "Imported k.ftm.json" in done.stdout
    bad = tmp_path / "bad.ftm.json"
    bad.write_text(
        '{"id": "x", "schema": "Person", "properties": {"name": ["A"]}}\n{"id": \n', encoding="utf-8"
    )
    done = run("import", str(new), str(bad))
    assert done.returncode == 2 and "line 2" in done.stderr and done.stderr.count("\n") == 1


def test_entities_written_by_followthemoney_itself_import(empty_case, tmp_path: Path) -> None:
    """Entities made with FtM's own model API (as Aleph and OpenSanctions write them) come in mapped."""
    pytest.importorskip("followthemoney")
    from followthemoney import model

    def make(schema: str, eid: str, **props: str) -> dict:
        ent = model.make_entity(schema)
        ent.id = eid
        for key, value in props.items():
            ent.add(key, value)
        return ent.to_dict()

    ents = [
        make("Vessel", "v1", name="Sea Breeze", imoNumber="IMO1234567", flag="pa"),
        make("Company", "c1", name="Breeze Shipping Ltd", jurisdiction="mh"),
        make("Ownership", "o1", owner="c1", asset="v1", startDate="2021-03"),
        make("Address", "a1", full="Port of Nakhodka", latitude="42.8", longitude="132.9", country="ru"),
        make(
            "Event", "e1", name="Ship-to-ship transfer", date="2023-11-02", involved="c1", addressEntity="a1"
        ),
        make("Payment", "p1", payer="c1", beneficiary="c1", amount="100"),
    ]
    path = tmp_path / "aleph.json"
    path.write_text("\n".join(json.dumps(e) for e in ents) + "\n", encoding="utf-8")
    plan = read_ftm(path, empty_case)
    assert dict(plan.unmapped) == {"Payment": 1}
    apply_ftm(empty_case, plan)
    conn = empty_case.conn
    assert conn.execute("SELECT kind, imo, flag FROM actors WHERE id = 'v1'").fetchone() == (
        "vessel",
        "1234567",
        "Panama",
    )
    assert conn.execute("SELECT kind, country FROM actors WHERE id = 'c1'").fetchone() == (
        "organization",
        "Marshall Islands",
    )
    assert conn.execute("SELECT kind, since FROM relationships WHERE id = 'o1'").fetchone() == (
        "owner of",
        "2021-03",
    )
    assert conn.execute("SELECT date, place_id FROM events WHERE id = 'e1'").fetchone() == (
        "2023-11-02",
        "a1",
    )


def test_a_lone_value_where_ftm_wants_a_list_is_read_whole(empty_case, tmp_path: Path) -> None:
    path = tmp_path / "hand.json"
    path.write_text(
        '{"id": "b", "schema": "Person", "properties": {"name": "Bob Lee", "alias": ["B."]}}\n',
        encoding="utf-8",
    )
    plan = read_ftm(path, empty_case)
    assert plan.summary() == "hand.json: 1 entity, read as 1 actor."
    apply_ftm(empty_case, plan)
    assert empty_case.conn.execute("SELECT name, aliases FROM actors WHERE id = 'b'").fetchone() == (
        "Bob Lee",
        '["B."]',
    )


def test_generated_case_round_trips_with_its_nulls(tmp_path: Path) -> None:
    """A case written by another tool (here the generator: NULL texts, every kind of row) comes back exactly."""
    from caseboard.db.case import open_case
    from caseboard.db.generate import generate_case

    generate_case(
        tmp_path / "g.case",
        events=300,
        statements=80,
        actors=40,
        places=20,
        shipments=15,
        seed=7,
        relationships=12,
    )
    with open_case(tmp_path / "g.case", readonly=True) as source:
        export_ftm(source, tmp_path / "g.json")
        before = rows.snapshot(source)
    new = create_case(tmp_path / "n.case", title="N")
    apply_ftm(new, read_ftm(tmp_path / "g.json", new))
    after = rows.snapshot(new)
    assert all(before[t] for t in ("events", "legs", "relationships", "citations"))
    for table in before:
        assert after[table] == before[table], table
    new.close()
