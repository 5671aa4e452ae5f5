//! The default theme is compiled in; a site's own template replaces that one template.

use crate::common::Site;

/// A site with one report (its title full of markup) and no theme of its own.
fn site(name: &str) -> Site {
    let site = Site::new(&format!("theme-{name}"));
    site.report(
        "reports/one.md",
        "---\ntitle: \"<b>One</b> & two\"\ndate: 2018-02-04\nlocations: [Syria/Idlib]\ncasualties: {killed: 3}\n---\nText.\n",
    );
    site
}

/// `sijill build` into the default `public/` of the site.
fn build(site: &Site) -> std::process::Output {
    site.run(&["build"])
}

#[test]
fn a_folder_with_only_content_builds_with_the_default_theme() {
    let site = site("bare");
    let root = site.root();
    let out = build(&site);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = std::fs::read_to_string(root.join("public/reports/one/index.html")).unwrap();
    assert!(page.contains("<link rel=\"stylesheet\" href=\"/style.css\">"));
    assert!(
        page.contains("&lt;b&gt;One&lt;&#x2F;b&gt; &amp; two")
            || page.contains("&lt;b&gt;One&lt;/b&gt; &amp; two"),
        "title escaped: {page}"
    );
    assert!(root.join("public/style.css").is_file());
}

#[test]
fn a_site_template_replaces_the_default_one() {
    let site = site("override");
    let root = site.root();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(
        root.join("templates/report.html"),
        "{% extends \"base.html\" %}{% block main %}<p id=\"own\">{{ report.title }}: {{ report.casualties.summary }}</p>{% endblock main %}",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("static")).unwrap();
    std::fs::write(root.join("static/style.css"), "body{}").unwrap();
    let out = build(&site);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = std::fs::read_to_string(root.join("public/reports/one/index.html")).unwrap();
    assert!(page.contains("<p id=\"own\">"), "{page}");
    assert!(page.contains(": 3 killed</p>"), "{page}");
    // The other templates are still the default ones.
    let place = std::fs::read_to_string(root.join("public/places/syria/idlib/index.html")).unwrap();
    assert!(place.contains("Reports (1)"), "{place}");
    assert_eq!(
        std::fs::read_to_string(root.join("public/style.css")).unwrap(),
        "body{}"
    );
}

/// A file of `static/` where sijill writes a page or an export fails the build and is
/// named: before, the page and the static file were written side by side and the last one
/// won, so the same input gave one site or the other. `robots.txt` is the exception: a
/// site's own replaces the generated one.
#[test]
fn a_static_file_where_sijill_writes_is_an_error_but_robots_txt_is_the_sites_own() {
    let site = site("static-clash");
    let root = site.root();
    for (file, clash) in [
        ("places/index.html", "static/places/index.html"),
        ("404.html", "static/404.html"),
        ("data/reports.json", "static/data/reports.json"),
    ] {
        let path = root.join("static").join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, "<p>own</p>").unwrap();
        // A race would let some runs through: every run must fail.
        for _ in 0..4 {
            let out = build(&site);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{file}: {stderr}");
            assert!(stderr.contains(clash), "{stderr}");
            assert!(
                stderr.contains("rename or remove the static file"),
                "{stderr}"
            );
            assert!(!root.join("public").exists());
        }
        std::fs::remove_file(&path).unwrap();
    }

    let own = "User-agent: *\nDisallow: /\n";
    std::fs::write(root.join("static/robots.txt"), own).unwrap();
    let out = build(&site);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let public = root.join("public");
    assert_eq!(
        std::fs::read_to_string(public.join("robots.txt")).unwrap(),
        own
    );
    assert!(public.join("sitemap.xml").is_file());
    std::fs::remove_file(root.join("static/robots.txt")).unwrap();
    assert!(build(&site).status.success());
    let generated = std::fs::read_to_string(public.join("robots.txt")).unwrap();
    assert!(
        generated.starts_with("User-agent: *\nAllow: /"),
        "{generated}"
    );
}

#[test]
fn a_broken_template_is_an_error_with_its_location() {
    let site = site("broken");
    let root = site.root();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(
        root.join("templates/term.html"),
        "{% extends \"base.html\" %}{% block main %}{{ term }{% endblock main %}",
    )
    .unwrap();
    let out = build(&site);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("term.html"), "{stderr}");
    assert!(!root.join("public").exists());
}

#[test]
fn an_arabic_first_site_is_right_to_left_with_arabic_interface_strings() {
    let site = site("arabic");
    let root = site.root();
    std::fs::write(
        root.join("site.yaml"),
        "title: أرشيف الحوادث\nlanguage: ar\n",
    )
    .unwrap();
    let out = build(&site);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let home = std::fs::read_to_string(root.join("public/index.html")).unwrap();
    assert!(home.contains("<html lang=\"ar\" dir=\"rtl\">"), "{home}");
    assert!(
        home.contains(">الأماكن</a>") && home.contains(">أحدث التقارير</h2>"),
        "{home}"
    );
    // A report without `lang` is in the site's language.
    let report = std::fs::read_to_string(root.join("public/reports/one/index.html")).unwrap();
    assert!(
        report.contains("<html lang=\"ar\" dir=\"rtl\">"),
        "reports without lang take the site's"
    );
    let month = std::fs::read_to_string(root.join("public/dates/2018/02/index.html")).unwrap();
    assert!(month.contains("شباط 2018"), "Arabic month names");
}

#[test]
fn the_header_and_footer_partials_are_on_every_page_in_its_language() {
    let site = Site::new("theme-chrome");
    site.report(
        "reports/en.md",
        "---\ntitle: English\ndate: 2018-02-04\nlocations: [Syria/Idlib]\n---\nText.\n",
    )
    .report(
        "reports/ar.md",
        "---\ntitle: عربي\nlang: ar\ndate: 2018-02-05\nlocations: [Syria/Idlib]\n---\nنص.\n",
    )
    .template(
        "partials/header.html",
        "<div id=\"own-header\" data-lang=\"{{ lang }}\" data-dir=\"{{ dir }}\">{{ t.search }} {{ site.title }}</div>\n",
    )
    .template("partials/footer.html", "<p id=\"own-footer\">{{ t.places }}</p>\n")
    .build_ok(&[]);
    let en = site.page("reports/en/");
    assert!(
        en.contains("<body>\n<div id=\"own-header\" data-lang=\"en\" data-dir=\"ltr\">Search "),
        "{en}"
    );
    let ar = site.page("reports/ar/");
    assert!(
        ar.contains("<div id=\"own-header\" data-lang=\"ar\" data-dir=\"rtl\">بحث "),
        "{ar}"
    );
    // Report pages have no footer; listings have the site's.
    assert!(!en.contains("own-footer"), "{en}");
    let place = site.page("places/syria/idlib/");
    assert!(place.contains("data-lang=\"en\""), "{place}");
    let home = site.page("");
    assert!(
        home.contains("</main>\n<p id=\"own-footer\">Places</p>\n</body>"),
        "{home}"
    );
}

/// The theme's favicon is written at the site's root and linked from every page under the
/// base path (no browser asks for a missing `/favicon.ico` on every page load); a site's
/// own `static/favicon.ico` replaces it, as its `static/style.css` replaces the styles.
#[test]
fn the_favicon_is_the_themes_unless_the_site_has_its_own() {
    let site = site("favicon");
    site.build_ok(&["--base-url", "https://example.org/sub/"]);
    let theme = std::fs::read(std::path::Path::new(crate::common::REPO).join("static/favicon.ico"))
        .unwrap();
    assert_eq!(&theme[..4], b"\0\0\x01\0", "an ICO file");
    assert_eq!(
        std::fs::read(site.out().join("favicon.ico")).unwrap(),
        theme
    );
    for (rel, href) in [
        ("", "/sub/favicon.ico"),
        ("places/syria/", "/sub/favicon.ico"),
        ("reports/one/", "/sub/favicon.ico"),
        ("search/", "/sub/favicon.ico"),
    ] {
        let page = site.page(rel);
        assert!(
            page.contains(&format!("<link rel=\"icon\" href=\"{href}\">")),
            "{rel}: {page}"
        );
    }
    assert!(
        std::fs::read_to_string(site.out().join("404.html"))
            .unwrap()
            .contains("<link rel=\"icon\" href=\"/sub/favicon.ico\">")
    );
    site.file("static/favicon.ico", b"own icon");
    site.build_ok(&["--base-url", "https://example.org/sub/"]);
    assert_eq!(
        std::fs::read(site.out().join("favicon.ico")).unwrap(),
        b"own icon"
    );
}

/// Every index is one click from every page: places, dates, types, perpetrators, tags and
/// the search, in the page's language.
#[test]
fn the_header_links_every_index() {
    let site = site("header-links");
    site.report(
        "reports/ar.md",
        "---\ntitle: عربي\nlang: ar\ndate: 2018-02-05\nlocations: [Syria/Idlib]\n---\nنص.\n",
    );
    site.build_ok(&[]);
    let nav = |rel: &str| {
        let page = site.page(rel);
        let start = page.find("<nav aria-label=").expect("the header's nav");
        page[start..start + page[start..].find("</nav>").unwrap()].to_string()
    };
    let en = nav("");
    for (href, name) in [
        ("places/", "Places"),
        ("dates/", "Dates"),
        ("types/", "Types"),
        ("perpetrators/", "Perpetrators"),
        ("tags/", "Tags"),
        ("search/", "Search"),
    ] {
        assert!(
            en.contains(&format!("<a href=\"/{href}\">{name}</a>")),
            "{en}"
        );
    }
    let ar = nav("reports/ar/");
    for (href, name) in [("perpetrators/", "الجهات المسؤولة"), ("tags/", "الوسوم")]
    {
        assert!(
            ar.contains(&format!("<a href=\"/{href}\">{name}</a>")),
            "{ar}"
        );
    }
}
