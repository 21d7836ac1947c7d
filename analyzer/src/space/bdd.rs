//! Packet sets as binary decision diagrams (biodivine-lib-bdd): each field is a run of boolean
//! variables, most significant bit first, fields in [`Fields`] order. Cubes cover the common
//! case; diagrams decide what cube splitting cannot do in bounded pieces, and sets that are
//! not unions of a few cubes, like what survives a pipeline of chains.

use biodivine_lib_bdd::{Bdd, BddVariable, BddVariableSet, op_function};

use super::cube::Cube;
use super::field::Fields;
use super::intset::{IntSet, max_of};

pub(crate) struct Encoder {
    variables: BddVariableSet,
    /// Per field: its variables, most significant first.
    bits: Vec<Vec<BddVariable>>,
    /// Per field: its largest value.
    max: Vec<u128>,
    /// Every field within its values: interface and state numbers stop short of their bits.
    domain: Bdd,
}

fn width(max: u128) -> usize {
    (128 - max.leading_zeros()).max(1) as usize
}

impl Encoder {
    pub(crate) fn new(fields: &Fields) -> Encoder {
        let max: Vec<u128> = (0..fields.len()).map(|f| fields.max(f)).collect();
        let widths: Vec<usize> = max.iter().map(|&m| width(m)).collect();
        let total: usize = widths.iter().sum();
        let variables = BddVariableSet::new_anonymous(total as u16);
        let all = variables.variables();
        let mut next = 0;
        let bits: Vec<Vec<BddVariable>> = widths
            .iter()
            .map(|&w| {
                let run = all[next..next + w].to_vec();
                next += w;
                run
            })
            .collect();
        let mut encoder = Encoder {
            domain: variables.mk_true(),
            variables,
            bits,
            max,
        };
        let mut domain = encoder.variables.mk_true();
        for (field, &m) in encoder.max.iter().enumerate() {
            if m != max_of(encoder.bits[field].len() as u32) {
                domain = domain.and(&encoder.interval(field, 0, m));
            }
        }
        encoder.domain = domain;
        encoder
    }

    pub(crate) fn mk_false(&self) -> Bdd {
        self.variables.mk_false()
    }

    /// Field value within [lo, hi], built bit by bit from the least significant end.
    fn interval(&self, field: usize, lo: u128, hi: u128) -> Bdd {
        let bits = &self.bits[field];
        let mut at_least = self.variables.mk_true();
        let mut at_most = self.variables.mk_true();
        for (i, &var) in bits.iter().rev().enumerate() {
            let x = self.variables.mk_var(var);
            at_least = if lo >> i & 1 == 1 {
                x.and(&at_least)
            } else {
                x.or(&at_least)
            };
            at_most = if hi >> i & 1 == 1 {
                x.not().or(&at_most)
            } else {
                x.not().and(&at_most)
            };
        }
        at_least.and(&at_most)
    }

    fn set(&self, field: usize, set: &IntSet) -> Bdd {
        set.ranges()
            .iter()
            .fold(self.variables.mk_false(), |acc, &(lo, hi)| {
                acc.or(&self.interval(field, lo, hi))
            })
    }

    /// The packets of a cube, within every field's values.
    pub(crate) fn cube(&self, cube: &Cube) -> Bdd {
        cube.constraints()
            .iter()
            .fold(self.domain.clone(), |acc, (field, set)| {
                acc.and(&self.set(*field, set))
            })
    }

    /// `a ∧ ¬b`, or `None` past `limit` nodes.
    pub(crate) fn and_not(&self, a: &Bdd, b: &Bdd, limit: usize) -> Option<Bdd> {
        Bdd::binary_op_with_limit(limit, a, b, op_function::and_not)
    }

    /// Whether the cubes together hold every packet of `target`; `None` when an intermediate
    /// result grows past `limit` nodes, or the nodes of all of them past `work_left`, which is
    /// debited with them: the time a question takes grows with those nodes, and each step can
    /// stay under `limit` while hundreds of steps together take minutes.
    pub(crate) fn covered(
        &self,
        target: &Cube,
        cubes: &[&Cube],
        limit: usize,
        work_left: &mut usize,
    ) -> Option<bool> {
        let mut left = self.cube(target);
        for cube in cubes {
            let step_limit = limit.min(*work_left);
            let next = self.and_not(&left, &self.cube(cube), step_limit);
            *work_left -= next.as_ref().map_or(step_limit, Bdd::size);
            left = next?;
            if left.is_false() {
                return Some(true);
            }
        }
        Some(left.is_false())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::predicate::Predicate;

    #[test]
    fn union_of_port_ranges_covers_the_range_between() {
        let fields = Fields::new(std::iter::empty::<&Predicate>());
        let port = fields.id("th dport").unwrap();
        let ports = |lo, hi| {
            let mut cube = Cube::universe();
            cube.constrain(&fields, port, IntSet::range(lo, hi));
            cube
        };
        let encoder = Encoder::new(&fields);
        let (a, b) = (ports(1, 100), ports(101, 200));
        assert_eq!(
            encoder.covered(&ports(50, 150), &[&a, &b], 10_000, &mut 100_000),
            Some(true)
        );
        assert_eq!(
            encoder.covered(&ports(50, 201), &[&a, &b], 10_000, &mut 100_000),
            Some(false)
        );
    }
}
