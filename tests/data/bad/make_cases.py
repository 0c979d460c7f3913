#!/usr/bin/env python3
"""Writes the malformed-input cases of tests/data/bad/ (run once; the output
is committed). Each case is a folder with some of the six CSV files (or a
dataset.json) and an expected.json listing exactly the distinct problem codes
that reading and validating it must produce. Run from this folder:
    python3 make_cases.py
"""
import json, os, shutil

UNITS = """unit_id,kind,parent_id,name,population
T1,township,,巴彦乡,5000
V1,village,T1,纳林希里村,820
V2,village,T1,东村,600
"""
HOUSEHOLDS = """household_id,village_id,residency,tags,name,phone,members,head_birth_date,registered_on
H1,V1,resident,elderly_alone|aged_70_plus,王某,13800000001,1,1948-03-01,2020-01-01
H2,V1,away,migrant_worker,李某,,4,,2020-01-01
H3,V2,resident,,"张,某",,3,,
"""
CADRES = """cadre_id,name,phone,rank,unit_id
C1,赵某某,13900000001,leader,T1
C2,钱某,,ordinary,T1
"""
ASSIGNMENTS = """household_id,cadre_id,from,to
H1,C1,2024-01-01,
H2,C1,2024-01-01,
H3,C2,2024-01-01,
"""
VISITS = """household_id,cadre_id,at,mode,signed,note
H1,C1,2024-03-05T08:07,in_person,true,说了低保的事
H2,C1,2024/3/6 9:00,phone,false,
"""
BASE = {
    "units.csv": UNITS,
    "households.csv": HOUSEHOLDS,
    "cadres.csv": CADRES,
    "assignments.csv": ASSIGNMENTS,
    "visits.csv": VISITS,
}

HERE = os.path.dirname(os.path.abspath(__file__))
cases = []


def case(name, description, codes, files=None, add=None, replace=None, drop=(),
         only=None, encoding="utf8", expect_rows=None):
    """files: full replacement of a file's content (str or bytes);
    add: lines appended to a base file; only: keep only these base files."""
    fs = dict(BASE)
    if only is not None:
        fs = {k: v for k, v in fs.items() if k in only}
    for k in drop:
        fs.pop(k, None)
    for k, v in (add or {}).items():
        fs[k] = fs[k] + v
    for k, (old, new) in (replace or {}).items():
        assert old in fs[k], (name, old)
        fs[k] = fs[k].replace(old, new)
    for k, v in (files or {}).items():
        if v is None:
            fs.pop(k, None)
        else:
            fs[k] = v
    cases.append((name, description, sorted(set(codes)), fs, encoding, expect_rows))


# ----- encodings
case("001-gb18030-read-as-utf8", "households.csv saved as GB18030 by Excel, read as UTF-8",
     ["input.not_utf8"], only=["units.csv"],
     files={"households.csv": HOUSEHOLDS.encode("gb18030")}, expect_rows={"households": 0})
case("002-gb18030-read-as-gb18030", "the same files read as GB18030: nothing wrong (a control case)",
     [], files={k: v.encode("gb18030") for k, v in BASE.items()}, encoding="gb18030",
     expect_rows={"households": 3, "visits": 2})
case("003-invalid-bytes-as-gb18030", "a byte 0xFF, invalid in GB18030, on line 3",
     ["input.bad_encoding"], only=["units.csv"],
     files={"households.csv": HOUSEHOLDS.encode("gb18030").replace("李某".encode("gb18030"), b"\xff\xff")},
     encoding="gb18030", expect_rows={"households": 0})
case("004-utf16-with-bom", "households.csv saved as UTF-16 LE with a byte-order mark",
     ["input.not_utf8"], only=["units.csv"],
     files={"households.csv": b"\xff\xfe" + HOUSEHOLDS.encode("utf-16-le")})
case("005-utf16-without-bom", "UTF-16 LE without byte-order mark: NUL bytes",
     ["input.not_utf8"], only=["units.csv"],
     files={"households.csv": HOUSEHOLDS.encode("utf-16-le")})
case("006-utf8-bom-is-fine", "a UTF-8 byte-order mark is skipped; an unknown column is a warning",
     ["csv.unknown_column"],
     files={"households.csv": "\ufeff" + HOUSEHOLDS.replace("registered_on\n", "registered_on,备注\n").replace("2020-01-01\n", "2020-01-01,x\n").replace(",,3,,\n", ",,3,,,\n")},
     expect_rows={"households": 3})

# ----- CSV syntax
case("010-truncated-row", "a visit row cut short after the date-time",
     ["csv.field_count"], add={"visits.csv": "H1,C1,2024-03-07T10:00\n"}, expect_rows={"visits": 2})
case("011-too-many-fields", "a visit row with an unquoted comma in its note",
     ["csv.field_count"], add={"visits.csv": "H1,C1,2024-03-07T10:00,phone,false,说了,低保\n"},
     expect_rows={"visits": 2})
case("012-stray-quote", "a quote inside an unquoted note",
     ["csv.syntax"], add={"visits.csv": 'H1,C1,2024-03-07T10:00,phone,false,他说"不用"\nH3,C2,2024-03-08T10:00,in_person,true,ok\n'},
     expect_rows={"visits": 3})
case("013-unterminated-quote", "a note whose quote is never closed; the next row is still read",
     ["csv.syntax"], add={"visits.csv": 'H1,C1,2024-03-07T10:00,phone,false,"他说不用\nH3,C2,2024-03-08T10:00,in_person,true,ok\n'},
     expect_rows={"visits": 3})
case("014-text-after-closing-quote", "text after the closing quote of a field",
     ["csv.syntax"], add={"visits.csv": 'H1,C1,2024-03-07T10:00,phone,false,"他说"不用\n'},
     expect_rows={"visits": 2})
case("015-quoted-newline-is-fine", "a note over two lines, quoted: read, and the line after it is right",
     ["visit.unknown_cadre"], add={"visits.csv": 'H1,C1,2024-03-07T10:00,phone,false,"第一行\n第二行"\nH3,C9,2024-03-08T10:00,in_person,true,\n'},
     expect_rows={"visits": 4})

# ----- dates and date-times
case("020-date-2023-02-29", "29 February in a common year", ["field.bad_date"],
     add={"assignments.csv": "H3,C1,2023-02-29,\n"}, expect_rows={"assignments": 3})
case("021-date-month-13", "month 13", ["field.bad_date"],
     add={"assignments.csv": "H3,C1,2024-13-01,\n"}, expect_rows={"assignments": 3})
case("022-date-april-31", "31 April", ["field.bad_date"],
     add={"assignments.csv": "H3,C1,2024-01-01,2024-04-31\n"}, expect_rows={"assignments": 3})
case("023-date-as-text", "a birth date written in words", ["field.bad_date"],
     add={"households.csv": "H4,V1,resident,,,,,一九五〇年,\n"}, expect_rows={"households": 3})
case("024-date-with-dots", "a date written 2024.01.05", ["field.bad_date"],
     add={"households.csv": "H4,V1,resident,,,,,,2024.01.05\n"}, expect_rows={"households": 3})
case("025-datetime-with-offset", "a visit time with +08:00 written", ["field.bad_datetime"],
     add={"visits.csv": "H1,C1,2024-03-07T10:00+08:00,phone,false,\n"}, expect_rows={"visits": 2})
case("026-datetime-as-text", "a visit time in words", ["field.bad_datetime"],
     add={"visits.csv": "H1,C1,昨天下午,phone,false,\n"}, expect_rows={"visits": 2})
case("027-datetime-hour-25", "hour 25", ["field.bad_datetime"],
     add={"visits.csv": "H1,C1,2024-03-07T25:00,phone,false,\n"}, expect_rows={"visits": 2})
case("028-datetime-date-only", "a visit with a date and no time", ["field.bad_datetime"],
     add={"visits.csv": "H1,C1,2024-03-07,phone,false,\n"}, expect_rows={"visits": 2})

# ----- words, numbers, booleans
case("030-bad-residency", "residency `abroad`", ["field.bad_value"],
     add={"households.csv": "H4,V1,abroad,,,,,,\n"}, expect_rows={"households": 3})
case("031-bad-unit-kind", "unit kind `hamlet`", ["field.bad_value"],
     add={"units.csv": "V3,hamlet,T1,,\n"}, expect_rows={"units": 3})
case("032-bad-mode", "visit mode `letter`", ["field.bad_value"],
     add={"visits.csv": "H1,C1,2024-03-07T10:00,letter,false,\n"}, expect_rows={"visits": 2})
case("033-bad-bool", "signed `yes`", ["field.bad_bool"],
     add={"visits.csv": "H1,C1,2024-03-07T10:00,phone,yes,\n"}, expect_rows={"visits": 2})
case("034-negative-population", "population -5", ["field.bad_number"],
     add={"units.csv": "V3,village,T1,,-5\n"}, expect_rows={"units": 3})
case("035-non-numeric-members", "members written in Chinese numerals", ["field.bad_number"],
     add={"households.csv": "H4,V1,resident,,,,三,,\n"}, expect_rows={"households": 3})
case("036-population-overflow", "a population beyond 32 bits", ["field.bad_number"],
     add={"units.csv": "V3,village,T1,,99999999999\n"}, expect_rows={"units": 3})
case("037-bad-tag", "an empty tag between two separators", ["field.bad_value"],
     add={"households.csv": "H4,V1,resident,hardship||dispute,,,,,\n"}, expect_rows={"households": 3})
case("038-bad-rank", "rank `chief`", ["field.bad_value"],
     add={"cadres.csv": "C3,孙某,,chief,T1\n"}, expect_rows={"cadres": 2})
case("039-bad-duty", "duties with an unknown word",
     ["field.bad_value"],
     files={"cadres.csv": CADRES.replace("unit_id\n", "unit_id,duties\n").replace("leader,T1\n", "leader,T1,\n").replace("ordinary,T1\n", "ordinary,T1,liaison|boss\n")},
     expect_rows={"cadres": 1}, drop=["assignments.csv"])
case("040-empty-required-field", "a cadre without a name", ["field.empty"],
     add={"cadres.csv": "C3,,,ordinary,T1\n"}, expect_rows={"cadres": 2})
case("041-many-problems-in-one-row", "bad residency, members and birth date in one row: all reported",
     ["field.bad_value", "field.bad_number", "field.bad_date"],
     add={"households.csv": "H4,V1,abroad,,,,-1,1950-02-30,\n"}, expect_rows={"households": 3})

# ----- IDs and sizes
case("045-id-too-long", "a household ID of 65 characters", ["field.bad_id"],
     add={"households.csv": "H" + "0" * 64 + ",V1,resident,,,,,,\n"}, expect_rows={"households": 3})
case("046-id-with-space", "a household ID with a leading space", ["field.bad_id"],
     add={"households.csv": " H4,V1,resident,,,,,,\n"}, expect_rows={"households": 3})
case("047-note-too-long", "a note of 4,097 characters", ["field.too_long"],
     add={"visits.csv": "H1,C1,2024-03-07T10:00,phone,false," + "字" * 4097 + "\n"},
     expect_rows={"visits": 2})

# ----- files and headers
case("050-empty-file", "visits.csv is empty", ["csv.empty"], files={"visits.csv": ""},
     expect_rows={"visits": 0})
case("051-headers-only", "visits.csv has a header and no row", ["csv.no_rows"],
     files={"visits.csv": VISITS.splitlines()[0] + "\n"}, expect_rows={"visits": 0})
case("052-missing-column", "visits.csv has no `mode` column: no row can be read",
     ["csv.missing_column"],
     files={"visits.csv": "household_id,cadre_id,at,signed\nH1,C1,2024-03-05T08:07,true\n"},
     expect_rows={"visits": 0})
case("053-duplicate-column", "visits.csv names `note` twice", ["csv.duplicate_column"],
     files={"visits.csv": "household_id,cadre_id,at,mode,note,note\nH1,C1,2024-03-05T08:07,phone,a,b\n"},
     expect_rows={"visits": 0})
case("054-unknown-column", "an unknown column is a warning and the rows are read",
     ["csv.unknown_column"],
     files={"cadres.csv": "cadre_id,name,职务\nC1,赵某某,书记\nC2,钱某,\n"}, expect_rows={"cadres": 2})
case("055-missing-households-file", "no households.csv", ["input.missing_file"],
     only=["units.csv", "cadres.csv"])
case("056-header-with-stray-quote", "a malformed header row", ["csv.syntax"],
     files={"visits.csv": 'household_id,cadre_id,at,mode,sig"ned\nH1,C1,2024-03-05T08:07,phone,true\n'},
     expect_rows={"visits": 0})
case("057-blank-lines-and-crlf", "CRLF line ends and blank lines are fine; a row of empty fields is not",
     ["field.empty"],
     files={"visits.csv": VISITS.replace("\n", "\r\n") + "\r\n\r\n,,,,,\r\n"}, expect_rows={"visits": 2})

# ----- validation of what was read
case("060-duplicate-unit-id", "unit V2 twice", ["unit.duplicate_id"],
     add={"units.csv": "V2,village,T1,西村,\n"}, expect_rows={"units": 4})
case("061-duplicate-household-id", "household H3 twice", ["household.duplicate_id"],
     add={"households.csv": "H3,V2,away,,,,,,\n"}, expect_rows={"households": 4})
case("062-duplicate-cadre-id", "cadre C2 twice", ["cadre.duplicate_id"],
     add={"cadres.csv": "C2,钱某某,,ordinary,T1\n"}, expect_rows={"cadres": 3})
case("063-household-unknown-village", "household in village V9", ["household.unknown_village"],
     add={"households.csv": "H4,V9,resident,,,,,,\n"}, expect_rows={"households": 4})
case("064-household-not-a-village", "household in the township", ["household.not_a_village"],
     add={"households.csv": "H4,T1,resident,,,,,,\n"})
case("065-visit-unknown-household", "visit to H9", ["visit.unknown_household"],
     add={"visits.csv": "H9,C1,2024-03-07T10:00,phone,false,\n"}, expect_rows={"visits": 3})
case("066-visit-unknown-cadre", "visit by C9", ["visit.unknown_cadre"],
     add={"visits.csv": "H1,C9,2024-03-07T10:00,phone,false,\n"}, expect_rows={"visits": 3})
case("067-assignment-unknown-cadre", "H4 assigned to C9", ["assignment.unknown_cadre"],
     add={"households.csv": "H4,V1,resident,,,,,,\n", "assignments.csv": "H4,C9,2024-01-01,\n"})
case("068-assignment-unknown-household", "H9 assigned to C1", ["assignment.unknown_household"],
     add={"assignments.csv": "H9,C1,2024-01-01,\n"})
case("069-unit-unknown-parent", "village under township T9", ["unit.unknown_parent"],
     add={"units.csv": "V3,village,T9,,\n"})
case("070-unit-cycle", "a village that is its own parent (and so badly nested too)",
     ["unit.cycle", "unit.bad_nesting"], add={"units.csv": "V3,village,V3,,\n"})
case("071-unit-two-cycle", "two groups each the other's parent",
     ["unit.cycle", "unit.bad_nesting"], add={"units.csv": "G1,group,G2,,\nG2,group,G1,,\n"})
case("072-bad-nesting", "a village under a village", ["unit.bad_nesting"],
     add={"units.csv": "V3,village,V1,,\n"})
case("073-overlapping-assignments", "H3 given to C1 while C2 still covers it",
     ["assignment.overlap"], add={"assignments.csv": "H3,C1,2024-06-01,\n"})
case("074-assignment-ends-before-start", "an assignment ending before it starts",
     ["assignment.bad_range"], replace={"assignments.csv": ("H3,C2,2024-01-01,", "H3,C2,2024-01-01,2023-12-31")})
case("075-visit-in-the-future", "a visit after today", ["visit.future_date"],
     add={"visits.csv": "H1,C1,2025-01-05T10:00,in_person,false,\n"})
case("076-visit-before-registration", "a visit before the household was registered",
     ["visit.before_registration"], add={"visits.csv": "H1,C1,2019-05-01T10:00,in_person,true,\n"})
case("077-future-registration", "a household registered after today",
     ["household.future_registration"], add={"households.csv": "H4,V1,resident,,,,,,2025-03-01\n"})
case("078-cadre-bad-load-bounds", "min_households above max_households", ["cadre.bad_load_bounds"],
     files={"cadres.csv": "cadre_id,name,min_households,max_households\nC1,赵某某,80,60\nC2,钱某,,\n"})
case("079-duplicate-visit", "the same visit twice (a warning)", ["visit.duplicate"],
     add={"visits.csv": "H1,C1,2024-03-05T08:07,in_person,false,\n"})
case("080-assignment-in-future", "an assignment starting after today (a warning)",
     ["assignment.future"], replace={"assignments.csv": ("H3,C2,2024-01-01,", "H3,C2,2025-02-01,")})


# ----- JSON
def ds_json(doc):
    return json.dumps(doc, ensure_ascii=False, indent=1)

GOOD = {
    "schema": "minqing/1",
    "units": [{"unit_id": "V1", "kind": "village"}],
    "households": [{"household_id": "H1", "village_id": "V1", "residency": "resident"},
                   {"household_id": "H2", "village_id": "V1", "residency": "away"}],
}
case("090-json-unknown-schema", "schema minqing/2", ["json.schema"], only=[],
     files={"dataset.json": ds_json({**GOOD, "schema": "minqing/2"})})
case("091-json-no-schema", "no schema field", ["json.schema"], only=[],
     files={"dataset.json": ds_json({k: v for k, v in GOOD.items() if k != "schema"})})
case("092-json-syntax-error", "a trailing comma", ["json.syntax"], only=[],
     files={"dataset.json": ds_json(GOOD)[:-2] + ",\n}"})
case("093-json-shape-error", "households[1].residency `abroad`", ["json.shape"], only=[],
     files={"dataset.json": ds_json(GOOD).replace('"away"', '"abroad"')})
case("094-json-bad-date", "registered_on 2023-02-29", ["json.shape"], only=[],
     files={"dataset.json": ds_json({**GOOD, "households": [
         {"household_id": "H1", "village_id": "V1", "residency": "resident", "registered_on": "2023-02-29"}]})})
case("095-json-validation", "well-formed JSON whose household names an unknown village",
     ["household.unknown_village"], only=[],
     files={"dataset.json": ds_json({**GOOD, "households": [
         {"household_id": "H1", "village_id": "V7", "residency": "resident"}]})})
case("096-json-truncated", "a document cut short", ["json.syntax"], only=[],
     files={"dataset.json": ds_json(GOOD)[:40]})

# ----- household events (events.csv)
EVENTS = "household_id,date,kind\nH1,2024-02-29,hospitalisation\nH2,2024-03-01,new_baby\n"
case("097-event-bad-date-and-empty-kind", "an event on 2023-02-29 and one with no kind: both rows reported, the good ones kept",
     ["field.bad_date", "field.empty"],
     files={"events.csv": EVENTS + "H1,2023-02-29,funeral\nH3,2024-04-01,\n"}, expect_rows={"events": 2})
case("098-event-unknown-household-and-future", "an event of a household nobody registered, and one after today",
     ["event.unknown_household", "event.future_date"],
     files={"events.csv": EVENTS + "H9,2024-04-01,wedding\nH3,2025-01-05,funeral\n"}, expect_rows={"events": 4})
case("099-event-header-only-is-fine", "an events.csv with its header only: no events, nothing to say",
     [], files={"events.csv": "household_id,date,kind\n"}, expect_rows={"events": 0})


def main():
    for entry in os.listdir(HERE):
        p = os.path.join(HERE, entry)
        if os.path.isdir(p) and entry[:3].isdigit():
            shutil.rmtree(p)
    for name, description, codes, fs, encoding, expect_rows in cases:
        d = os.path.join(HERE, name)
        os.makedirs(d)
        for fname, content in fs.items():
            data = content if isinstance(content, bytes) else content.encode("utf-8")
            with open(os.path.join(d, fname), "wb") as f:
                f.write(data)
        exp = {"encoding": encoding, "today": "2024-12-31", "codes": codes, "description": description}
        if expect_rows:
            exp["expect_rows"] = expect_rows
        with open(os.path.join(d, "expected.json"), "w", encoding="utf-8") as f:
            json.dump(exp, f, ensure_ascii=False, indent=2)
            f.write("\n")
    print(f"{len(cases)} cases")


main()
