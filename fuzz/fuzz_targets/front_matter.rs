//! One report file, as a stranger's pull request could write it: front matter splitting,
//! YAML parsing, every validation rule (with and without a gazetteer), the diagnostics
//! printers, and Markdown rendering of the body. Besides "no panic, no hang", the rendered
//! body must be inert: no script-capable element, no event-handler or style attribute, and
//! every `href`/`src` http(s), mailto or relative as a browser would read it; and the fast
//! YAML reader must read the front matter as serde_yaml does, or leave it to serde_yaml.

#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
// The same independent HTML reader as the hardening tests.
#[allow(dead_code)]
#[path = "../../tests/e2e/common/html.rs"]
mod html;
use html::{safe_url, scripts_or_styles, tags};
use sijill::content::LocalFiles;
use sijill::content::validate::{Context, parse_report};
use sijill::content::yaml::differential::{Comparison, compare_readers};
use sijill::content::{Gazetteer, frontmatter, printer};
use sijill::render::markdown::{Destinations, to_html};

/// Files a body's local destinations may name (others are shown as text).
static FILES: LazyLock<LocalFiles> = LazyLock::new(|| {
    LocalFiles::new(["images/map.png", "index.html", "docs/index.html"].map(String::from))
});

static GAZETTEER: LazyLock<Gazetteer> = LazyLock::new(|| {
    let (g, problems) = Gazetteer::parse(
        "- path: Syria\n- path: Syria/Idlib\n  aliases: [Edlib]\n- path: Syria/Idlib/Saraqib\n  name_ar: سراقب\n  lat: 35.86\n  lon: 36.8\n",
        "content/places.yaml",
    );
    assert!(problems.is_empty(), "{problems:?}");
    g
});

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let file = "content/reports/2017/11/fuzz.md";
    let ctx = Context {
        gazetteer: (!data.len().is_multiple_of(2)).then(|| &*GAZETTEER),
        default_lang: "en",
        ui_languages: &["en"],
        vocabulary: None,
    };
    let parsed = parse_report(file, text, &ctx);
    let source = |_: &str, n: usize| text.lines().nth(n.checked_sub(1)?).map(str::to_string);
    for d in &parsed.problems {
        let _ = printer::short(d);
        let _ = printer::human(d, &source, data.len().is_multiple_of(3));
    }
    let _ = printer::github(&parsed.problems, 1, "site/");
    let _ = printer::json(&parsed.problems);

    if !text.starts_with("---") {
        // Anything else is also read as a gazetteer.
        let _ = Gazetteer::parse(text, "content/places.yaml");
    }

    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let split = frontmatter::split(body);
    // Without fences the whole text: the fuzzer also writes bare YAML.
    let yaml = split.map_or(text, |s| s.yaml);
    if let Comparison::Disagree(why) = compare_readers(yaml) {
        panic!("the fast YAML reader and serde_yaml disagree on {yaml:?}: {why}");
    }
    let body = split.map_or(body, |s| s.body);
    let links = parsed.report.map(|r| r.links.clone()).unwrap_or_default();
    let to = Destinations {
        file,
        links: &links,
        report_href: &|id| Some(format!("/reports/{id}/")),
        files: &FILES,
        base_path: "/",
    };
    let html = to_html(body, &to);
    if let Err(why) = inert(&html) {
        panic!("unsafe output ({why}):\n{html}");
    }
});

/// Elements that may run script, load a document or submit data.
const FORBIDDEN_TAGS: &[&str] = &[
    "script",
    "style",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "form",
    "input",
    "button",
    "select",
    "textarea",
    "svg",
    "math",
    "link",
    "meta",
    "base",
    "noscript",
    "template",
    "xmp",
    "plaintext",
    "noembed",
    "noframes",
];

/// Checks that `html` (the renderer's output) is inert; says why not.
fn inert(html: &str) -> Result<(), String> {
    for tag in tags(html)? {
        let name = &tag.name;
        if FORBIDDEN_TAGS.contains(&name.as_str()) {
            return Err(format!("<{name}>"));
        }
        for (attr, value) in &tag.attrs {
            if scripts_or_styles(attr, value) {
                return Err(format!("attribute {attr} on <{name}>"));
            }
            if matches!(
                attr.as_str(),
                "href" | "src" | "action" | "background" | "poster"
            ) && !safe_url(value)
            {
                return Err(format!("{attr}={value:?} on <{name}>"));
            }
        }
    }
    Ok(())
}
