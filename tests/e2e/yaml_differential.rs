//! The fast YAML reader answers exactly as serde_yaml or not at all, and aliases cannot
//! expand a small report into a huge one.
//!
//! The differential part generates documents from a seeded PRNG: fragments of real front
//! matter (the format's keys, nested mappings, block and flow sequences) written with an
//! adversarial alphabet (YAML's other line breaks, control characters, non-characters, BOM,
//! tabs, CR, quotes and indicators, non-ASCII letters, keys around libyaml's 1,024-character
//! limit), and checks each with `compare_readers` (the check the fuzz target also runs).
//! The CLI part checks what a reader of the archive would see.

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::common::*;
use sijill::content::frontmatter;
use sijill::content::yaml::differential::{Comparison, compare_readers};

// ---------------------------------------------------------------------------------------
// Generated documents.
// ---------------------------------------------------------------------------------------

/// Documents generated per run: about 5 s in a debug `cargo test` on one core. Before the
/// fast reader declined them, it disagreed with serde_yaml on 811 of these: 209 with NEL,
/// LS or PS, 468 with characters outside YAML's printable set, 134 with keys over 1,024.
const GENERATED_DOCUMENTS: usize = 50_000;

/// SplitMix64: deterministic, and enough to spread the choices.
struct Rng {
    state: u64,
    /// The document being written takes only the format's keys and ordinary values.
    ordinary: bool,
}

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng {
            state: seed,
            ordinary: false,
        }
    }

    fn next(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn percent(&mut self, p: usize) -> bool {
        self.below(100) < p
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Characters on which YAML readers are known to part ways: YAML's line breaks besides
/// LF (NEL, LS, PS, lone CR), characters outside its printable set (C0, DEL, C1,
/// U+FFFE/U+FFFF), BOM and tab.
const HOSTILE: &[&str] = &[
    "\u{85}", "\u{2028}", "\u{2029}", "\r", "\r\n", "\t", "\u{feff}", "\u{0}", "\u{1}", "\u{7}",
    "\u{8}", "\u{b}", "\u{c}", "\u{1b}", "\u{1f}", "\u{7f}", "\u{80}", "\u{92}", "\u{9f}",
    "\u{fffe}", "\u{ffff}",
];

/// YAML's indicators and quoting, alone and in the pairs that change their meaning.
const PUNCTUATION: &[&str] = &[
    "'", "\"", "''", "\\", "#", " #", ":", ": ", "-", "- ", "[", "]", "{", "}", ",", "&", "*", "!",
    "|", ">", "%", "@", "`", "?", "~", " ", "  ", "/", ".", "+", "(", ")",
];

/// Letters and digits, ASCII and not, and printable characters next to the hostile ones.
const LETTERS: &[&str] = &[
    "a", "Z", "k", "5", "0", "1", "دير", "إدلب", "é", "ß", "–", "’", "…", "\u{a0}", "\u{fffd}",
    "\u{e000}", "😀", "中", "\u{2027}", "\u{202a}",
];

/// Values as real front matter writes them.
const VALUES: &[&str] = &[
    "Syria/Idlib/Saraqib",
    "Shelling of the market",
    "Hay'at Tahrir al-Sham",
    "\"Shelling: 5 killed\"",
    "'the ''old'' market'",
    "5",
    "0",
    "-3",
    "2024-03-13",
    "true",
    "~",
    "",
    "null",
    "yes",
    "دير الزور",
    "provisional",
    "https://example.org/a?b=c#d",
];

/// Values on the borders of YAML's types and of the fast reader's subset.
const BORDER_VALUES: &[&str] = &[
    "1.5",
    "012",
    "0x1f",
    "12:30",
    "-0",
    "+1",
    "1e3",
    ".inf",
    "2024-3-1",
    "Null_x",
    "a: b",
    "a #b",
    "C#",
    "x:",
    "-x",
    "[a, b]",
    "{min: 1, max: 20}",
];

/// The format's keys (top level, `period`, `source`, locations and counts).
const KEYS: &[&str] = &[
    "title",
    "date",
    "period",
    "start",
    "end",
    "id",
    "kind",
    "status",
    "lang",
    "source",
    "name",
    "url",
    "archive_url",
    "locations",
    "place",
    "note",
    "casualties",
    "killed",
    "injured",
    "children",
    "women",
    "men",
    "min",
    "max",
    "raw",
    "perpetrators",
    "incident_types",
    "tags",
    "draft",
];

/// A piece of text from the adversarial alphabet.
fn atom(rng: &mut Rng) -> &'static str {
    match rng.below(10) {
        0..=3 => rng.pick(HOSTILE),
        4..=6 => rng.pick(PUNCTUATION),
        _ => rng.pick(LETTERS),
    }
}

/// `text` with `atom`s inserted at random character boundaries.
fn insert_atoms(rng: &mut Rng, text: &str, count: usize) -> String {
    let mut text = text.to_string();
    for _ in 0..count {
        let boundaries: Vec<usize> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        let at = boundaries[rng.below(boundaries.len())];
        text.insert_str(at, atom(rng));
    }
    text
}

fn scalar(rng: &mut Rng) -> String {
    if rng.ordinary {
        return rng.pick(VALUES).to_string();
    }
    match rng.below(10) {
        0..=2 => rng.pick(VALUES).to_string(),
        3..=4 => rng.pick(BORDER_VALUES).to_string(),
        5..=7 => {
            let value = rng.pick(VALUES);
            let count = 1 + rng.below(2);
            insert_atoms(rng, value, count)
        }
        8 => (0..1 + rng.below(8)).map(|_| atom(rng)).collect(),
        _ => {
            let quote = rng.pick(&["\"", "'"]);
            let inner: String = (0..rng.below(6)).map(|_| atom(rng)).collect();
            format!("{quote}{inner}{quote}")
        }
    }
}

fn key(rng: &mut Rng) -> String {
    if rng.ordinary {
        return rng.pick(KEYS).to_string();
    }
    match rng.below(20) {
        0..=12 => rng.pick(KEYS).to_string(),
        13..=14 => rng
            .pick(&["a_b", "null", "True", "x1", "1x", "k-y", "Title", "ok"])
            .to_string(),
        // libyaml refuses implicit keys longer than 1,024 characters.
        15..=16 => format!("k{}", "y".repeat(1019 + rng.below(10))),
        _ => {
            let key = rng.pick(KEYS);
            insert_atoms(rng, key, 1)
        }
    }
}

/// How lines end and how far nested lines are indented: usually as real files write them.
struct Layout {
    newline: &'static str,
    indent: &'static str,
}

impl Layout {
    fn new(rng: &mut Rng) -> Layout {
        if rng.ordinary {
            let newline = rng.pick(&["\n", "\r\n"]);
            return Layout {
                newline,
                indent: "  ",
            };
        }
        Layout {
            newline: match rng.below(20) {
                0..=16 => "\n",
                17 => "\r\n",
                _ => rng.pick(&["\u{85}", "\u{2028}", "\u{2029}", "\r"]),
            },
            indent: match rng.below(10) {
                0..=7 => "  ",
                _ => rng.pick(&[" ", "    ", "\t", " \t"]),
            },
        }
    }

    /// Mostly the document's own line end; now and then another one.
    fn line_end(&self, rng: &mut Rng) -> &'static str {
        if rng.ordinary || rng.percent(97) {
            self.newline
        } else {
            rng.pick(&["\n", "\r\n", "\u{85}", "\u{2028}", "\u{2029}"])
        }
    }
}

/// A value inside a flow collection: a scalar or, less often, a nested collection.
fn flow_value(rng: &mut Rng, depth: usize) -> String {
    match rng.below(10) {
        0 if depth < 3 => flow_sequence(rng, depth + 1),
        1 if depth < 3 => flow_mapping(rng, depth + 1),
        _ => scalar(rng),
    }
}

fn flow_sequence(rng: &mut Rng, depth: usize) -> String {
    let items: Vec<String> = (0..rng.below(4)).map(|_| flow_value(rng, depth)).collect();
    format!("[{}]", items.join(rng.pick(&[", ", ",", " , "])))
}

fn flow_mapping(rng: &mut Rng, depth: usize) -> String {
    let entries: Vec<String> = (0..rng.below(4))
        .map(|_| format!("{}: {}", key(rng), flow_value(rng, depth)))
        .collect();
    format!("{{{}}}", entries.join(", "))
}

/// Entries of a block mapping at `indent`, nested up to three levels.
fn mapping(rng: &mut Rng, layout: &Layout, indent: &str, depth: usize, out: &mut String) {
    let inner = format!("{indent}{}", layout.indent);
    let mut keys = Vec::new();
    for _ in 0..1 + rng.below(if depth == 0 { 8 } else { 4 }) {
        let key = key(rng);
        // Ordinary documents give each key once (a repeated key is left to serde_yaml).
        if rng.ordinary && keys.contains(&key) {
            continue;
        }
        keys.push(key.clone());
        match rng.below(if rng.ordinary { 10 } else { 12 }) {
            0..=3 => write!(out, "{indent}{key}: {}", scalar(rng)),
            4 => write!(out, "{indent}{key}: {}", flow_sequence(rng, 0)),
            5 => write!(out, "{indent}{key}: {}", flow_mapping(rng, 0)),
            6 if depth < 3 => {
                write!(out, "{indent}{key}:{}", layout.line_end(rng)).unwrap();
                mapping(rng, layout, &inner, depth + 1, out);
                continue;
            }
            7 | 8 => {
                // `key:` then `- item` lines, indented or not (both are YAML).
                let items_indent = if rng.percent(50) { &inner } else { indent };
                write!(out, "{indent}{key}:{}", layout.line_end(rng)).unwrap();
                for _ in 0..1 + rng.below(3) {
                    if depth < 3 && rng.percent(40) {
                        // `- place: ...` starting a mapping whose keys line up after `- `.
                        let mut item = String::new();
                        mapping(
                            rng,
                            layout,
                            &format!("{items_indent}  "),
                            depth + 1,
                            &mut item,
                        );
                        out.push_str(items_indent);
                        out.push_str("- ");
                        out.push_str(item.trim_start_matches(' '));
                    } else {
                        let item = scalar(rng);
                        write!(out, "{items_indent}- {item}{}", layout.line_end(rng)).unwrap();
                    }
                }
                continue;
            }
            9 => write!(out, "{indent}# {}", scalar(rng)),
            10 => write!(out, "{indent}{key}: {} # {}", scalar(rng), scalar(rng)),
            _ => write!(out, "{indent}{key}:"),
        }
        .unwrap();
        out.push_str(layout.line_end(rng));
    }
}

/// One generated front matter; now and then with a few atoms dropped anywhere into it. A
/// third are written with the format's keys and ordinary values only, so that many stay
/// inside the fast reader's subset.
fn document(rng: &mut Rng) -> String {
    rng.ordinary = rng.percent(33);
    let layout = Layout::new(rng);
    let mut text = String::new();
    mapping(rng, &layout, "", 0, &mut text);
    if !rng.ordinary && rng.percent(25) {
        let count = 1 + rng.below(2);
        text = insert_atoms(rng, &text, count);
    }
    text
}

/// Which kind of text a disagreement is about, for the failure message.
fn family(text: &str) -> &'static str {
    let long_key = text.split(['\n', '{', ',', '-']).any(|line| {
        let key = line.trim_start().split(':').next().unwrap_or("");
        key.chars().count() > 1024
    });
    if text.contains(['\u{85}', '\u{2028}', '\u{2029}']) {
        "NEL, LS or PS"
    } else if text.chars().any(|c| {
        !matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
    }) {
        "characters outside YAML's printable set"
    } else if long_key {
        "a key over 1,024 characters"
    } else {
        "none of the known families"
    }
}

/// `text` with long runs of one character shortened, to keep failure messages readable.
fn abbreviate(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let mut run = 1;
        while chars.peek() == Some(&c) {
            chars.next();
            run += 1;
        }
        if run > 8 {
            write!(out, "{c}[×{run}]").unwrap();
        } else {
            out.extend(std::iter::repeat_n(c, run));
        }
    }
    out
}

/// Checks every document; panics listing the disagreements. Returns how many the fast
/// reader took.
fn assert_readers_agree<'a>(what: &str, documents: impl IntoIterator<Item = &'a str>) -> usize {
    let mut taken = 0;
    let mut seen = 0;
    let mut disagreements = Vec::new();
    for text in documents {
        seen += 1;
        match compare_readers(text) {
            Comparison::Declined => {}
            Comparison::Agree => taken += 1,
            Comparison::Disagree(why) => disagreements.push((family(text), text, why)),
        }
    }
    if !disagreements.is_empty() {
        let mut families: Vec<&str> = disagreements.iter().map(|d| d.0).collect();
        families.sort_unstable();
        families.dedup();
        let mut report = String::new();
        for f in families {
            let of_family: Vec<_> = disagreements.iter().filter(|d| d.0 == f).collect();
            writeln!(report, "{} with {f}, e.g.:", of_family.len()).unwrap();
            for (_, text, why) in of_family.iter().take(3) {
                let (text, why) = (abbreviate(&format!("{text:?}")), abbreviate(why));
                writeln!(report, "  {text}\n      {why}").unwrap();
            }
        }
        panic!(
            "{what}: the fast reader and serde_yaml disagree on {} of {seen} documents:\n{report}",
            disagreements.len()
        );
    }
    eprintln!("{what}: {seen} documents, {taken} taken by the fast reader, all read alike");
    taken
}

#[test]
fn generated_documents_are_read_alike_by_both_readers() {
    let mut rng = Rng::new(20_261_204);
    let documents: Vec<String> = (0..GENERATED_DOCUMENTS)
        .map(|_| document(&mut rng))
        .collect();
    let taken = assert_readers_agree("generated", documents.iter().map(String::as_str));
    // Enough documents stay inside the fast reader's subset for the check to mean something.
    assert!(
        taken >= GENERATED_DOCUMENTS / 5,
        "only {taken} of {GENERATED_DOCUMENTS} taken"
    );
}

/// The front matter of every `.md` file under `root`.
fn front_matters(root: &Path) -> Vec<String> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| {
            let text = std::fs::read_to_string(e.path()).unwrap();
            frontmatter::split(&text).unwrap().yaml.to_string()
        })
        .collect()
}

#[test]
fn real_front_matter_is_read_alike_by_both_readers() {
    let bundled = front_matters(&Path::new(REPO).join("content"));
    let taken = assert_readers_agree("content/", bundled.iter().map(String::as_str));
    assert_eq!(
        taken,
        bundled.len(),
        "every bundled report is in the subset"
    );

    // A sample of the generated corpus (`scripts/gen_corpus.py`, what the benchmark builds).
    let generator = Path::new(REPO).join("scripts/gen_corpus.py");
    let out = TempDir::new("yaml-corpus");
    let status = Command::new("python3")
        .arg(&generator)
        .args(["--n", "500", "--seed", "3", "--format", "native", "--out"])
        .arg(out.path())
        .stdout(Stdio::null())
        .status()
        .expect("run the corpus generator");
    assert!(status.success());
    let corpus = front_matters(out.path());
    assert_eq!(corpus.len(), 500);
    let taken = assert_readers_agree("corpus", corpus.iter().map(String::as_str));
    assert!(taken >= 450, "only {taken} of 500 corpus reports taken");
}

// ---------------------------------------------------------------------------------------
// Through the CLI: what the archive publishes.
// ---------------------------------------------------------------------------------------

#[test]
fn yaml_line_separators_end_lines_as_in_serde_yaml() {
    let site = Site::new("yaml-line-separators");
    for (id, br) in [("ls", "\u{2028}"), ("ps", "\u{2029}"), ("nel", "\u{85}")] {
        site.report(
            &format!("reports/{id}.md"),
            &format!(
                "---\ntitle: Shelling{br}casualties:{br}  killed:{br}    5\ndate: 2019-03-14\nid: {id}\nlocations:\n  - Syria/Idlib\nperpetrators: [Group A{br}]\n---\nBody.\n"
            ),
        );
    }
    site.build_ok(&[]);
    let reports = site.json("data/reports.json");
    for id in ["ls", "ps", "nel"] {
        let report = record(&reports, "id", id);
        assert_eq!(report["title"], "Shelling", "{id}: {report}");
        assert_eq!(report["casualties"]["killed"], exact(5), "{id}: {report}");
    }
}

#[test]
fn characters_outside_yaml_are_refused_as_serde_yaml_refuses_them() {
    let site = Site::new("yaml-control-characters");
    let characters = [
        "\u{92}", "\u{1b}", "\u{7f}", "\u{ffff}", "\u{fffe}", "\u{80}",
    ];
    for (i, c) in characters.iter().enumerate() {
        site.report(
            &format!("reports/c{i}.md"),
            &format!(
                "---\ntitle: Attack\ndate: 2019-03-14\nlocations: [Syria]\nperpetrators: [Hay{c}at Tahrir al-Sham]\n---\nBody.\n"
            ),
        );
    }
    let o = site.check(&["--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let problems: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let refused: Vec<&serde_json::Value> = problems
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["code"] == "yaml")
        .collect();
    assert_eq!(refused.len(), characters.len(), "{problems}");
    for p in refused {
        let message = p["message"].as_str().unwrap();
        assert!(
            message.contains("control characters are not allowed"),
            "{p}"
        );
        assert_eq!(p["line"], 5, "{p}");
    }
}

#[test]
fn keys_longer_than_libyaml_takes_are_refused() {
    let site = Site::new("yaml-long-keys");
    let key = |n: usize| format!("k{}", "y".repeat(n - 1));
    site.report(
        "reports/long.md",
        &format!(
            "---\ntitle: Attack\ndate: 2019-03-14\nlocations: [Syria]\n{}: 1\n---\nBody.\n",
            key(1025)
        ),
    );
    let o = site.check(&["--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let problems: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let p = &problems[0];
    assert_eq!(p["code"], "yaml", "{problems}");
    assert!(
        p["message"]
            .as_str()
            .unwrap()
            .contains("could not find expected ':'"),
        "{p}"
    );
    assert_eq!(problems.as_array().unwrap().len(), 1, "{problems}");
}

// ---------------------------------------------------------------------------------------
// Aliases.
// ---------------------------------------------------------------------------------------

/// `sijill check --format json` on `site` under a 2 GiB address-space limit, killed after
/// 120 s: exit code (None when killed by a signal), stdout, and peak resident memory (KiB).
fn check_bounded(site: &Site) -> (Option<i32>, String, i64) {
    let mut command = Command::new(BIN);
    command
        .args(["check", "--format", "json", "--root"])
        .arg(site.root());
    let run = bounded::run(command, bounded::MEMORY_LIMIT);
    let stdout = String::from_utf8(run.output.stdout).unwrap();
    (run.output.status.code(), stdout, run.peak_kib)
}

#[test]
fn aliases_expanding_past_the_limit_are_refused_at_the_alias() {
    // A 100 KB title, anchored and aliased in 5,000 location notes: 500 MB once expanded.
    let site = Site::new("yaml-alias-expansion");
    let mut text = format!(
        "---\ntitle: &a \"{}\"\ndate: 2019-03-14\nlocations:\n",
        "x".repeat(100 * 1024)
    );
    for i in 0..5000 {
        writeln!(text, "  - {{place: Syria/P{i}, note: *a}}").unwrap();
    }
    text.push_str("---\nBody.\n");
    site.report("reports/aliases.md", &text);
    // The same in flow style less indented than its key: libyaml (serde_yaml's parser)
    // reads it, the event parser that measures aliases does not.
    let title = format!("\"{}\"", "x".repeat(100 * 1024));
    let notes: Vec<String> = (0..5000)
        .map(|i| format!("{{place: Syria/P{i}, note: *a}}"))
        .collect();
    site.report(
        "reports/aliases-flow.md",
        &format!(
            "---\ntitle: &a {title}\ndate: 2019-03-14\nlocations: [\n{}]\n---\nBody.\n",
            notes.join(", ")
        ),
    );
    // Aliases within the limit still read as serde_yaml reads them.
    site.report(
        "reports/few.md",
        "---\ntitle: Shelling\ndate: 2019-03-14\ncasualties: {killed: 2}\nlocations:\n  - {place: Syria/Idlib, note: &n \"the old market\"}\n  - {place: Syria/Hama, note: *n}\n---\nBody.\n",
    );

    let (code, stdout, peak_kib) = check_bounded(&site);
    assert_eq!(code, Some(1), "{stdout}");
    let problems: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let problems = problems.as_array().unwrap();
    assert_eq!(problems.len(), 2, "{problems:?}");
    let p = &problems[1];
    assert_eq!(p["code"], "yaml", "{p}");
    assert!(p["file"].as_str().unwrap().ends_with("/aliases.md"), "{p}");
    assert_eq!(
        p["message"],
        "aliases expand the YAML past 4 MiB, the limit"
    );
    // The alias that goes past the limit: with the title, the 41st copy of 100 KiB, so the
    // 40th note, on line 44; `*a` is at column 30 of `  - {place: Syria/P39, note: *a}`.
    assert_eq!((&p["line"], &p["column"]), (&44.into(), &30.into()), "{p}");
    assert!(p["help"].as_str().is_some_and(|h| !h.is_empty()), "{p}");
    let p = &problems[0];
    assert!(
        p["file"].as_str().unwrap().ends_with("/aliases-flow.md"),
        "{p}"
    );
    assert_eq!(
        p["message"],
        "aliases could expand the YAML past 4 MiB, the limit"
    );
    assert!(peak_kib < 300 * 1024, "peak memory {peak_kib} KiB");
    eprintln!("peak memory {peak_kib} KiB");
}
