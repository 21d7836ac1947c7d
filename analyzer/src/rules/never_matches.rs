//! `NFT103 never-matches`: a rule whose matches no packet can satisfy together.

use nftlint_syntax::SyntaxNode;
use rustc_hash::FxHashMap;

use crate::Diagnostic;
use crate::model::Model;
use crate::model::predicate::{Predicate, Relation, Values};

super::declare_rule! {
/**
## What it finds

A rule that no packet can match, because its conditions contradict each other or read what its
hook does not have.


- two conditions on one field that exclude each other: `ip saddr 192.0.2.1 ip saddr 192.0.2.2`,
  `tcp dport 22 tcp dport != 22`, `iifname "eth0" iifname "wlan0"`;
- a condition and the protocol nft implies for another one: `meta l4proto udp tcp dport 53`
  (`tcp dport` also means `meta l4proto tcp`);
- an input interface on the `output` hook, or an output interface on `prerouting` or `input`:
  the packet has none there, so the match fails for every packet.

## Why it matters

nft loads the rule without a word, and it never does anything: the traffic it was written for
goes on to later rules or the policy. Usually one of the conditions is a typo.

## Example

```nft
table inet filter {
    chain output {
        type filter hook output priority filter; policy accept;
        iifname "wg0" tcp dport 22 drop
    }
}
```

Fixed:

```nft
table inet filter {
    chain output {
        type filter hook output priority filter; policy accept;
        oifname "wg0" tcp dport 22 drop
    }
}
```

## Fix

Correct the condition that is wrong, or split the rule in two when it was meant to match either.
*/
    code: "NFT103",
    name: "never-matches",
    severity: Warning,
    status: Stable,
}

pub(crate) fn check(model: &Model) -> Vec<Diagnostic> {
    let hooks = base_chain_hooks(model);
    let mut out = Vec::new();
    for rule in model.rule_matches() {
        let predicates: Vec<&Predicate> = rule.predicates().collect();
        if let Some(diagnostic) = contradiction(model, &predicates) {
            out.push(diagnostic);
            continue;
        }
        let Some(hook) = hooks.get(rule.rule) else {
            continue;
        };
        for predicate in predicates.iter().filter(|p| p.implied_by.is_none()) {
            // Without the device, `iifname` reads an empty name: `iifname != "eth0"` holds.
            let reads_empty_name = predicate.selector.ends_with("name");
            if reads_empty_name && predicate.relation == Relation::Ne {
                continue;
            }
            if let Some(why) = absent_interface(&predicate.selector, hook) {
                let mut diagnostic = model.diagnostic(
                    &RULE,
                    &predicate.loc,
                    format!(
                        "`{}` never matches on the {hook} hook: {why}",
                        model.quote(&predicate.loc)
                    ),
                );
                diagnostic.help =
                    Some("use the interface of the other direction, or move the rule".to_string());
                out.push(diagnostic);
                break;
            }
        }
    }
    out
}

/// The hook of each rule that sits directly in a base chain.
fn base_chain_hooks(model: &Model) -> FxHashMap<&SyntaxNode, &str> {
    let chains = model.tables.iter().flat_map(|t| &t.chains);
    chains
        .filter_map(|chain| Some((chain.hook()?, &chain.rules)))
        .flat_map(|(hook, rules)| rules.iter().map(move |r| (&r.node, hook)))
        .collect()
}

/// Why an interface selector reads nothing on `hook`.
fn absent_interface(selector: &str, hook: &str) -> Option<&'static str> {
    let key = selector.strip_prefix("meta ")?;
    let input = matches!(key, "iif" | "iifname" | "iifgroup" | "iiftype" | "iifkind");
    let output = matches!(key, "oif" | "oifname" | "oifgroup" | "oiftype" | "oifkind");
    match hook {
        // Forwarded packets keep their input interface in postrouting: only output lacks one.
        "output" if input => Some("locally generated packets have no input interface"),
        "prerouting" | "input" if output => Some("the output interface is not known yet"),
        _ => None,
    }
}

/// The first predicate that no packet can satisfy together with the earlier ones on its field.
/// Contradictions between two protocols nft implies are `conflicting-protocols`' business.
fn contradiction(model: &Model, predicates: &[&Predicate]) -> Option<Diagnostic> {
    // A rule reads a few fields: a list is quicker to search than a map is to build.
    let mut fields: Vec<(&str, Field)> = Vec::new();
    for (i, predicate) in predicates.iter().enumerate() {
        let at = fields
            .iter()
            .position(|(selector, _)| *selector == predicate.selector)
            .unwrap_or_else(|| {
                fields.push((&predicate.selector, Field::default()));
                fields.len() - 1
            });
        let field = &mut fields[at].1;
        if !field.add(predicate) || !field.is_empty() {
            continue;
        }
        let earlier: Vec<&&Predicate> = predicates[..i]
            .iter()
            .filter(|p| p.selector == predicate.selector)
            .collect();
        if predicate.implied_by.is_some() && earlier.iter().all(|p| p.implied_by.is_some()) {
            return None;
        }
        let text = |p: &Predicate| model.quote(&p.loc);
        let mut diagnostic = model.diagnostic(
            &RULE,
            &predicate.loc,
            format!(
                "no packet matches `{}` together with what comes before it in the rule",
                text(predicate)
            ),
        );
        for p in earlier {
            let why = match &p.implied_by {
                Some(header) => format!("`{}` needs {} {}", text(p), p.selector, header),
                None => format!("`{}` excludes it", text(p)),
            };
            diagnostic.related.push(model.related(&p.loc, why));
        }
        if let Some(header) = &predicate.implied_by {
            diagnostic.help = Some(format!(
                "`{}` also means {} {header}",
                text(predicate),
                predicate.selector
            ));
        }
        return Some(diagnostic);
    }
    None
}

/// What the conditions so far allow on one field. `None` where a condition nftlint does not
/// read makes the field unknown: then nothing is claimed.
#[derive(Default)]
struct Field {
    unknown: bool,
    /// Integers every `==` condition allows; `None` before the first.
    allowed: Option<Vec<(u128, u128)>>,
    /// Integers a `!=` condition excludes.
    excluded: Vec<(u128, u128)>,
    /// Interface names every `==` condition allows: (name, is a `*` prefix).
    names: Option<Vec<(String, bool)>>,
}

impl Field {
    /// Adds a condition; false when the field became unknown.
    fn add(&mut self, predicate: &Predicate) -> bool {
        let interval = |values: &Values| match values {
            Values::Ints(v) if v.len() == 1 => Some(v[0]),
            _ => None,
        };
        match (predicate.relation, &predicate.values) {
            (Relation::Eq, Values::Ints(values)) => self.allow(values.clone()),
            (Relation::Ne, Values::Ints(values)) => self.excluded.extend(values.iter().copied()),
            (Relation::Lt | Relation::Le | Relation::Gt | Relation::Ge, values)
                if interval(values).is_some() =>
            {
                let (lo, hi) = interval(values).expect("checked");
                let bound = match predicate.relation {
                    Relation::Lt if lo == 0 => vec![],
                    Relation::Lt => vec![(0, lo - 1)],
                    Relation::Le => vec![(0, hi)],
                    Relation::Gt if hi == u128::MAX => vec![],
                    Relation::Gt => vec![(hi + 1, u128::MAX)],
                    _ => vec![(lo, u128::MAX)],
                };
                self.allow(bound);
            }
            (Relation::Eq, Values::Names(names)) => {
                let kept = match self.names.take() {
                    None => names.clone(),
                    Some(before) => before
                        .into_iter()
                        .filter(|a| names.iter().any(|b| overlap(a, b)))
                        .collect(),
                };
                self.names = Some(kept);
            }
            _ => self.unknown = true,
        }
        !self.unknown
    }

    fn allow(&mut self, values: Vec<(u128, u128)>) {
        self.allowed = Some(match self.allowed.take() {
            None => values,
            Some(before) => intersect(&before, &values),
        });
    }

    fn is_empty(&self) -> bool {
        let ints_empty = self.allowed.as_ref().is_some_and(|allowed| {
            allowed
                .iter()
                .all(|&(lo, hi)| covered(lo, hi, &self.excluded))
        });
        ints_empty || self.names.as_ref().is_some_and(Vec::is_empty)
    }
}

fn intersect(a: &[(u128, u128)], b: &[(u128, u128)]) -> Vec<(u128, u128)> {
    let mut out = Vec::new();
    for &(alo, ahi) in a {
        for &(blo, bhi) in b {
            let (lo, hi) = (alo.max(blo), ahi.min(bhi));
            if lo <= hi {
                out.push((lo, hi));
            }
        }
    }
    out
}

/// Whether `lo..=hi` lies wholly inside the union of `by`.
fn covered(lo: u128, hi: u128, by: &[(u128, u128)]) -> bool {
    let mut by = by.to_vec();
    by.sort_unstable();
    let mut next = lo;
    for (blo, bhi) in by {
        if blo > next {
            return false;
        }
        if bhi >= hi {
            return true;
        }
        next = next.max(bhi + 1);
    }
    false
}

/// Whether two interface-name patterns can match one name.
fn overlap((a, a_prefix): &(String, bool), (b, b_prefix): &(String, bool)) -> bool {
    match (a_prefix, b_prefix) {
        (false, false) => a == b,
        (true, false) => b.starts_with(a.as_str()),
        (false, true) => a.starts_with(b.as_str()),
        (true, true) => a.starts_with(b.as_str()) || b.starts_with(a.as_str()),
    }
}
