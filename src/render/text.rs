//! Human wording of counts and dates, computed once in Rust so templates stay simple.

use chrono::{Datelike, NaiveDate};

use crate::content::{Counts, Field};

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `November`
pub fn month_name(month: u32) -> &'static str {
    MONTHS[(month as usize).saturating_sub(1) % 12]
}

/// `12 November 2017`
pub fn date(d: NaiveDate) -> String {
    format!("{} {} {}", d.day(), month_name(d.month()), d.year())
}

/// `10–12 November 2017`, `27 February – 2 March 2018`, `30 December 2018 – 2 January 2019`,
/// or a single date.
pub fn period((start, end): (NaiveDate, NaiveDate)) -> String {
    if start == end {
        date(start)
    } else if (start.year(), start.month()) == (end.year(), end.month()) {
        format!(
            "{}–{} {} {}",
            start.day(),
            end.day(),
            month_name(end.month()),
            end.year()
        )
    } else if start.year() == end.year() {
        format!(
            "{} {} – {}",
            start.day(),
            month_name(start.month()),
            date(end)
        )
    } else {
        format!("{} – {}", date(start), date(end))
    }
}

/// `at least 50 killed, including 20 children and 6 women; at least 10 injured`; empty when
/// nothing is known.
pub fn casualties(counts: &Counts) -> String {
    let words = |fields: &[Field]| -> Vec<String> {
        fields
            .iter()
            .filter_map(|f| counts.get(*f).map(|c| format!("{c} {}", f.name())))
            .collect()
    };
    let who = words(&[Field::Children, Field::Women, Field::Men]);
    let status = words(&[Field::Civilians, Field::Combatants]);
    let mut killed = match counts.get(Field::Killed) {
        Some(k) => format!("{k} killed"),
        None if who.is_empty() && status.is_empty() => String::new(),
        None => "killed".to_string(),
    };
    if !status.is_empty() {
        killed.push_str(&format!(" ({})", status.join(", ")));
    }
    if !who.is_empty() {
        killed.push_str(&format!(", including {}", join_and(&who)));
    }
    let mut parts = Vec::new();
    if !killed.is_empty() {
        parts.push(killed);
    }
    parts.extend(words(&[Field::Injured, Field::Missing]));
    parts.join("; ")
}

fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Count;

    #[test]
    fn periods() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(
            period((d("2017-11-10"), d("2017-11-12"))),
            "10–12 November 2017"
        );
        assert_eq!(
            period((d("2018-02-27"), d("2018-03-02"))),
            "27 February – 2 March 2018"
        );
        assert_eq!(
            period((d("2018-12-30"), d("2019-01-02"))),
            "30 December 2018 – 2 January 2019"
        );
    }

    #[test]
    fn casualty_sentence() {
        let mut c = Counts::default();
        c.set(Field::Killed, Count { min: 50, max: None });
        c.set(Field::Children, Count::exact(20));
        c.set(Field::Women, Count::exact(6));
        c.set(
            Field::Injured,
            Count {
                min: 12,
                max: Some(20),
            },
        );
        assert_eq!(
            casualties(&c),
            "at least 50 killed, including 20 children and 6 women; 12–20 injured"
        );
    }
}
