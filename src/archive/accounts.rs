//! Incidents, not publications (format v2): the published reports linked by `updates` into
//! chains of accounts of one incident, and translations linked to their originals. Only a
//! chain's current account (the one no published report updates) is listed, and so counted;
//! the others keep their pages, which link to it.

use crate::FastMap;

use super::Archive;
use crate::content::Report;
use std::sync::Arc;

/// How one published report stands among the others.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Account {
    /// The first account of its incident (itself when it updates nothing); for a
    /// translation, its original's. `None` for a translation whose original is not
    /// published in this build.
    pub incident: Option<u32>,
    /// The published account it revises.
    pub updates: Option<u32>,
    /// The published account that revises it.
    pub updated_by: Option<u32>,
    /// The published report it translates.
    pub translation_of: Option<u32>,
    /// Its published translations, by language.
    pub translations: Vec<u32>,
    /// True for a translation, its original published or not.
    pub is_translation: bool,
    /// The current account of its incident (a translation: its original's; itself for a
    /// translation of a draft).
    pub current: u32,
    /// How many accounts of its incident come before it (a translation: before its
    /// original).
    pub position: u32,
}

impl Account {
    /// True when the report is listed (and, being an incident, counted): a current account
    /// that is not a translation (of a published report or of a draft).
    pub fn is_listed(&self) -> bool {
        self.updated_by.is_none() && !self.is_translation
    }

    /// True when the report is linked to any other.
    pub fn is_linked(&self) -> bool {
        self.updates.is_some()
            || self.updated_by.is_some()
            || self.is_translation
            || !self.translations.is_empty()
    }
}

/// The [`Account`] of every published report, by report index.
#[derive(Debug, Clone, Default)]
pub struct Accounts(Vec<Account>);

impl Accounts {
    /// Links the published `reports` (sorted, indexed by `by_id`). References to a report
    /// not published in this build (a draft) are left out: the report stands alone.
    pub(super) fn build(reports: &[Arc<Report>], by_id: &FastMap<String, u32>) -> Accounts {
        let mut accounts = vec![Account::default(); reports.len()];
        let published = |id: &Option<String>| id.as_ref().and_then(|id| by_id.get(id).copied());
        for (i, r) in reports.iter().enumerate() {
            let i = i as u32;
            accounts[i as usize].is_translation = r.is_translation();
            if let Some(original) = published(&r.translation_of) {
                accounts[i as usize].translation_of = Some(original);
                accounts[original as usize].translations.push(i);
            } else if let Some(earlier) = published(&r.updates) {
                accounts[i as usize].updates = Some(earlier);
                accounts[earlier as usize].updated_by = Some(i);
            }
        }
        // Incidents: from each chain's first account down the chain (checked linear and
        // without cycles), then each translation takes its original's.
        // Each chain is walked twice from its first account: once to number its accounts,
        // once to give each the last one. Linear in the reports, however long the chains.
        for first in 0..accounts.len() {
            let a = &accounts[first];
            if a.updates.is_some() || a.is_translation {
                continue;
            }
            let (mut at, mut position, mut last) = (Some(first as u32), 0, first as u32);
            while let Some(i) = at {
                let a = &mut accounts[i as usize];
                a.incident = Some(first as u32);
                a.position = position;
                (position, last, at) = (position + 1, i, a.updated_by);
            }
            let mut at = Some(first as u32);
            while let Some(i) = at {
                accounts[i as usize].current = last;
                at = accounts[i as usize].updated_by;
            }
        }
        for i in 0..accounts.len() {
            if accounts[i].is_translation {
                accounts[i].current = i as u32;
            }
            if let Some(original) = accounts[i].translation_of {
                let o = &accounts[original as usize];
                (
                    accounts[i].incident,
                    accounts[i].current,
                    accounts[i].position,
                ) = (o.incident, o.current, o.position);
            }
            let by_lang = |&t: &u32| &reports[t as usize].lang;
            accounts[i]
                .translations
                .sort_by(|a, b| by_lang(a).cmp(by_lang(b)));
        }
        Accounts(accounts)
    }

    /// The account of report `i`.
    pub fn get(&self, i: u32) -> &Account {
        &self.0[i as usize]
    }

    /// True when report `i` is listed (see [`Account::is_listed`]).
    pub fn is_listed(&self, i: usize) -> bool {
        self.0[i].is_listed()
    }

    /// Renumbers after the reports were put in a new order (a preview's patch).
    pub(super) fn renumber(&mut self, new_of_old: &[u32]) {
        let new = |i: &mut u32| *i = new_of_old[*i as usize];
        let mut moved = vec![Account::default(); self.0.len()];
        for (old, mut a) in std::mem::take(&mut self.0).into_iter().enumerate() {
            a.incident.iter_mut().for_each(new);
            new(&mut a.current);
            a.updates.iter_mut().for_each(new);
            a.updated_by.iter_mut().for_each(new);
            a.translation_of.iter_mut().for_each(new);
            a.translations.iter_mut().for_each(new);
            moved[new_of_old[old] as usize] = a;
        }
        self.0 = moved;
    }
}

impl Archive {
    /// The account of report `i`.
    pub fn account(&self, i: u32) -> &Account {
        self.accounts.get(i)
    }

    /// True when report `i` adds to totals: a listed incident (format v2, "What is
    /// counted").
    pub fn is_counted(&self, i: usize) -> bool {
        self.accounts.is_listed(i) && self.reports[i].counts_in_totals()
    }

    /// The current account of report `i`'s incident (a translation: its original's).
    pub fn current(&self, i: u32) -> u32 {
        self.account(i).current
    }

    /// The accounts of report `i`'s incident, oldest first (a translation: its original's).
    pub fn history(&self, i: u32) -> Vec<u32> {
        let current = self.current(i);
        let mut chain = vec![current];
        while let Some(earlier) = self.account(*chain.last().expect("one")).updates {
            chain.push(earlier);
        }
        chain.reverse();
        chain
    }

    /// The ids of the reports whose pages and list items show something of report `id`:
    /// every account of its incident and every translation of those (itself included;
    /// nothing when it is not published here). What a preview renders again when `id`
    /// changes.
    pub fn related(&self, id: &str) -> Vec<&str> {
        let Some(i) = self.report_index(id) else {
            return Vec::new();
        };
        if !self.account(i).is_linked() {
            return vec![&self.reports[i as usize].id];
        }
        let mut ids = Vec::new();
        for account in self.history(i) {
            ids.push(self.reports[account as usize].id.as_str());
            for &t in &self.account(account).translations {
                ids.push(self.reports[t as usize].id.as_str());
            }
        }
        ids
    }

    /// Report `i` or its translation in `lang`, when it has one: what a listing shows.
    pub fn in_language(&self, i: u32, lang: &str) -> u32 {
        if self.reports[i as usize].lang == lang {
            return i;
        }
        self.account(i)
            .translations
            .iter()
            .copied()
            .find(|&t| self.reports[t as usize].lang == lang)
            .unwrap_or(i)
    }
}

/// The ids a report is linked to, as the exports write them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Linked<'a> {
    /// The incident's id (the id of its first account); `None` for a translation whose
    /// original is not published.
    pub incident: Option<&'a str>,
    /// The published account it revises.
    pub updates: Option<&'a str>,
    /// The published account that revises it.
    pub updated_by: Option<&'a str>,
    /// The published report it translates.
    pub translation_of: Option<&'a str>,
    /// Its published translations, by language.
    pub translations: Vec<&'a str>,
    /// True exactly when it adds to totals: a listed incident.
    pub counted: bool,
}

impl Archive {
    /// What `report` (published in this archive) is linked to, by id.
    pub fn linked(&self, report: &Report) -> Linked<'_> {
        let Some(i) = self.report_index(&report.id) else {
            return Linked::default();
        };
        let a = self.account(i);
        let id = |i: u32| self.reports[i as usize].id.as_str();
        Linked {
            incident: a.incident.map(id),
            updates: a.updates.map(id),
            updated_by: a.updated_by.map(id),
            translation_of: a.translation_of.map(id),
            translations: a.translations.iter().map(|&t| id(t)).collect(),
            counted: self.is_counted(i as usize),
        }
    }
}
