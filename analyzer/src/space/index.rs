//! Finds the rules already walked that can share packets with a cube, without comparing it with
//! every one of them. Rules are grouped by family and protocol (an IPv6 rule never takes an IPv4
//! rule's packets); inside a group, per field, the rules that leave the field free are listed
//! and the others are bucketed by the width of the interval they allow, sorted by its low end,
//! so a query only looks at intervals that start near its own.

use std::collections::BTreeMap;

use super::cube::Cube;
use super::intset::IntSet;

/// Buckets by interval width: bucket `k` holds intervals spanning fewer than 2^k values.
const BUCKETS: usize = 129;

fn bucket(lo: u128, hi: u128) -> usize {
    (128 - (hi - lo).leading_zeros()) as usize
}

fn span(k: usize) -> u128 {
    if k >= 128 { u128::MAX } else { 1u128 << k }
}

/// The rules of one group, by the number the caller gave them.
struct Group {
    /// The group's family and protocol values; `None` when free.
    key: [Option<IntSet>; 2],
    members: Vec<usize>,
    /// Per field: the members that leave it free.
    free: Vec<Vec<usize>>,
    /// Per field and bucket: (low end, member) to high end.
    bounded: Vec<Vec<BTreeMap<(u128, usize), u128>>>,
    /// Per field: the buckets in use.
    used: Vec<Vec<usize>>,
}

impl Group {
    fn new(key: [Option<IntSet>; 2], fields: usize) -> Group {
        Group {
            key,
            members: Vec::new(),
            free: vec![Vec::new(); fields],
            bounded: (0..fields).map(|_| Vec::new()).collect(),
            used: vec![Vec::new(); fields],
        }
    }

    fn add(&mut self, id: usize, cube: &Cube) {
        self.members.push(id);
        let mut constraints = cube.constraints().iter().peekable();
        for field in 0..self.free.len() {
            match constraints.next_if(|(f, _)| *f == field) {
                Some((_, set)) => {
                    let (lo, hi) = set.hull().expect("indexed cubes are not empty");
                    let buckets = &mut self.bounded[field];
                    if buckets.is_empty() {
                        buckets.resize_with(BUCKETS, BTreeMap::new);
                    }
                    let k = bucket(lo, hi);
                    if buckets[k].is_empty() {
                        self.used[field].push(k);
                    }
                    buckets[k].insert((lo, id), hi);
                }
                None => self.free[field].push(id),
            }
        }
    }

    /// The members whose interval on `field` meets [lo, hi], or `None` once more than `limit`.
    fn bounded_meeting(
        &self,
        field: usize,
        lo: u128,
        hi: u128,
        limit: usize,
    ) -> Option<Vec<usize>> {
        let mut out = Vec::new();
        for &k in &self.used[field] {
            let from = lo.saturating_sub(span(k));
            for (&(_, id), &end) in self.bounded[field][k].range((from, 0)..=(hi, usize::MAX)) {
                if end >= lo {
                    if out.len() == limit {
                        return None;
                    }
                    out.push(id);
                }
            }
        }
        Some(out)
    }

    /// Members whose interval on every field meets `bounds` (field, low, high), or a superset:
    /// those of the field that narrows them most. Which field that is shows only by looking, so
    /// every field is asked for a few candidates first, then for more, until one answers. The
    /// caller leaves out the fields that key the groups: all members of a group agree on them,
    /// so they never narrow anything.
    fn candidates(&self, bounds: impl Iterator<Item = (usize, u128, u128)> + Clone) -> Vec<usize> {
        let mut limit = 16;
        while limit < self.members.len() {
            for (field, lo, hi) in bounds.clone() {
                let free = &self.free[field];
                if free.len() >= limit {
                    continue;
                }
                if let Some(mut found) = self.bounded_meeting(field, lo, hi, limit - free.len()) {
                    found.extend_from_slice(free);
                    return found;
                }
            }
            limit *= 4;
        }
        self.members.clone()
    }
}

/// An index over the cubes of rules, filled in the order the rules are walked.
pub(crate) struct CoverIndex {
    /// What was added: the rule's chain and position, and the cube of packets it takes.
    entries: Vec<(usize, usize, Cube)>,
    fields: usize,
    /// The two fields that group rules: family and layer-4 protocol.
    keys: [usize; 2],
    groups: Vec<Group>,
}

impl CoverIndex {
    pub(crate) fn new(fields: usize, keys: [usize; 2]) -> CoverIndex {
        CoverIndex {
            entries: Vec::new(),
            fields,
            keys,
            groups: Vec::new(),
        }
    }

    fn key(&self, cube: &Cube) -> [Option<IntSet>; 2] {
        self.keys.map(|field| cube.get(field).cloned())
    }

    /// Adds the packets `cube` that rule `rule` of chain `chain` takes.
    pub(crate) fn add(&mut self, chain: usize, rule: usize, cube: Cube) {
        let id = self.entries.len();
        let key = self.key(&cube);
        let group = match self.groups.iter().position(|g| g.key == key) {
            Some(i) => &mut self.groups[i],
            None => {
                self.groups.push(Group::new(key, self.fields));
                self.groups.last_mut().expect("just pushed")
            }
        };
        group.add(id, &cube);
        self.entries.push((chain, rule, cube));
    }

    /// An entry by id: the rule's chain and position, and the packets it takes.
    pub(crate) fn entry(&self, id: usize) -> &(usize, usize, Cube) {
        &self.entries[id]
    }

    /// The ids of the entries that may share packets with `cube` (a superset; the caller checks
    /// each).
    pub(crate) fn candidates(&self, cube: &Cube) -> Vec<usize> {
        if cube.is_empty() {
            return Vec::new();
        }
        let key = self.key(cube);
        let meets = |a: &Option<IntSet>, b: &Option<IntSet>| match (a, b) {
            (Some(a), Some(b)) => a.intersects(b),
            _ => true,
        };
        let bounds = || {
            cube.constraints()
                .iter()
                .filter(|(field, _)| !self.keys.contains(field))
                .map(|(field, set)| {
                    let (lo, hi) = set.hull().expect("not empty");
                    (*field, lo, hi)
                })
        };
        let mut out: Vec<usize> = self
            .groups
            .iter()
            .filter(|g| meets(&g.key[0], &key[0]) && meets(&g.key[1], &key[1]))
            .flat_map(|g| g.candidates(bounds()))
            .collect();
        out.sort_unstable();
        out
    }

    /// Whether some entry holds the packet. The entries looked at are added to `looked_at`, for
    /// the caller's budget.
    pub(crate) fn holds(&self, packet: &[u128], looked_at: &mut usize) -> bool {
        let fits = |key: &Option<IntSet>, field: usize| {
            key.as_ref().is_none_or(|k| k.contains(packet[field]))
        };
        self.groups
            .iter()
            .filter(|g| fits(&g.key[0], self.keys[0]) && fits(&g.key[1], self.keys[1]))
            .any(|g| {
                let bounds = packet
                    .iter()
                    .enumerate()
                    .filter(|(field, _)| !self.keys.contains(field))
                    .map(|(field, &v)| (field, v, v));
                let candidates = g.candidates(bounds);
                *looked_at += candidates.len();
                candidates
                    .into_iter()
                    .any(|id| self.entries[id].2.contains(packet))
            })
    }
}
