//! The interface language: the strings of the default theme and the wording of counts and
//! dates, in English and Arabic. A site's `language` chooses it; a report page uses its own
//! language when the table has it, so an Arabic report reads right to left throughout.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::numbers::grouped;
use crate::content::{Count, Counts, Field};

/// A language the interface is translated into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Ui {
    /// English.
    En,
    /// Arabic (right to left).
    Ar,
}

/// The noun counted by a number of 3 or more in Arabic: the plural (`plural`) after 3 to
/// 10 (and 103 to 110, …), the accusative singular after 11 to 99, the singular after a
/// round hundred (100, 1,000, …) and after 101 or 102.
fn arabic_counted(n: usize, plural: &str, singular: &str) -> String {
    match n % 100 {
        3..=10 => plural.to_string(),
        11..=99 => accusative(singular),
        _ => singular.to_string(),
    }
}

/// `تقريراً`, `مرةً`: the tanween of the accusative, as Arabic writes it after 11 to 99.
fn accusative(singular: &str) -> String {
    match singular.strip_suffix('ة') {
        Some(_) => format!("{singular}\u{064B}"),
        None => format!("{singular}اً"),
    }
}

/// Primary language subtags that have interface strings.
pub const LANGUAGES: &[&str] = &["en", "ar"];

const MONTHS_EN: [&str; 12] = [
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
// The month names used in Syria and the Levant.
const MONTHS_AR: [&str; 12] = [
    "كانون الثاني",
    "شباط",
    "آذار",
    "نيسان",
    "أيار",
    "حزيران",
    "تموز",
    "آب",
    "أيلول",
    "تشرين الأول",
    "تشرين الثاني",
    "كانون الأول",
];
const WEEKDAYS_EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const WEEKDAYS_AR: [&str; 7] = [
    "الاثنين",
    "الثلاثاء",
    "الأربعاء",
    "الخميس",
    "الجمعة",
    "السبت",
    "الأحد",
];

/// Interface strings, by key, as templates see them (`{{ t.places }}`).
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct Strings {
    entries: std::collections::BTreeMap<&'static str, &'static str>,
}

/// (key, English, Arabic)
const STRINGS: &[(&str, &str, &str)] = &[
    ("home", "Home", "الرئيسية"),
    ("places", "Places", "الأماكن"),
    ("dates", "Dates", "التواريخ"),
    ("types", "Types", "الأنواع"),
    ("incident_types", "Incident types", "أنواع الحوادث"),
    ("perpetrators", "Perpetrators", "الجهات المسؤولة"),
    ("tags", "Tags", "الوسوم"),
    ("search", "Search", "بحث"),
    ("search_reports", "Search reports", "البحث في التقارير"),
    ("skip", "Skip to content", "انتقل إلى المحتوى"),
    ("sections", "Sections", "الأقسام"),
    ("breadcrumb", "Breadcrumb", "مسار التنقل"),
    ("latest_reports", "Latest reports", "أحدث التقارير"),
    ("years", "Years", "السنوات"),
    ("months", "Months", "الأشهر"),
    ("days", "Days", "الأيام"),
    ("reports", "Reports", "التقارير"),
    (
        "archive_count",
        "{reports} in the archive",
        "{reports} في الأرشيف",
    ),
    ("when", "When", "متى"),
    ("published", "Published", "تاريخ النشر"),
    ("where", "Where", "أين"),
    ("casualties", "Casualties", "الضحايا"),
    ("kind", "Kind", "النوع"),
    ("incident", "incident", "حادثة"),
    ("summary", "summary", "حصيلة"),
    (
        "summary_note",
        "listed, not added to totals",
        "مدرجة ولا تُضاف إلى المجاميع",
    ),
    ("status", "Status", "الحالة"),
    (
        "provisional",
        "provisional: figures may change",
        "أولية: قد تتغير الأرقام",
    ),
    ("final", "final", "نهائية"),
    ("source", "Source", "المصدر"),
    ("archived_copy", "archived copy", "نسخة مؤرشفة"),
    ("listed_under", "Listed under", "مدرج ضمن"),
    ("cite", "Cite this report", "الاستشهاد بهذا التقرير"),
    ("events", "events", "الأحداث"),
    ("places_within", "Places within", "أماكن ضمنها"),
    ("place", "Place", "المكان"),
    ("killed", "Killed", "القتلى"),
    ("total", "Total", "المجموع"),
    (
        "no_figures",
        "No casualty figures are counted here.",
        "لا توجد أرقام ضحايا محسوبة هنا.",
    ),
    (
        "totals_note",
        "Each report is counted once, in the narrowest place and period that holds all of it.",
        "يُحسب كل تقرير مرة واحدة، في أضيق مكان وفترة تشمله بالكامل.",
    ),
    ("newer", "Newer", "أحدث"),
    ("previous_in", "Older report in", "التقرير الأقدم في"),
    ("next_in", "Newer report in", "التقرير الأحدث في"),
    ("older", "Older", "أقدم"),
    ("search_all", "Search them all", "ابحث فيها كلها"),
    ("page", "Page", "الصفحة"),
    ("of", "of", "من"),
    ("pages", "Pages", "الصفحات"),
    ("other_periods", "Other periods", "فترات أخرى"),
    ("as_csv", "These reports as CSV", "هذه التقارير بصيغة CSV"),
    ("atom_feed", "Atom feed", "موجز Atom"),
    ("data", "Data", "البيانات"),
    ("license", "Licence", "الترخيص"),
    ("credit", "Credit", "الإسناد"),
    ("map", "Map (OpenStreetMap)", "الخريطة (OpenStreetMap)"),
    ("coordinates", "Coordinates", "الإحداثيات"),
    ("killed_per_month", "Killed per month", "القتلى حسب الشهر"),
    ("killed_per_year", "Killed per year", "القتلى حسب السنة"),
    ("chart_table", "The chart's numbers", "أرقام الرسم البياني"),
    ("month", "Month", "الشهر"),
    ("year", "Year", "السنة"),
    (
        "chart_note",
        "Reports counted here, by the month their events began (minimum figures).",
        "التقارير المحسوبة هنا حسب شهر بدء الأحداث (الحد الأدنى للأرقام).",
    ),
    ("calendar", "Calendar", "التقويم"),
    ("not_found", "Page not found", "الصفحة غير موجودة"),
    (
        "not_found_text",
        "There is no page at this address. It may have moved, or the link may be mistyped.",
        "لا توجد صفحة بهذا العنوان. ربما نُقلت أو أن الرابط غير صحيح.",
    ),
    ("words", "Words", "كلمات"),
    ("anywhere", "Anywhere", "أي مكان"),
    ("from_month", "From (month)", "من (شهر)"),
    ("to", "to", "إلى"),
    ("any", "Any", "الكل"),
    ("perpetrator", "Perpetrator", "الجهة المسؤولة"),
    ("incident_type", "Incident type", "نوع الحادثة"),
    ("tag", "Tag", "الوسم"),
    ("more_results", "More results", "المزيد من النتائج"),
    ("more_places", "and {n} more places", "و{n} أماكن أخرى"),
    (
        "superseded",
        "This account was updated; only the current account of the incident is counted:",
        "حُدِّثت هذه الرواية؛ لا تُحسب إلا الرواية الحالية للحادثة:",
    ),
    ("translation_of", "Translation of", "ترجمة لـ"),
    ("also_in", "Also in", "متوفر أيضاً بـ"),
    ("about_archive", "About this archive", "عن هذا الأرشيف"),
    ("accessed", "accessed", "تاريخ الاطلاع"),
    ("via", "Via", "عبر"),
    ("history", "History of this incident", "تاريخ هذه الحادثة"),
    (
        "history_note",
        "Every account of this incident, oldest first: how the toll evolved, and where sources differ. Only the current account is counted in totals.",
        "كل روايات هذه الحادثة من الأقدم: كيف تطورت الحصيلة وأين تختلف المصادر. لا تُحسب في المجاميع إلا الرواية الحالية.",
    ),
    ("account", "Account", "الرواية"),
    ("and_more", "and {n} more.", "و{n} غيرها."),
    (
        "entry_count",
        "{n} incidents and summaries, each listed once: the others are earlier accounts and translations",
        "{n} من الحوادث والحصائل، يُدرج كل منها مرة واحدة: البقية روايات سابقة وترجمات",
    ),
    (
        "chart_leaves_out",
        "The bars leave out {counts}, in reports that span more than one month.",
        "لا تشمل الأعمدة {counts}، في تقارير تمتد على أكثر من شهر.",
    ),
    (
        "children_add_up",
        "The totals of the places below add up to this total.",
        "مجاميع الأماكن التابعة تساوي هذا المجموع.",
    ),
    (
        "not_below",
        "Of this total, {counts} are held by no place below {place}: casualties that reports do not split by place, or give for {place} itself.",
        "من هذا المجموع، {counts} لا يندرج تحت أي مكان تابع لـ{place}: ضحايا لم تُوزّعهم التقارير على الأماكن، أو ذكرتهم لـ{place} نفسها.",
    ),
    (
        "counted_above",
        "Reports listed here that give no figures for {place} alone ({reports}) are counted in the wider place that holds all their locations; their casualties: {counts}:",
        "التقارير المدرجة هنا التي لا تذكر أرقاماً لـ{place} وحدها ({reports}) تُحسب في المكان الأوسع الذي يشمل كل مواقعها؛ ضحاياها: {counts}:",
    ),
    (
        "across_months",
        "Of this total, {counts} are in reports that span more than one month ({reports}): they count in {period}, in none of its months:",
        "من هذا المجموع، {counts} في تقارير تمتد على أكثر من شهر ({reports}): تُحسب في {period} ولا تُحسب في أي من أشهرها:",
    ),
    (
        "across_days",
        "Of this total, {counts} are in reports that span more than one day ({reports}): they count in {period}, on none of its days:",
        "من هذا المجموع، {counts} في تقارير تمتد على أكثر من يوم ({reports}): تُحسب في {period} ولا تُحسب في أي من أيامه:",
    ),
    (
        "beyond_year",
        "Reports listed here that extend beyond {period} ({reports}) count in no year, only in the places they concern; their casualties: {counts}:",
        "التقارير المدرجة هنا التي تتجاوز {period} ({reports}) لا تُحسب في أي سنة، بل في الأماكن المعنية فقط؛ ضحاياها: {counts}:",
    ),
    (
        "beyond_month",
        "Reports listed here that extend beyond {period} ({reports}) count in the year, or the longer period, that holds them whole, not here; their casualties: {counts}:",
        "التقارير المدرجة هنا التي تتجاوز {period} ({reports}) تُحسب في السنة أو الفترة الأطول التي تشملها كاملة، لا هنا؛ ضحاياها: {counts}:",
    ),
    (
        "beyond_day",
        "Reports listed here that extend beyond {period} ({reports}) count in the month or year that holds them whole, not here; their casualties: {counts}:",
        "التقارير المدرجة هنا التي تتجاوز {period} ({reports}) تُحسب في الشهر أو السنة التي تشملها كاملة، لا هنا؛ ضحاياها: {counts}:",
    ),
    (
        "type_totals",
        "These are the totals of the reports of this type. A report can be of several types, so the totals of types overlap and do not add up.",
        "هذه مجاميع التقارير من هذا النوع. قد يكون التقرير من عدة أنواع، لذا تتداخل مجاميع الأنواع ولا تُجمع.",
    ),
    (
        "tag_totals",
        "These are the totals of the reports with this tag. A report can have several tags, so the totals of tags overlap and do not add up.",
        "هذه مجاميع التقارير التي تحمل هذا الوسم. قد يحمل التقرير عدة وسوم، لذا تتداخل مجاميعها ولا تُجمع.",
    ),
    (
        "attribution_note",
        "A report that names several perpetrators attributes its casualties to none of them alone: the two figures are never added up into one.",
        "التقرير الذي يسمّي عدة جهات لا ينسب ضحاياه إلى أي منها وحدها: لا يُجمع الرقمان في رقم واحد.",
    ),
    (
        "alone",
        "In reports naming only {name}",
        "في التقارير التي تسمّي {name} وحدها",
    ),
    (
        "shared",
        "In reports naming {name} with others",
        "في التقارير التي تسمّي {name} مع جهات أخرى",
    ),
    ("alone_short", "alone", "وحدها"),
    ("shared_short", "with others", "مع غيرها"),
    (
        "home_places",
        "The archive counts {total}. The countries below add up to less: the rest ({counts}) is in reports that span several countries.",
        "يحسب الأرشيف {total}. مجموع البلدان أدناه أقل: الباقي ({counts}) في تقارير تشمل عدة بلدان.",
    ),
    (
        "home_places_add_up",
        "The archive counts {total}; the countries below add up to it.",
        "يحسب الأرشيف {total}؛ ومجموع البلدان أدناه يساويه.",
    ),
    (
        "home_years",
        "The years below add up to less than the archive's {total}: the rest ({counts}) is in reports that span more than one year, which count in no year.",
        "مجموع السنوات أدناه أقل من مجموع الأرشيف ({total}): الباقي ({counts}) في تقارير تمتد على أكثر من سنة، فلا تُحسب في أي سنة.",
    ),
    (
        "home_years_add_up",
        "The years below add up to the archive's total: {total}.",
        "مجموع السنوات أدناه يساوي مجموع الأرشيف: {total}.",
    ),
    ("current_account", "current, counted", "الحالية، محسوبة"),
    ("on_day", "Day", "يوم"),
    (
        "csv_download",
        "Download {n} reports as CSV",
        "تنزيل التقارير ({n}) بصيغة CSV",
    ),
    (
        "csv_download_one",
        "Download 1 report as CSV",
        "تنزيل التقرير بصيغة CSV",
    ),
    (
        "search_hint",
        "Type words to search for, or choose a filter.",
        "اكتب كلمات للبحث عنها، أو اختر عامل تصفية.",
    ),
    ("searching", "Searching…", "جارٍ البحث…"),
    ("found_one", "1 report found.", "عُثر على تقرير واحد."),
    ("found_two", "2 reports found.", "عُثر على تقريرين."),
    ("found_none", "0 reports found.", "لم يُعثر على أي تقرير."),
    // Arabic counts 3 to 10 (and 103 to 110, …) with the plural, 11 to 99 with the
    // accusative singular, and round hundreds, 101 and 102 with the singular
    // (`arabic_counted`); search.js picks the message by the same rule.
    ("found_few", "{n} reports found.", "عُثر على {n} تقارير."),
    ("found_many", "{n} reports found.", "عُثر على {n} تقريراً."),
    ("found_other", "{n} reports found.", "عُثر على {n} تقرير."),
    ("csv_preparing", "Preparing the CSV…", "جارٍ تجهيز ملف CSV…"),
    (
        "search_failed",
        "The search index could not be loaded ({error}).",
        "تعذّر تحميل فهرس البحث ({error}).",
    ),
    ("day_format", "YYYY-MM-DD", "YYYY-MM-DD"),
    ("to_month", "To (month)", "إلى (شهر)"),
    ("month_format", "YYYY-MM", "YYYY-MM"),
    (
        "noscript_search",
        "Search runs in your browser and needs JavaScript. You can also browse by place or by date.",
        "يعمل البحث في المتصفح ويحتاج إلى JavaScript. يمكنك أيضاً التصفح حسب المكان أو التاريخ.",
    ),
];

/// The name of the language of BCP-47 tag `tag` in that language (`العربية`), for links
/// between a report and its translations; the tag itself for a language not named here.
pub fn language_name(tag: &str) -> String {
    let primary = tag.split('-').next().unwrap_or("").to_ascii_lowercase();
    let name = match primary.as_str() {
        "en" => "English",
        "ar" => "العربية",
        "fr" => "Français",
        "de" => "Deutsch",
        "es" => "Español",
        "tr" => "Türkçe",
        "fa" => "فارسی",
        "ku" => "Kurdî",
        "ckb" => "کوردی",
        "he" => "עברית",
        "ru" => "Русский",
        "ur" => "اردو",
        _ => return tag.to_string(),
    };
    name.to_string()
}

impl Ui {
    /// The table for a BCP-47 tag (by its primary subtag), if there is one.
    pub fn for_lang(tag: &str) -> Option<Ui> {
        match tag
            .split('-')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
            .as_str()
        {
            "en" => Some(Ui::En),
            "ar" => Some(Ui::Ar),
            _ => None,
        }
    }

    /// Language tag of the interface.
    pub fn code(self) -> &'static str {
        match self {
            Ui::En => "en",
            Ui::Ar => "ar",
        }
    }

    /// Every interface string, for templates.
    pub fn strings(self) -> Strings {
        Strings {
            entries: STRINGS
                .iter()
                .map(|(k, en, ar)| (*k, if self == Ui::Ar { *ar } else { *en }))
                .collect(),
        }
    }

    /// One interface string.
    pub fn get(self, key: &str) -> &'static str {
        STRINGS
            .iter()
            .find(|(k, ..)| *k == key)
            .map_or("", |(_, en, ar)| if self == Ui::Ar { ar } else { en })
    }

    /// "updated once", "updated 3 times": how many earlier accounts an incident has.
    pub fn updated_times(self, n: usize) -> String {
        match (self, n) {
            (Ui::En, 1) => "updated once".into(),
            (Ui::En, n) => format!("updated {} times", grouped(n as u64)),
            (Ui::Ar, 1) => "حُدِّثت مرة واحدة".into(),
            (Ui::Ar, 2) => "حُدِّثت مرتين".into(),
            (Ui::Ar, n) => format!(
                "حُدِّثت {} {}",
                grouped(n as u64),
                arabic_counted(n, "مرات", "مرة")
            ),
        }
    }

    /// "1 report", "12 reports", "1,000 reports"; in Arabic "تقرير واحد", "تقريران",
    /// "3 تقارير", "11 تقريراً", "100 تقرير", as Arabic counts them.
    pub fn reports(self, n: usize) -> String {
        match (self, n) {
            (Ui::En, 1) => "1 report".into(),
            (Ui::En, n) => format!("{} reports", grouped(n as u64)),
            (Ui::Ar, 1) => "تقرير واحد".into(),
            (Ui::Ar, 2) => "تقريران".into(),
            (Ui::Ar, n) => format!(
                "{} {}",
                grouped(n as u64),
                arabic_counted(n, "تقارير", "تقرير")
            ),
        }
    }

    /// Name of month 1–12.
    pub fn month_name(self, month: u32) -> &'static str {
        let i = (month as usize).saturating_sub(1) % 12;
        match self {
            Ui::En => MONTHS_EN[i],
            Ui::Ar => MONTHS_AR[i],
        }
    }

    /// Short weekday names, Monday first.
    pub fn weekdays(self) -> [&'static str; 7] {
        match self {
            Ui::En => WEEKDAYS_EN,
            Ui::Ar => WEEKDAYS_AR,
        }
    }

    /// `November 2017`
    pub fn month_year(self, year: i32, month: u32) -> String {
        format!("{} {year}", self.month_name(month))
    }

    /// `12 November 2017`
    pub fn date(self, d: NaiveDate) -> String {
        format!("{} {} {}", d.day(), self.month_name(d.month()), d.year())
    }

    /// A month name for tight spaces: `Nov` (Arabic names are short already).
    pub fn month_short(self, month: u32) -> &'static str {
        let name = self.month_name(month);
        match self {
            Ui::En => &name[..3],
            Ui::Ar => name,
        }
    }

    /// [`Ui::period`] with short month names (`10–12 Nov 2017`), for listings, where a
    /// report appears a dozen times and every byte is paid a million times at scale.
    pub fn period_short(self, (start, end): (NaiveDate, NaiveDate)) -> String {
        let date =
            |d: NaiveDate| format!("{} {} {}", d.day(), self.month_short(d.month()), d.year());
        if start == end {
            date(start)
        } else if (start.year(), start.month()) == (end.year(), end.month()) {
            format!(
                "{}–{} {} {}",
                start.day(),
                end.day(),
                self.month_short(end.month()),
                end.year()
            )
        } else if start.year() == end.year() {
            format!(
                "{} {} – {}",
                start.day(),
                self.month_short(start.month()),
                date(end)
            )
        } else {
            format!("{} – {}", date(start), date(end))
        }
    }

    /// `10–12 November 2017`, `27 February – 2 March 2018`,
    /// `30 December 2018 – 2 January 2019`, or a single date.
    pub fn period(self, (start, end): (NaiveDate, NaiveDate)) -> String {
        if start == end {
            self.date(start)
        } else if (start.year(), start.month()) == (end.year(), end.month()) {
            format!(
                "{}–{} {} {}",
                start.day(),
                end.day(),
                self.month_name(end.month()),
                end.year()
            )
        } else if start.year() == end.year() {
            format!(
                "{} {} – {}",
                start.day(),
                self.month_name(start.month()),
                self.date(end)
            )
        } else {
            format!("{} – {}", self.date(start), self.date(end))
        }
    }

    /// `50`, `at least 50`, `12–20`, `at least 4,400`.
    pub fn count(self, c: Count) -> String {
        match (self, c.max) {
            (_, Some(max)) if max == c.min => grouped(c.min),
            (_, Some(max)) => format!("{}–{}", grouped(c.min), grouped(max)),
            (Ui::En, None) => format!("at least {}", grouped(c.min)),
            (Ui::Ar, None) => format!("{} على الأقل", grouped(c.min)),
        }
    }

    /// Name of a count field: `killed`, `children`, …
    pub fn field(self, f: Field) -> &'static str {
        match self {
            Ui::En => f.name(),
            Ui::Ar => match f {
                Field::Killed => "قتلى",
                Field::Children => "أطفال",
                Field::Women => "نساء",
                Field::Men => "رجال",
                Field::Civilians => "مدنيون",
                Field::Combatants => "مقاتلون",
                Field::Injured => "جرحى",
                Field::Missing => "مفقودون",
            },
        }
    }

    /// One sentence for a set of counts, e.g. `at least 50 killed (25 civilians), including
    /// 20 children and 6 women; at least 10 injured`; empty when nothing is known.
    pub fn casualties(self, counts: &Counts) -> String {
        let words = |fields: &[Field]| -> Vec<String> {
            fields
                .iter()
                .filter_map(|f| counts.get(*f).map(|c| self.phrase(*f, c)))
                .collect()
        };
        let who = words(&[Field::Children, Field::Women, Field::Men]);
        let status = words(&[Field::Civilians, Field::Combatants]);
        let mut killed = match counts.get(Field::Killed) {
            Some(k) => self.phrase(Field::Killed, k),
            None if who.is_empty() && status.is_empty() => String::new(),
            None => self.field(Field::Killed).to_string(),
        };
        if !status.is_empty() {
            killed.push_str(&format!(" ({})", status.join(self.comma())));
        }
        if !who.is_empty() {
            let including = if self == Ui::Ar {
                "، بينهم "
            } else {
                ", including "
            };
            killed.push_str(including);
            killed.push_str(&self.join_and(&who));
        }
        let mut parts = Vec::new();
        if !killed.is_empty() {
            parts.push(killed);
        }
        parts.extend(words(&[Field::Injured, Field::Missing]));
        parts.join(if self == Ui::Ar { "؛ " } else { "; " })
    }

    /// `50 killed`, `1 child` / `قتلى: 50`
    pub(crate) fn phrase(self, f: Field, c: Count) -> String {
        match self {
            // "1 child", "at least 1 child": one, or one and perhaps more.
            Ui::En if c.min == 1 && c.max.is_none_or(|m| m == 1) => {
                let one = match f {
                    Field::Children => "child",
                    Field::Women => "woman",
                    Field::Men => "man",
                    Field::Civilians => "civilian",
                    Field::Combatants => "combatant",
                    other => other.name(),
                };
                format!("{} {one}", self.count(c))
            }
            Ui::En => format!("{} {}", self.count(c), f.name()),
            Ui::Ar => format!("{}: {}", self.field(f), self.count(c)),
        }
    }

    fn comma(self) -> &'static str {
        if self == Ui::Ar { "، " } else { ", " }
    }

    fn join_and(self, items: &[String]) -> String {
        let and = if self == Ui::Ar { " و" } else { " and " };
        match items {
            [] => String::new(),
            [one] => one.clone(),
            [rest @ .., last] => format!("{}{and}{last}", rest.join(self.comma())),
        }
    }

    /// `rtl` for Arabic.
    pub fn dir(self) -> &'static str {
        if self == Ui::Ar { "rtl" } else { "ltr" }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// Arabic words a count by its last two digits: the plural after 3–10, the accusative
    /// singular after 11–99, the singular after round hundreds and 101–102
    /// (static/search.js's foundKey follows the same rule; tests/tools/search_words.cjs).
    #[test]
    fn arabic_counts_by_the_last_two_digits() {
        let cases = [
            (1, "تقرير واحد"),
            (2, "تقريران"),
            (3, "3 تقارير"),
            (10, "10 تقارير"),
            (11, "11 تقريراً"),
            (99, "99 تقريراً"),
            (100, "100 تقرير"),
            (101, "101 تقرير"),
            (102, "102 تقرير"),
            (103, "103 تقارير"),
            (111, "111 تقريراً"),
            (1000, "1,000 تقرير"),
        ];
        for (n, want) in cases {
            assert_eq!(Ui::Ar.reports(n), want, "{n}");
        }
        assert_eq!(Ui::Ar.updated_times(11), "حُدِّثت 11 مرةً");
        assert_eq!(Ui::Ar.updated_times(3), "حُدِّثت 3 مرات");
        assert_eq!(Ui::En.reports(1000), "1,000 reports");
    }

    #[test]
    fn periods() {
        let en = Ui::En;
        assert_eq!(
            en.period((d("2017-11-10"), d("2017-11-12"))),
            "10–12 November 2017"
        );
        assert_eq!(
            en.period((d("2018-02-27"), d("2018-03-02"))),
            "27 February – 2 March 2018"
        );
        assert_eq!(
            en.period((d("2018-12-30"), d("2019-01-02"))),
            "30 December 2018 – 2 January 2019"
        );
        assert_eq!(Ui::Ar.date(d("2017-11-12")), "12 تشرين الثاني 2017");
    }

    #[test]
    fn casualty_sentences() {
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
            Ui::En.casualties(&c),
            "at least 50 killed, including 20 children and 6 women; 12–20 injured"
        );
        c.set(Field::Civilians, Count::exact(25));
        assert_eq!(
            Ui::En.casualties(&c),
            "at least 50 killed (25 civilians), including 20 children and 6 women; 12–20 injured"
        );
        let mut one = Counts::default();
        one.set(Field::Killed, Count::exact(1));
        one.set(Field::Children, Count::exact(1));
        assert_eq!(Ui::En.casualties(&one), "1 killed, including 1 child");
        assert_eq!(
            Ui::Ar.casualties(&c),
            "قتلى: 50 على الأقل (مدنيون: 25)، بينهم أطفال: 20 ونساء: 6؛ جرحى: 12–20"
        );
    }

    #[test]
    fn every_string_has_both_languages() {
        for (k, en, ar) in STRINGS {
            assert!(!en.is_empty() && !ar.is_empty(), "{k}");
        }
        let mut keys: Vec<&str> = STRINGS.iter().map(|(k, ..)| *k).collect();
        keys.sort_unstable();
        let n = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), n, "duplicate keys");
    }
}
