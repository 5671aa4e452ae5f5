//! The end-to-end tests: one binary (one link of `common`) with a module per area, each
//! running the real `sijill` binary on throw-away sites. `cargo test --test e2e <area>::`
//! runs one area; the tests that need Chromium, Java or Node are `#[ignore]`d and run by
//! `.ci/run` with `cargo test --test e2e -- --ignored`.

mod common;

mod action;
mod browser;
mod check;
mod counts;
mod dataset;
mod dates;
mod determinism;
mod diff;
mod drafts;
mod exports;
mod hardening;
mod html_valid;
mod import;
mod incidents;
mod incidents_check;
mod init;
mod invalid;
mod language;
mod limits;
mod links;
mod numbers;
mod output_safety;
mod package;
mod pages;
mod pagination;
mod places;
mod properties;
mod properties_v2;
mod readme;
mod search;
mod serve;
mod serve_security;
mod text_safety;
mod theme;
mod workflows;
mod yaml_differential;
