//! `sijill import`: exports in the ACLED and UCDP GED layouts (tests/fixtures/import/)
//! imported into fresh archives, checked, built, and the built totals compared with sums
//! computed here from the CSV by the mapping of docs/import.md; re-imports, bad rows, dry
//! runs, files the import did not write, and the round trip of sijill's own
//! `data/reports.csv`.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::{Datelike, Days, Months, NaiveDate};
use serde_json::Value;

use crate::common::*;

/// A fixture export.
fn fixture(name: &str) -> PathBuf {
    Path::new(REPO).join("tests/fixtures/import").join(name)
}

/// Runs `sijill import --from <dataset> <file> --root <site> <args>`.
fn import(site: &Site, dataset: &str, file: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(["import", "--from", dataset])
        .arg(file)
        .arg("--root")
        .arg(site.root())
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run sijill import")
}

/// The rows of a CSV file as maps from column to cell.
fn rows(file: &Path) -> Vec<HashMap<String, String>> {
    let (header, rows) = read_csv_table(file);
    rows.into_iter()
        .map(|r| header.iter().cloned().zip(r).collect())
        .collect()
}

fn write_table(file: &Path, header: &[String], rows: &[Vec<String>]) {
    let mut w = csv::Writer::from_path(file).unwrap();
    w.write_record(header).unwrap();
    for r in rows {
        w.write_record(r).unwrap();
    }
    w.flush().unwrap();
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(&text[..10.min(text.len())], "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d %B %Y"))
        .unwrap_or_else(|_| panic!("a date: {text}"))
}

/// A name as its URL segment compares it (enough for the fixtures' names).
fn slug(name: &str) -> String {
    let kept: String = name
        .to_lowercase()
        .chars()
        .filter(|c| *c != '\'')
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    kept.split('-')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// The period an ACLED row's report covers (docs/import.md): the day, the week around it
/// (`time_precision` 2) or its month (3).
fn acled_period(row: &HashMap<String, String>) -> (NaiveDate, NaiveDate) {
    let d = day(&row["event_date"]);
    match row["time_precision"].as_str() {
        "2" => (d - Days::new(3), d + Days::new(3)),
        "3" => {
            let first = d.with_day(1).unwrap();
            (first, first + Months::new(1) - Days::new(1))
        }
        _ => (d, d),
    }
}

/// A count as `data/*.json` writes it, from a minimum and an optional maximum.
fn count(min: u64, max: Option<u64>) -> Value {
    serde_json::json!({"min": min, "max": max})
}

/// Adds (min, max) per key; a maximum survives while every part has one.
fn add(sums: &mut BTreeMap<String, (u64, Option<u64>)>, key: String, min: u64, max: Option<u64>) {
    let e = sums.entry(key).or_insert((0, Some(0)));
    e.0 += min;
    e.1 = e.1.zip(max).map(|(a, b)| a + b);
}

/// Checks the built totals of every date page against `expected` sums of the reports
/// whose whole period lies in it (a page without reports of that field gives no count).
fn assert_date_totals(
    site: &Site,
    field: &str,
    periods: &[((NaiveDate, NaiveDate), u64, Option<u64>)],
) {
    let dates = site.json("data/dates.json");
    let mut checked = 0;
    for record in dates.as_array().unwrap() {
        let key = record["date"].as_str().unwrap();
        let inside = |d: NaiveDate| d.format("%Y-%m-%d").to_string().starts_with(key);
        let mut sum = BTreeMap::new();
        for ((start, end), min, max) in periods {
            if inside(*start) && inside(*end) {
                add(&mut sum, String::new(), *min, *max);
            }
        }
        let shown = &record["totals"][field];
        match sum.get("") {
            Some((min, max)) => assert_eq!(shown, &count(*min, *max), "{field} on {key}"),
            None => assert!(shown.is_null(), "{key} counts no report, shows {shown}"),
        }
        checked += 1;
    }
    assert!(checked > 20, "years, months and days were compared");
}

/// Imports `file` into a fresh archive, checks it and builds it.
fn imported_site(name: &str, dataset: &str, file: &Path) -> (Site, Output) {
    let site = Site::new(name);
    let out = import(&site, dataset, file, &[]);
    assert_success(&out);
    let check = site.check(&[]);
    assert_success(&check);
    assert!(
        stderr(&check).contains("0 errors, 0 warnings"),
        "{}",
        stderr(&check)
    );
    site.build_ok(&[]);
    (site, out)
}

#[test]
fn acled_totals_are_the_sums_of_the_csv() {
    let file = fixture("acled.csv");
    let (site, out) = imported_site("import-acled", "acled", &file);
    let rows = rows(&file);
    assert!(stderr(&out).contains("30 added, 0 changed, 0 unchanged, 0 skipped"));

    // Every event is a report, its `fatalities` a minimum ("at least").
    let reports = site.json("data/reports.json");
    assert_eq!(reports.as_array().unwrap().len(), rows.len());
    for row in &rows {
        let id = format!("acled-{}", row["event_id_cnty"].to_lowercase());
        let r = record(&reports, "id", &id);
        let fatalities: u64 = row["fatalities"].parse().unwrap();
        assert_eq!(r["casualties"]["killed"], at_least(fatalities), "{id}");
        let (start, end) = acled_period(row);
        assert_eq!(r["period"]["start"], start.to_string(), "{id}");
        assert_eq!(r["period"]["end"], end.to_string(), "{id}");
    }

    // Places: each country and each province adds up its rows (spellings that make the
    // same URL, `Deir ez-Zor` and `Deir-ez-Zor`, are one place).
    let mut by_place: BTreeMap<String, (u64, Option<u64>)> = BTreeMap::new();
    let mut spelt: BTreeMap<String, String> = BTreeMap::new();
    for row in &rows {
        let fatalities: u64 = row["fatalities"].parse().unwrap();
        let country = &row["country"];
        let province = format!("{country}/{}", row["admin1"]);
        for path in [country.clone(), province] {
            let key = path.split('/').map(slug).collect::<Vec<_>>().join("/");
            spelt.entry(key.clone()).or_insert(path);
            add(&mut by_place, key, fatalities, None);
        }
    }
    let places = site.json("data/places.json");
    for (key, (min, _)) in &by_place {
        let place = record(&places, "path", &spelt[key]);
        assert_eq!(place["totals"]["killed"], at_least(*min), "{key}");
    }
    let deir_ez_zor = rows
        .iter()
        .filter(|r| slug(&r["admin1"]) == "deir-ez-zor")
        .count();
    assert_eq!(deir_ez_zor, 3);
    assert_eq!(
        record(&places, "path", "Syria/Deir ez-Zor")["reports"],
        deir_ez_zor,
        "the two spellings of Deir ez-Zor are one place"
    );

    // Dates: a report counts in a day, month or year when its whole period lies inside.
    let periods: Vec<_> = rows
        .iter()
        .map(|r| (acled_period(r), r["fatalities"].parse().unwrap(), None))
        .collect();
    assert_date_totals(&site, "killed", &periods);

    // The CSV export gives the same figures.
    let csv_rows = self::rows(&site.out().join("data/reports.csv"));
    let total: u64 = csv_rows
        .iter()
        .map(|r| r["killed_min"].parse::<u64>().unwrap())
        .sum();
    let expected: u64 = rows
        .iter()
        .map(|r| r["fatalities"].parse::<u64>().unwrap())
        .sum();
    assert_eq!(total, expected);

    // Coordinates went to the gazetteer with the place they locate.
    let geo = site.json("data/reports.geojson");
    let point = geo["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["id"] == "acled-syr1001")
        .expect("a point for SYR1001");
    assert_eq!(
        point["geometry"]["coordinates"],
        serde_json::json!([36.6744, 35.6474])
    );

    // Notes are text: markup in them is shown, never run, and cannot add front matter.
    let page = site.page("reports/acled-syr1009/");
    assert!(!page.contains("<script>alert"), "no script from the notes");
    assert!(
        page.contains("&lt;script&gt;alert"),
        "the notes are shown as text"
    );
    assert!(!page.contains("href=\"javascript"));
    assert!(page.contains("title: injected"));
    assert_eq!(
        record(&reports, "id", "acled-syr1009")["title"],
        "Armed clash in Hajin: at least 9 killed"
    );
    // Arabic names and notes are kept as written.
    let arabic = record(&reports, "id", "acled-syr1007");
    assert_eq!(
        arabic["locations"][0]["path"],
        "سوريا/إدلب/أريحا/أريحا/أريحا"
    );
    assert!(
        site.page("reports/acled-syr1007/")
            .contains("ما أدى لمقتل ٤ مدنيين")
    );
}

#[test]
fn ucdp_totals_are_the_sums_of_the_csv() {
    let file = fixture("ucdp.csv");
    let (site, out) = imported_site("import-ucdp", "ucdp", &file);
    let rows = rows(&file);
    // The two rows whose estimates are out of order are imported, with a warning each.
    let err = stderr(&out);
    for line in [10, 11] {
        assert!(
            err.contains(&format!(
                "ucdp.csv:{line}:1: warning[import-inconsistent-estimates]"
            )),
            "{err}"
        );
    }
    assert!(err.contains("30 added, 0 changed, 0 unchanged, 0 skipped"));

    // Deaths: the range from min(low, best) to max(high, best); civilians (a part of the
    // best estimate) from min(civilians, that minimum) to civilians.
    let killed = |r: &HashMap<String, String>| {
        let n = |c: &str| r[c].parse::<u64>().unwrap();
        (n("low").min(n("best")), n("high").max(n("best")))
    };
    let civilians = |r: &HashMap<String, String>| {
        let civ = r["deaths_civilians"].parse::<u64>().unwrap();
        (civ.min(killed(r).0), civ)
    };
    let reports = site.json("data/reports.json");
    let mut by_country: BTreeMap<String, (u64, Option<u64>)> = BTreeMap::new();
    let mut civilians_by_country: BTreeMap<String, (u64, Option<u64>)> = BTreeMap::new();
    for row in &rows {
        let id = format!("ucdp-{}", row["id"]);
        let r = record(&reports, "id", &id);
        let (min, max) = killed(row);
        assert_eq!(r["casualties"]["killed"], count(min, Some(max)), "{id}");
        assert_eq!(r["period"]["start"], row["date_start"], "{id}");
        assert_eq!(r["period"]["end"], row["date_end"], "{id}");
        add(&mut by_country, row["country"].clone(), min, Some(max));
        let (cmin, cmax) = civilians(row);
        add(
            &mut civilians_by_country,
            row["country"].clone(),
            cmin,
            Some(cmax),
        );
    }
    let places = site.json("data/places.json");
    for (country, (min, max)) in &by_country {
        let totals = &record(&places, "path", country)["totals"];
        assert_eq!(totals["killed"], count(*min, *max), "{country}");
        let (cmin, cmax) = civilians_by_country[country];
        assert_eq!(totals["civilians"], count(cmin, cmax), "{country}");
    }
    // `where_prec` decides how far down the place goes.
    let place_of = |id: &str| record(&reports, "id", id)["locations"][0]["path"].clone();
    assert_eq!(place_of("ucdp-244006"), "Syria/Rif Dimashq governorate");
    assert_eq!(place_of("ucdp-244007"), "Syria");
    assert_eq!(place_of("ucdp-244013"), "Syria");
    assert_eq!(
        place_of("ucdp-244004"),
        "Syria/Dayr az Zawr governorate/Abu Kamal district"
    );
    assert_eq!(
        place_of("ucdp-244021"),
        "Iraq/Salah al-Din province/Baiji town"
    );

    let periods: Vec<_> = rows
        .iter()
        .map(|r| {
            let (min, max) = killed(r);
            ((day(&r["date_start"]), day(&r["date_end"])), min, Some(max))
        })
        .collect();
    assert_date_totals(&site, "killed", &periods);
}

/// Every file under `content/` with its bytes and modification time.
fn stamped(site: &Site) -> BTreeMap<String, (Vec<u8>, std::time::SystemTime)> {
    snapshot(&site.root().join("content"))
        .into_iter()
        .filter(|(k, _)| !k.ends_with('/'))
        .map(|(k, bytes)| {
            let modified = fs::metadata(site.root().join("content").join(&k))
                .unwrap()
                .modified()
                .unwrap();
            (k, (bytes, modified))
        })
        .collect()
}

#[test]
fn reimporting_an_edited_export_changes_only_the_edited_events() {
    let site = Site::new("import-again");
    let tmp = TempDir::new("import-again-csv");
    let (header, mut rows) = read_csv_table(&fixture("acled.csv"));
    let export = tmp.path().join("acled.csv");
    write_table(&export, &header, &rows);
    assert_success(&import(&site, "acled", &export, &[]));
    let before = stamped(&site);

    // Again, unchanged: nothing is written.
    let again = import(&site, "acled", &export, &[]);
    assert!(stderr(&again).contains("0 added, 0 changed, 30 unchanged, 0 skipped"));
    assert_eq!(stamped(&site), before);

    // One row's fatalities revised, one event added at a place already known.
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let edited = rows
        .iter()
        .position(|r| r[column("event_id_cnty")] == "SYR1002")
        .unwrap();
    rows[edited][column("fatalities")] = "5".into();
    let mut added = rows.last().unwrap().clone();
    added[column("event_id_cnty")] = "IRQ2011".into();
    added[column("event_date")] = "2020-03-21".into();
    rows.push(added);
    write_table(&export, &header, &rows);
    let out = import(&site, "acled", &export, &[]);
    assert_success(&out);
    assert!(
        stderr(&out).contains(
            "1 added, 1 changed, 29 unchanged, 0 skipped; 0 places and 0 vocabulary entries added"
        ),
        "{}",
        stderr(&out)
    );
    let after = stamped(&site);
    let changed: Vec<&String> = after
        .keys()
        .filter(|k| before.get(*k) != after.get(*k))
        .collect();
    assert_eq!(
        changed,
        [
            "reports/imported/acled/acled-irq2011.md",
            "reports/imported/acled/acled-syr1002.md"
        ]
    );
    assert!(
        after
            .keys()
            .all(|k| k.ends_with("irq2011.md") || before.contains_key(k))
    );
    site.build_ok(&[]);
    let r = record(&site.json("data/reports.json"), "id", "acled-syr1002").clone();
    assert_eq!(r["casualties"]["killed"], at_least(5));
}

#[test]
fn bad_rows_are_reported_at_their_lines_and_skipped_whole() {
    let site = Site::new("import-bad-rows");
    let tmp = TempDir::new("import-bad-rows-csv");
    let (header, rows) = read_csv_table(&fixture("acled.csv"));
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let with = |row: &[String], edits: &[(&str, &str)]| {
        let mut row = row.to_vec();
        for (c, v) in edits {
            row[column(c)] = (*v).to_string();
        }
        row
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&header).unwrap(); // line 1
    w.write_record(&rows[0]).unwrap(); // line 2
    // Lines 3–4: notes over two lines.
    w.write_record(with(&rows[1], &[("notes", "first line\nsecond line")]))
        .unwrap();
    // Lines 5–6 (its notes hold a line break too).
    assert!(rows[2][column("notes")].contains('\n'));
    w.write_record(with(&rows[2], &[("fatalities", "many")]))
        .unwrap();
    w.flush().unwrap();
    let mut text = String::from_utf8(w.into_inner().unwrap()).unwrap();
    text.push_str("IRQ9,2020-01-01,too,few,cells\n"); // line 7
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(with(&rows[3], &[("event_date", "2019-02-30")]))
        .unwrap(); // line 8
    w.write_record(&rows[4]).unwrap(); // line 9
    w.write_record(with(&rows[5], &[("latitude", "200")]))
        .unwrap(); // line 10
    w.write_record(with(&rows[6], &[("event_id_cnty", "SYR1001")]))
        .unwrap(); // line 11
    // Line 12: an id with a right-to-left override, which the report's source name would
    // carry: only checking the report finds it.
    w.write_record(with(&rows[7], &[("event_id_cnty", "SYR\u{202e}1008")]))
        .unwrap();
    w.flush().unwrap();
    text.push_str(&String::from_utf8(w.into_inner().unwrap()).unwrap());
    let export = tmp.path().join("bad.csv");
    fs::write(&export, text).unwrap();

    let out = import(&site, "acled", &export, &[]);
    assert_eq!(out.status.code(), Some(1), "skipped rows fail the command");
    let err = stderr(&out);
    // Each problem points at its line and at the cell at fault (the row's start when no
    // one cell is).
    let text = fs::read_to_string(&export).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    for (line, code, cell) in [
        // On the second line of its row, where the cell is.
        (6, "import-bad-number", Some("many")),
        (7, "import-row-shape", None),
        (8, "import-bad-date", Some("2019-02-30")),
        (10, "import-bad-coordinates", Some("200")),
        (11, "import-duplicate-event", None),
        (12, "bidi-control", None),
    ] {
        let prefix = format!("bad.csv:{line}:");
        let reported = err
            .lines()
            .find_map(|l| l.split_once(&prefix).map(|(_, rest)| rest))
            .unwrap_or_else(|| panic!("line {line}: {err}"));
        let (column, rest) = reported.split_once(':').unwrap();
        assert!(
            rest.starts_with(&format!(" error[{code}]: row skipped:")),
            "{reported}"
        );
        let column: usize = column.parse().unwrap();
        let at: String = lines[line - 1].chars().skip(column - 1).collect();
        match cell {
            Some(cell) => assert!(at.starts_with(cell), "line {line} column {column}: {at}"),
            None => assert_eq!(column, 1),
        }
    }
    assert!(
        err.contains("help: write `fatalities` as a number"),
        "{err}"
    );
    assert!(err.contains("its report would not pass `check`"), "{err}");
    assert!(
        err.contains("3 added, 0 changed, 0 unchanged, 6 skipped"),
        "{err}"
    );
    let folder = site.root().join("content/reports/imported/acled");
    let mut written: Vec<String> = fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    assert_eq!(
        written,
        ["acled-syr1001.md", "acled-syr1002.md", "acled-syr1005.md"]
    );
    // Nothing of a skipped row reached the gazetteer: their places are only theirs.
    let places = fs::read_to_string(site.root().join("content/places.yaml")).unwrap();
    for place in ["Hama", "Mhambal", "Diban", "سوريا", "Daraa"] {
        assert!(!places.contains(place), "{place}: {places}");
    }
    assert_success(&site.check(&[]));
}

#[test]
fn missing_columns_write_nothing() {
    let site = Site::new("import-columns");
    let before = snapshot(&site.root());
    let out = import(&site, "acled", &fixture("ucdp.csv"), &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("ucdp.csv:1: error: the header has no column `event_id_cnty`, `event_date`"),
        "{err}"
    );
    assert!(err.contains("nothing was written"));
    assert_same_tree(&before, &snapshot(&site.root()));
}

#[test]
fn a_dry_run_writes_nothing_and_says_what_it_would() {
    let site = Site::new("import-dry");
    let before = snapshot(&site.root());
    let out = import(&site, "ucdp", &fixture("ucdp.csv"), &["--dry-run"]);
    assert_success(&out);
    assert_same_tree(&before, &snapshot(&site.root()));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("add content/reports/imported/ucdp/ucdp-244001.md\n"));
    assert!(said.contains("add place Syria/Dayr az Zawr governorate\n"));
    assert!(said.contains("add perpetrators entry Government of Syria\n"));
    assert!(
        stderr(&out).contains("30 would be added"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn files_the_import_did_not_write_are_never_replaced() {
    let site = Site::new("import-foreign");
    let mine = simple_report("Written by hand", "2019-03-15", "Syria", 1);
    site.report("reports/imported/acled/acled-syr1001.md", &mine);
    let other = format!(
        "---\nid: acled-syr1002\n{}",
        simple_report("Also by hand", "2019-03-16", "Syria", 2).trim_start_matches("---\n")
    );
    site.report("reports/2019/elsewhere.md", &other);
    let out = import(&site, "acled", &fixture("acled.csv"), &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("acled.csv:2:1: error[import-foreign-file]"),
        "{err}"
    );
    assert!(
        err.contains("acled.csv:3:1: error[import-id-taken]"),
        "{err}"
    );
    assert!(
        err.contains("28 added, 0 changed, 0 unchanged, 2 skipped"),
        "{err}"
    );
    let kept = fs::read_to_string(
        site.root()
            .join("content/reports/imported/acled/acled-syr1001.md"),
    );
    assert_eq!(kept.unwrap(), mine);
    // The archive's own places were added to the new gazetteer, so it still checks.
    assert_success(&site.check(&[]));
}

#[test]
fn an_archive_keeps_its_gazetteer_and_vocabulary_as_written() {
    let site = Site::new("import-into-bundled");
    copy_tree(
        &Path::new(REPO).join("content"),
        &site.root().join("content"),
    );
    let read = |f: &str| fs::read_to_string(site.root().join("content").join(f)).unwrap();
    let (places, vocabulary) = (read("places.yaml"), read("vocabulary.yaml"));
    assert_success(&import(&site, "acled", &fixture("acled.csv"), &[]));
    let new_places = read("places.yaml");
    assert!(
        new_places.starts_with(&places),
        "the gazetteer's text is kept"
    );
    // `Syria/Idlib` was known: only what was not is appended, once.
    assert!(!new_places[places.len()..].contains("\"Syria/Idlib\"\n"));
    assert!(!new_places[places.len()..].contains("\"Syria/Idlib/Ariha\"\n"));
    assert_eq!(
        new_places.matches("\"Syria/Idlib/Ariha/Ariha\"\n").count(),
        1
    );
    // Every line of the vocabulary is still there, in order; the new names follow the
    // entries of their own list.
    let new_vocabulary = read("vocabulary.yaml");
    let mut lines = new_vocabulary.lines();
    for line in vocabulary.lines() {
        assert!(lines.any(|l| l == line), "kept: {line}");
    }
    let at = |s: &str| new_vocabulary.find(s).unwrap_or_else(|| panic!("{s}"));
    assert!(at("- name: \"Military Forces of Russia (2000-)\"") < at("incident_types:"));
    assert!(at("- name: \"Air/drone strike\"") > at("incident_types:"));
    // `Hayat Tahrir al-Sham` and `National Front for Liberation` are known names: not added.
    assert_eq!(new_vocabulary.matches("Hayat Tahrir al-Sham").count(), 1);
    assert_eq!(
        new_vocabulary
            .matches("National Front for Liberation")
            .count(),
        1
    );
    assert_success(&site.check(&[]));
}

#[test]
fn the_sijill_round_trip_reproduces_reports_csv() {
    let (_tmp, out) = bundled_site("import-round-trip");
    let original = out.join("data/reports.csv");
    let site = Site::new("import-round-trip-site");
    let imported = import(&site, "sijill", &original, &[]);
    assert_success(&imported);
    assert_success(&site.check(&[]));
    site.build_ok(&["--base-url", SUB_PATH_BASE]);
    let again = fs::read(site.out().join("data/reports.csv")).unwrap();
    let before = fs::read(&original).unwrap();
    if again != before {
        let (a, b) = (
            String::from_utf8_lossy(&before),
            String::from_utf8_lossy(&again),
        );
        let first = a.lines().zip(b.lines()).find(|(x, y)| x != y);
        panic!("reports.csv differs after the round trip: {first:?}");
    }
}

#[test]
fn a_report_naming_one_not_imported_is_skipped() {
    let (tmp, out) = bundled_site("import-chain");
    let (header, mut rows) = read_csv_table(&out.join("data/reports.csv"));
    // The first account of the al-Bukamal incident is left out: the accounts updating it
    // and the translation of the last one would name reports that do not exist.
    rows.retain(|r| r[0] != "2017-11-11-al-bukamal-camp-shelling");
    let export = tmp.path().join("reports.csv");
    write_table(&export, &header, &rows);
    let site = Site::new("import-chain-site");
    let imported = import(&site, "sijill", &export, &[]);
    assert_eq!(imported.status.code(), Some(1));
    let err = stderr(&imported);
    for (line, id) in [
        (2, "2017-11-11-al-bukamal-camp-shelling"),
        (3, "2017-11-12-al-bukamal-countryside"),
        (4, "2017-11-14-al-bukamal-toll-rises"),
    ] {
        assert!(
            err.contains(&format!(
                "reports.csv:{line}:1: error[import-unknown-report]: row skipped: `"
            )) && err.contains(&format!("names `{id}`")),
            "{line}: {err}"
        );
    }
    assert!(err.contains(&format!(
        "{} added, 0 changed, 0 unchanged, 3 skipped",
        rows.len() - 3
    )));
    assert_success(&site.check(&[]));
}
