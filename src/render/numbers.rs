//! Numbers as pages show them: Western digits grouped by thousands with `,` (`284,164`), in
//! both interface languages (docs/design.md, "Numbers on pages", says why). Only what a
//! reader reads is grouped: exports, JSON-LD, feeds' data and URLs keep plain digits, so
//! they never pass through here.

use tera::{Kwargs, State, Tera};

/// The thousands separator of every interface language.
const SEPARATOR: char = ',';

/// `n` with its thousands grouped: `999`, `1,000`, `284,164`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(SEPARATOR);
        }
        out.push(d);
    }
    out
}

/// Registers the `number` filter (`{{ pagination.total | number }}`), so that templates
/// group a number the way Rust-worded text does, from this one function. Anything but a
/// whole number of zero or more is a template error.
pub fn register(tera: &mut Tera) {
    tera.register_filter("number", |n: u64, _: Kwargs, _: &State| grouped(n));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped_from_four_digits() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(4400), "4,400");
        assert_eq!(grouped(284_164), "284,164");
        assert_eq!(grouped(10_000_000_000), "10,000,000,000");
    }

    #[test]
    fn the_filter_groups_and_refuses_what_is_not_a_count() {
        let mut tera = Tera::default();
        register(&mut tera);
        tera.add_raw_template("t", "{{ n | number }}").unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert("n", &1_000_000u64);
        assert_eq!(tera.render("t", &ctx).unwrap(), "1,000,000");
        ctx.insert("n", &"x");
        assert!(tera.render("t", &ctx).is_err());
    }
}
