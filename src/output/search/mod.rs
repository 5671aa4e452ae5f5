//! The search index: static files under `search/` that `search.js` reads in the browser.
//! No server and no third party; a query downloads only the shards of its words, the
//! posting lists of its filters and the few document chunks it shows.
//!
//! Layout (all posting lists are of document numbers, documents being the published
//! reports in chronological order, oldest first):
//! - `search/meta.json`: `{version, docs, shards, prefix, chunk}`;
//! - `search/filters.json`: the values of the place, type and perpetrator filters, and the
//!   months that have reports;
//! - `search/w/<n>.json`: word shard `n` (FNV-1a hash of the word's first three characters
//!   modulo `shards`): `{word: postings}`;
//! - `search/p/<place slug path>.txt`, `search/t/<slug>.txt`, `search/x/<slug>.txt`,
//!   `search/m/YYYY-MM.txt`: postings of a place (at any depth), an incident type, a
//!   perpetrator, a month touched by the period;
//! - `search/d/<k>.json`: documents `k*chunk ..`, each `[id, title, period, places, dates]`:
//!   `period` as pages show it, `places` the canonical paths, `dates` the period in ISO 8601
//!   (`YYYY-MM-DD`, or `YYYY-MM-DD/YYYY-MM-DD` when it spans several days) for the `day`
//!   filter;
//! - `search/rows.json`, `search/o/<k>.txt`: where each document's row of `data/reports.csv`
//!   is, for the CSV of any result ([`rows`]).
//!
//! A word shard holds every word that begins with the same three characters
//! ([`words::shard_key`]), so a query word of three characters or more finds the words it
//! begins (`bukam` finds `bukamal`) in the one shard it fetches anyway.
//!
//! Postings are encoded as text: `d` then the gaps between numbers as base-64 varints
//! (5 payload bits a character, the 6th bit says "more"), or, when denser, `b` then a
//! base-64 bitmap.

mod names;
mod rows;
mod words;

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use names::OtherNames;
pub use rows::write_row_index;
use words::{PREFIX_CHARS, WordTable, each_word, shard_key};

use super::{OutputError, Recording};
use crate::archive::{Archive, TaxonomyKind};
use crate::content::Report;
use crate::content::report::iso_date;
use crate::render::i18n::Ui;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
/// Documents per chunk of `search/d/`.
pub const CHUNK: usize = 50;
/// Average size of a word shard, in bytes. A shard holds whole three-letter keys, and a
/// common key (`str`, `res`) weighs 100 KB at 100,000 reports: with small shards it seldom
/// shares its shard with another, so a query of three common words stays under 200 KB
/// (docs/design.md, "Search size").
const SHARD_BYTES: usize = 8 * 1024;

/// 32-bit FNV-1a of the UTF-8 bytes (the same in `search.js`).
pub fn fnv1a(word: &str) -> u32 {
    word.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// Encodes a sorted posting list.
pub fn encode(postings: &[u32], docs: usize) -> String {
    if postings.len() * 8 > docs && docs > 0 {
        let mut bytes = vec![0u8; docs.div_ceil(8)];
        for &p in postings {
            bytes[p as usize / 8] |= 1 << (p % 8);
        }
        let mut out = String::with_capacity(1 + bytes.len() * 4 / 3 + 4);
        out.push('b');
        for chunk in bytes.chunks(3) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
            for i in 0..=chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            }
        }
        out
    } else {
        let mut out = String::with_capacity(1 + postings.len() * 2);
        out.push('d');
        let mut last = 0u32;
        for (i, &p) in postings.iter().enumerate() {
            let gap = if i == 0 { p } else { p - last - 1 };
            last = p;
            push_varint(&mut out, u64::from(gap));
        }
        out
    }
}

/// Appends `n` as a base-64 varint: 5 bits a character, lowest first, the 6th bit saying
/// that more follow.
fn push_varint(out: &mut String, mut n: u64) {
    while n >= 32 {
        out.push(ALPHABET[(32 | (n & 31)) as usize] as char);
        n >>= 5;
    }
    out.push(ALPHABET[n as usize] as char);
}

#[derive(Serialize)]
struct Meta {
    version: u32,
    docs: usize,
    shards: usize,
    /// Query words of this many characters or more find the words they begin.
    prefix: usize,
    chunk: usize,
}

#[derive(Serialize)]
struct Filters {
    /// `[path, slug path]` of every place.
    places: Vec<(String, String)>,
    /// `[name, slug]`
    types: Vec<(String, String)>,
    /// `[name, slug]`
    perpetrators: Vec<(String, String)>,
    /// `[name, slug]`
    tags: Vec<(String, String)>,
    /// `YYYY-MM` of every month with reports, in order.
    months: Vec<String>,
}

/// A document of `search/d/`: `[id, title, period, places, dates]`: what a result shows,
/// and the period for the `day` filter.
struct Doc<'a> {
    report: &'a Report,
    period: String,
}

impl Serialize for Doc<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let r = self.report;
        let (start, end) = r.period;
        let dates = if start == end {
            iso_date(start)
        } else {
            format!("{start}/{end}")
        };
        let mut seq = s.serialize_seq(Some(5))?;
        seq.serialize_element(&r.id)?;
        seq.serialize_element(&r.title)?;
        seq.serialize_element(&self.period)?;
        seq.serialize_element(
            &r.locations
                .iter()
                .map(|l| l.path.as_str())
                .collect::<Vec<_>>(),
        )?;
        seq.serialize_element(&dates)?;
        seq.end()
    }
}

/// Adds the words of report `index` (document `doc`) to `table`: title, body, places, incident
/// types, perpetrators and tags, and the other names of its places and terms
/// ([`OtherNames`]). The body is read as written: Markdown punctuation separates words like
/// any other.
fn add_report(
    table: &mut WordTable,
    archive: &Archive,
    names: &OtherNames,
    index: usize,
    doc: u32,
) {
    let r = &archive.reports[index];
    let mut extra = String::with_capacity(256);
    for l in &r.locations {
        extra.push_str(&l.path);
        extra.push(' ');
    }
    for list in [&r.incident_types, &r.perpetrators, &r.tags] {
        for v in list {
            extra.push_str(v);
            extra.push(' ');
        }
    }
    names.of_report(r, &mut extra);
    let mut scratch = String::new();
    for text in [r.title.as_str(), r.body(), &extra] {
        each_word(text, &mut scratch, |w| table.add(w, doc));
    }
}

/// Writes the whole index. Returns the number of files written.
pub fn write_index(archive: &Archive, ui: Ui, writer: &Recording) -> Result<usize, OutputError> {
    // Chronological order: document n is `order[n]` (the archive is newest first).
    let order: Vec<usize> = (0..archive.reports.len()).rev().collect();
    let docs = order.len();
    // Word → documents, built in parallel over ranges of documents and merged in order.
    // A few long ranges: each holds a map of every word it meets, so many short ones
    // would hold the vocabulary many times over (and merge it as often).
    let range = docs.div_ceil(2 * rayon::current_num_threads()).max(512);
    let names = OtherNames::of(archive);
    let postings: WordTable = (0..docs)
        .into_par_iter()
        .with_min_len(range)
        .fold(WordTable::default, |mut table, doc| {
            add_report(&mut table, archive, &names, order[doc], doc as u32);
            table
        })
        .reduce(WordTable::default, |mut left, right| {
            left.append(right);
            left
        });
    // Each fold covers a range of documents in order and the reduction keeps ranges in
    // order, so every list is sorted already.
    let words: Vec<(&str, &[u32])> = postings.iter().collect();
    let encoded: Vec<(&str, String)> = words
        .into_par_iter()
        .map(|(w, p)| {
            debug_assert!(p.is_sorted());
            (w, encode(p, docs))
        })
        .collect();
    let total: usize = encoded.iter().map(|(w, p)| w.len() + p.len() + 6).sum();
    let shards = (total / SHARD_BYTES).max(1).next_power_of_two();
    let mut by_shard: Vec<BTreeMap<&str, &str>> = vec![BTreeMap::new(); shards];
    for (w, p) in &encoded {
        by_shard[fnv1a(shard_key(w)) as usize % shards].insert(w, p);
    }
    let mut files = 0;
    for (n, shard) in by_shard.iter().enumerate() {
        writer.write(
            &format!("search/w/{n}.json"),
            &serde_json::to_vec(shard).expect("maps serialize"),
        )?;
        files += 1;
    }

    let doc_of: Vec<u32> = {
        let mut d = vec![0u32; docs];
        for (doc, &i) in order.iter().enumerate() {
            d[i] = doc as u32;
        }
        d
    };
    let postings_of = |reports: &[u32]| -> String {
        let mut p: Vec<u32> = reports.iter().map(|&r| doc_of[r as usize]).collect();
        p.sort_unstable();
        encode(&p, docs)
    };
    for node in &archive.places.nodes {
        writer.write(
            &format!("search/p/{}.txt", node.slug_path),
            postings_of(&node.reports).as_bytes(),
        )?;
        files += 1;
    }
    for ((y, m), node) in &archive.dates.months {
        writer.write(
            &format!("search/m/{y:04}-{m:02}.txt"),
            postings_of(&node.reports).as_bytes(),
        )?;
        files += 1;
    }
    let mut filters = Filters {
        places: archive
            .places
            .nodes
            .iter()
            .map(|n| (n.path.clone(), n.slug_path.clone()))
            .collect(),
        types: Vec::new(),
        perpetrators: Vec::new(),
        tags: Vec::new(),
        months: archive
            .dates
            .months
            .keys()
            .map(|(y, m)| format!("{y:04}-{m:02}"))
            .collect(),
    };
    filters.places.sort();
    for tax in &archive.taxonomies {
        let (folder, list) = match tax.kind {
            TaxonomyKind::IncidentTypes => ("t", &mut filters.types),
            TaxonomyKind::Perpetrators => ("x", &mut filters.perpetrators),
            TaxonomyKind::Tags => ("g", &mut filters.tags),
        };
        for term in &tax.terms {
            writer.write(
                &format!("search/{folder}/{}.txt", term.slug),
                postings_of(&term.reports).as_bytes(),
            )?;
            list.push((term.name.clone(), term.slug.clone()));
            files += 1;
        }
    }
    writer.write(
        "search/filters.json",
        &serde_json::to_vec(&filters).expect("filters serialize"),
    )?;

    for (k, chunk) in order.chunks(CHUNK).enumerate() {
        let rows: Vec<Doc> = chunk
            .iter()
            .map(|&i| {
                let report = &archive.reports[i];
                Doc {
                    report,
                    period: ui.period(report.period),
                }
            })
            .collect();
        writer.write(
            &format!("search/d/{k}.json"),
            &serde_json::to_vec(&rows).expect("rows serialize"),
        )?;
        files += 1;
    }
    let meta = Meta {
        version: 3,
        docs,
        shards,
        prefix: PREFIX_CHARS,
        chunk: CHUNK,
    };
    writer.write(
        "search/meta.json",
        &serde_json::to_vec(&meta).expect("meta serializes"),
    )?;
    Ok(files + 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings() {
        // Gaps 0, 0, 38; 38 = 6 + 32·1: "m" (6 with the "more" bit), then "B" (1).
        assert_eq!(encode(&[0, 1, 40], 1000), "dAAmB");
        // Dense: a bitmap, base-64 without padding (0b111 → "Bw").
        assert_eq!(encode(&[0, 1, 2], 8), "bBw");
        assert_eq!(fnv1a(""), 0x811c_9dc5);
        assert_eq!(fnv1a("a"), 0xe40c_292c);
    }
}
