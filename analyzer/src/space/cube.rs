//! Cubes: sets of packets described field by field (`tcp dport 22 ip saddr 10.0.0.0/8` is the
//! cube dport ∈ {22}, saddr ∈ 10.0.0.0–10.255.255.255, every other field free). What one rule
//! matches is a cube; what several rules match together is a union of cubes.

use super::field::{FieldId, Fields};
use super::intset::IntSet;

/// A packet: one value per field, by [`FieldId`].
pub(crate) type Point = Vec<u128>;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub(crate) struct Cube {
    /// The constrained fields, sorted by field; a field not listed takes any value.
    constraints: Vec<(FieldId, IntSet)>,
}

impl Cube {
    /// Every packet.
    pub(crate) fn universe() -> Cube {
        Cube::default()
    }

    pub(crate) fn constraints(&self) -> &[(FieldId, IntSet)] {
        &self.constraints
    }

    pub(crate) fn get(&self, field: FieldId) -> Option<&IntSet> {
        self.constraints
            .binary_search_by_key(&field, |(f, _)| *f)
            .ok()
            .map(|i| &self.constraints[i].1)
    }

    /// Narrows a field to the values also in `set`.
    pub(crate) fn constrain(&mut self, fields: &Fields, field: FieldId, set: IntSet) {
        match self.constraints.binary_search_by_key(&field, |(f, _)| *f) {
            Ok(i) => self.constraints[i].1 = self.constraints[i].1.intersect(&set),
            Err(_) if set.is_full(fields.max(field)) => {}
            Err(i) => self.constraints.insert(i, (field, set)),
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.constraints.iter().any(|(_, set)| set.is_empty())
    }

    pub(crate) fn intersect(&self, other: &Cube) -> Cube {
        let mut out = Vec::with_capacity(self.constraints.len() + other.constraints.len());
        let (mut i, mut j) = (0, 0);
        let (a, b) = (&self.constraints, &other.constraints);
        while i < a.len() || j < b.len() {
            match (a.get(i), b.get(j)) {
                (Some((fa, sa)), Some((fb, sb))) if fa == fb => {
                    out.push((*fa, sa.intersect(sb)));
                    i += 1;
                    j += 1;
                }
                (Some((fa, sa)), Some((fb, _))) if fa < fb => {
                    out.push((*fa, sa.clone()));
                    i += 1;
                }
                (Some(_), Some((fb, sb))) | (None, Some((fb, sb))) => {
                    out.push((*fb, sb.clone()));
                    j += 1;
                }
                (Some((fa, sa)), None) => {
                    out.push((*fa, sa.clone()));
                    i += 1;
                }
                (None, None) => unreachable!("the loop runs while one side has fields"),
            }
        }
        Cube { constraints: out }
    }

    /// Whether some packet is in both cubes (both must be non-empty).
    pub(crate) fn intersects(&self, other: &Cube) -> bool {
        let (a, b) = (&self.constraints, &other.constraints);
        let (mut i, mut j) = (0, 0);
        while i < a.len() && j < b.len() {
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    if !a[i].1.intersects(&b[j].1) {
                        return false;
                    }
                    i += 1;
                    j += 1;
                }
            }
        }
        true
    }

    /// The packets in both, if any. Most cubes a caller pairs share none, which is told without
    /// building their intersection.
    pub(crate) fn meet(&self, other: &Cube) -> Option<Cube> {
        if !self.intersects(other) {
            return None;
        }
        Some(self.intersect(other)).filter(|meet| !meet.is_empty())
    }

    /// Whether every packet of `self` is in `other`.
    pub(crate) fn is_subset(&self, other: &Cube) -> bool {
        other
            .constraints
            .iter()
            .all(|(field, theirs)| self.get(*field).is_some_and(|mine| mine.is_subset(theirs)))
    }

    pub(crate) fn contains(&self, point: &[u128]) -> bool {
        self.constraints
            .iter()
            .all(|(field, set)| set.contains(point[*field]))
    }

    /// The packets of `self` that are not in `other`, as disjoint cubes: for each field `other`
    /// constrains, the part outside it on that field and inside it on the fields before.
    pub(crate) fn minus(&self, other: &Cube, fields: &Fields) -> Vec<Cube> {
        if !self.intersects(other) {
            return vec![self.clone()];
        }
        let mut pieces = Vec::new();
        let mut inside = self.clone();
        for (field, theirs) in &other.constraints {
            let max = fields.max(*field);
            let mine = inside
                .get(*field)
                .cloned()
                .unwrap_or_else(|| IntSet::full(max));
            let outside = mine.minus(theirs, max);
            if !outside.is_empty() {
                let mut piece = inside.clone();
                piece.set(*field, outside);
                pieces.push(piece);
            }
            inside.set(*field, mine.intersect(theirs));
        }
        pieces
    }

    fn set(&mut self, field: FieldId, set: IntSet) {
        match self.constraints.binary_search_by_key(&field, |(f, _)| *f) {
            Ok(i) => self.constraints[i].1 = set,
            Err(i) => self.constraints.insert(i, (field, set)),
        }
    }

    /// One packet of the cube (which must not be empty): the smallest value of each field, or
    /// with `highest` the largest; free interface fields get a real interface, not none.
    pub(crate) fn sample(&self, fields: &Fields, highest: bool) -> Point {
        (0..fields.len())
            .map(|field| {
                let free = IntSet::full(fields.max(field));
                let set = self.get(field).unwrap_or(&free);
                let (lo, hi) = set.hull().unwrap_or_default();
                match (highest, fields.fields[field].domain) {
                    (true, _) => hi,
                    (false, super::field::Domain::Names) if lo == 0 && hi > 0 => 1,
                    (false, _) => lo,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::predicate::Predicate;

    fn fields() -> Fields {
        Fields::new(std::iter::empty::<&Predicate>())
    }

    fn ports(fields: &Fields, lo: u128, hi: u128) -> Cube {
        let mut cube = Cube::universe();
        cube.constrain(
            fields,
            fields.id("th dport").unwrap(),
            IntSet::range(lo, hi),
        );
        cube
    }

    #[test]
    fn minus_leaves_disjoint_pieces_outside_the_other_cube() {
        let fields = fields();
        let proto = fields.id("meta l4proto").unwrap();
        let mut tcp_ssh = ports(&fields, 22, 22);
        tcp_ssh.constrain(&fields, proto, IntSet::single(6));
        let any_low = ports(&fields, 0, 1023);
        let pieces = any_low.minus(&tcp_ssh, &fields);
        // Not tcp (any low port), then tcp but not port 22.
        assert_eq!(pieces.len(), 2);
        assert!(pieces.iter().all(|p| !p.intersects(&tcp_ssh)));
        assert!(!pieces[0].intersects(&pieces[1]));
        assert!(tcp_ssh.is_subset(&any_low));
        assert!(!any_low.is_subset(&tcp_ssh));
    }
}
