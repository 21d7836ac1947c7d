//! Sets of integers as sorted, disjoint, non-adjacent inclusive intervals: the values one field
//! of a packet may take.

/// A set of values of a field whose values run from 0 to some `max`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct IntSet {
    /// Sorted, disjoint and never touching: `[(1, 3), (5, 5)]`, never `[(1, 3), (4, 5)]`.
    ranges: Ranges,
}

/// Most sets are one or two intervals (a prefix, a port, everything but one address): those
/// live inline, which spares the allocator most of the analysis's work.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Ranges {
    Inline(u8, [(u128, u128); 2]),
    Heap(Vec<(u128, u128)>),
}

impl Ranges {
    fn new(ranges: Vec<(u128, u128)>) -> Ranges {
        match ranges.as_slice() {
            [] => Ranges::Inline(0, [(0, 0); 2]),
            [a] => Ranges::Inline(1, [*a, (0, 0)]),
            [a, b] => Ranges::Inline(2, [*a, *b]),
            _ => Ranges::Heap(ranges),
        }
    }
}

impl std::ops::Deref for Ranges {
    type Target = [(u128, u128)];

    fn deref(&self) -> &Self::Target {
        match self {
            Ranges::Inline(len, ranges) => &ranges[..*len as usize],
            Ranges::Heap(ranges) => ranges,
        }
    }
}

/// The largest value of a field `bits` wide.
pub(crate) fn max_of(bits: u32) -> u128 {
    if bits >= 128 {
        u128::MAX
    } else {
        (1u128 << bits) - 1
    }
}

impl IntSet {
    pub(crate) fn empty() -> Self {
        IntSet {
            ranges: Ranges::new(Vec::new()),
        }
    }

    pub(crate) fn full(max: u128) -> Self {
        IntSet::range(0, max)
    }

    pub(crate) fn range(lo: u128, hi: u128) -> Self {
        if lo > hi {
            return IntSet::empty();
        }
        IntSet {
            ranges: Ranges::Inline(1, [(lo, hi), (0, 0)]),
        }
    }

    pub(crate) fn single(value: u128) -> Self {
        IntSet::range(value, value)
    }

    /// The union of any intervals, in any order, overlapping or not.
    pub(crate) fn from_ranges(mut ranges: Vec<(u128, u128)>) -> Self {
        ranges.retain(|&(lo, hi)| lo <= hi);
        ranges.sort_unstable();
        let mut merged: Vec<(u128, u128)> = Vec::with_capacity(ranges.len());
        for (lo, hi) in ranges {
            match merged.last_mut() {
                Some(last) if lo <= last.1.saturating_add(1) => last.1 = last.1.max(hi),
                _ => merged.push((lo, hi)),
            }
        }
        IntSet {
            ranges: Ranges::new(merged),
        }
    }

    pub(crate) fn ranges(&self) -> &[(u128, u128)] {
        &self.ranges
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    pub(crate) fn is_full(&self, max: u128) -> bool {
        *self.ranges == [(0, max)]
    }

    pub(crate) fn contains(&self, value: u128) -> bool {
        let i = self.ranges.partition_point(|&(_, hi)| hi < value);
        self.ranges.get(i).is_some_and(|&(lo, _)| lo <= value)
    }

    /// The smallest and largest value, or `None` when empty.
    pub(crate) fn hull(&self) -> Option<(u128, u128)> {
        Some((self.ranges.first()?.0, self.ranges.last()?.1))
    }

    pub(crate) fn intersect(&self, other: &IntSet) -> IntSet {
        let mut out = Vec::new();
        let (mut i, mut j) = (0, 0);
        while i < self.ranges.len() && j < other.ranges.len() {
            let (a, b) = (self.ranges[i], other.ranges[j]);
            let lo = a.0.max(b.0);
            let hi = a.1.min(b.1);
            if lo <= hi {
                out.push((lo, hi));
            }
            if a.1 < b.1 { i += 1 } else { j += 1 }
        }
        IntSet {
            ranges: Ranges::new(out),
        }
    }

    pub(crate) fn intersects(&self, other: &IntSet) -> bool {
        let (mut i, mut j) = (0, 0);
        while i < self.ranges.len() && j < other.ranges.len() {
            let (a, b) = (self.ranges[i], other.ranges[j]);
            if a.0.max(b.0) <= a.1.min(b.1) {
                return true;
            }
            if a.1 < b.1 { i += 1 } else { j += 1 }
        }
        false
    }

    pub(crate) fn is_subset(&self, other: &IntSet) -> bool {
        self.ranges.iter().all(|&(lo, hi)| {
            let i = other.ranges.partition_point(|&(_, h)| h < lo);
            other
                .ranges
                .get(i)
                .is_some_and(|&(l, h)| l <= lo && hi <= h)
        })
    }

    /// The values up to `max` that are not in the set.
    pub(crate) fn complement(&self, max: u128) -> IntSet {
        let mut out = Vec::with_capacity(self.ranges.len() + 1);
        let mut next = Some(0u128);
        for &(lo, hi) in self.ranges.iter() {
            if let Some(start) = next
                && start < lo
            {
                out.push((start, lo - 1));
            }
            next = hi.checked_add(1);
        }
        if let Some(start) = next
            && start <= max
        {
            out.push((start, max));
        }
        IntSet {
            ranges: Ranges::new(out),
        }
    }

    pub(crate) fn minus(&self, other: &IntSet, max: u128) -> IntSet {
        self.intersect(&other.complement(max))
    }

    pub(crate) fn union(&self, other: &IntSet) -> IntSet {
        IntSet::from_ranges(
            self.ranges
                .iter()
                .chain(other.ranges.iter())
                .copied()
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_algebra_on_intervals() {
        let a = IntSet::from_ranges(vec![(5, 9), (1, 3), (4, 4), (20, 30)]);
        assert_eq!(a.ranges(), &[(1, 9), (20, 30)]);
        let b = IntSet::range(8, 25);
        assert_eq!(a.intersect(&b).ranges(), &[(8, 9), (20, 25)]);
        assert_eq!(a.minus(&b, 255).ranges(), &[(1, 7), (26, 30)]);
        assert_eq!(a.complement(255).ranges(), &[(0, 0), (10, 19), (31, 255)]);
        assert!(IntSet::range(2, 3).is_subset(&a));
        assert!(!IntSet::range(9, 10).is_subset(&a));
        assert!(a.contains(20) && !a.contains(10));
        assert!(IntSet::full(u128::MAX).complement(u128::MAX).is_empty());
        assert!(IntSet::empty().complement(u128::MAX).is_full(u128::MAX));
    }
}
