//! Which rules a packet can reach. A rule is dead when every packet it matches is taken by
//! rules before it: in its chain, or in the chains that jumped there before the jump, or by the
//! conditions of those jumps. Packets are followed through every path of jumps from the base
//! chains; a rule is reached when some path brings it a packet.

use std::collections::{HashMap, HashSet};

use super::bdd::Encoder;
use super::compile::{Action, Ruleset};
use super::cube::Cube;
use super::field::Fields;
use super::index::CoverIndex;

/// What the analysis found for one rule.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) enum Reach {
    /// No path of jumps leads to the rule's chain.
    #[default]
    Unvisited,
    /// Some packet reaches the rule and matches it.
    Reached,
    /// No packet the chain sees can match the rule at all: a `never-matches` finding, not
    /// a question of order.
    Impossible,
    /// No packet reaches it: these rules (chain, rule) take all of its packets first.
    Dead { by: Vec<(usize, usize)> },
    /// Too costly to decide.
    Unknown,
}

impl Reach {
    fn merge(&mut self, other: Reach) {
        *self = match (std::mem::take(self), other) {
            (Reach::Reached, _) | (_, Reach::Reached) => Reach::Reached,
            (Reach::Unknown, _) | (_, Reach::Unknown) => Reach::Unknown,
            (Reach::Dead { mut by }, Reach::Dead { by: more }) => {
                for b in more {
                    if !by.contains(&b) {
                        by.push(b);
                    }
                }
                Reach::Dead { by }
            }
            (Reach::Dead { by }, _) | (_, Reach::Dead { by }) => Reach::Dead { by },
            (Reach::Impossible, _) | (_, Reach::Impossible) => Reach::Impossible,
            (Reach::Unvisited, Reach::Unvisited) => Reach::Unvisited,
        };
    }
}

/// Bounds that keep the analysis fast on any input; past them the chain is reported as not
/// analysed instead.
const MAX_PIECES: usize = 256;
const BDD_NODE_LIMIT: usize = 200_000;
/// The ruleset's budget counts rules; the walk spends its own, this many times larger, on the
/// rules it visits, the earlier rules it compares each with (or with its packets), and the nodes
/// of the decision diagrams it builds: a chain entered below many others, or a question that takes
/// hundreds of diagrams under the node limit each, can cost far more than its rules.
const WORK_PER_RULE: usize = 16;

/// The result for every rule of every compiled chain.
pub(crate) struct Reachability {
    pub rules: Vec<Vec<Reach>>,
    /// Chains whose analysis went over budget.
    pub skipped: Vec<usize>,
}

/// Packets a rule takes: its chain, its position and the cube.
type Taken = (usize, usize, Cube);

/// A chain on the path that led to the current one: where it jumped, and its rules before the
/// jump that end the chain for their packets.
struct Frame {
    chain: usize,
    jump: usize,
    covers: CoverIndex,
}

struct Walker<'a> {
    ruleset: &'a Ruleset,
    out: Reachability,
    /// What is left of the budget: see [`WORK_PER_RULE`].
    work_left: usize,
    encoder: Option<Encoder>,
    /// Per chain, what [`Walker::terminal`] found.
    terminal: HashMap<usize, Vec<Cube>>,
    /// Per chain, what [`Walker::might_end`] found.
    might_end: HashMap<usize, Vec<Cube>>,
    /// What the base chains before the current one on its hook drop: their drop rules' packets
    /// that no earlier rule of theirs took.
    earlier: CoverIndex,
    /// What the current base chain drops, for the chains after it.
    dropping: Vec<Taken>,
    /// Per chain, whether it is in `out.skipped`.
    skipped: Vec<bool>,
}

pub(crate) fn reachability(ruleset: &Ruleset) -> Reachability {
    let mut walker = Walker {
        ruleset,
        out: Reachability {
            rules: ruleset
                .chains
                .iter()
                .map(|c| vec![Reach::Unvisited; c.rules.len()])
                .collect(),
            skipped: Vec::new(),
        },
        work_left: WORK_PER_RULE * ruleset.budget,
        encoder: None,
        terminal: HashMap::new(),
        might_end: HashMap::new(),
        earlier: CoverIndex::new(0, [0, 0]),
        dropping: Vec::new(),
        skipped: vec![false; ruleset.chains.len()],
    };
    for chains in ruleset.hooks.each() {
        // Base chains of one hook run in priority order: what one drops, the chains of higher
        // priority never see. Chains of equal priority run in no defined order.
        walker.earlier = walker.index();
        let mut pending: Vec<(i32, Vec<Taken>)> = Vec::new();
        for &chain in chains {
            let base = ruleset.chains[chain].base.as_ref().expect("a base chain");
            for (_, drops) in pending.extract_if(.., |(priority, _)| *priority < base.priority) {
                for (chain, rule, cube) in drops {
                    walker.earlier.add(chain, rule, cube);
                }
            }
            walker.chain(chain, &base.universe, &base.universe, &mut Vec::new());
            pending.push((base.priority, std::mem::take(&mut walker.dropping)));
        }
    }
    walker.withdraw_unfinished();
    walker.out
}

impl Walker<'_> {
    /// An empty index over the ruleset's fields.
    fn index(&self) -> CoverIndex {
        let fields = &self.ruleset.fields;
        let keys = [
            fields.id("meta nfproto").expect("always a field"),
            fields.id("meta l4proto").expect("always a field"),
        ];
        CoverIndex::new(fields.len(), keys)
    }

    /// Walks `chain`, entered with packets of `guard` (the base universe and the conditions of
    /// the jumps on the way) through `frames`.
    fn chain(&mut self, chain: usize, universe: &Cube, guard: &Cube, frames: &mut Vec<Frame>) {
        // The packets rules before the current one surely take, for deciding which rules are
        // dead; and in a base chain, those they might take, for deciding what its drop rules
        // surely drop.
        let mut covers = self.index();
        let mut might_take = frames.is_empty().then(|| self.index());
        let compiled = &self.ruleset.chains[chain];
        self.work_left = self.work_left.saturating_sub(compiled.rules.len());
        if self.work_left == 0 {
            self.skip(chain);
            return;
        }
        for (position, rule) in compiled.rules.iter().enumerate() {
            // `cover` spends from the budget too.
            if self.work_left == 0 {
                self.skip(chain);
                return;
            }
            let reach = if rule.cube.is_empty() || !rule.cube.intersects(universe) {
                Reach::Impossible
            } else {
                let target = rule.cube.intersect(guard);
                if target.is_empty() {
                    Reach::Dead {
                        by: frames.iter().map(|f| (f.chain, f.jump)).collect(),
                    }
                } else {
                    self.cover(&covers, &target, frames)
                }
            };
            if reach == Reach::Unknown {
                self.skip(chain);
            }
            let reached = reach == Reach::Reached;
            if let Some(might_take) = &mut might_take
                && matches!(reach, Reach::Reached | Reach::Unknown)
            {
                if rule.exact && matches!(rule.action, Action::Drop | Action::Reject(_)) {
                    self.record_drop(chain, position, &rule.cube.intersect(guard), might_take);
                }
                self.might_take(might_take, chain, position);
            }
            self.out.rules[chain][position].merge(reach);
            if !reached {
                // A rule no packet reaches takes nothing from the rules after it.
                continue;
            }
            for target in rule.enters() {
                // A verdict map may name every chain: each one it enters costs.
                if self.work_left == 0 {
                    break;
                }
                self.work_left -= 1;
                let on_path = target == chain || frames.iter().any(|f| f.chain == target);
                if !on_path && frames.len() + 1 < super::eval::MAX_JUMPS {
                    frames.push(Frame {
                        chain,
                        jump: position,
                        covers,
                    });
                    let guard = guard.intersect(&rule.cube);
                    self.chain(target, universe, &guard, frames);
                    covers = frames.pop().expect("pushed above").covers;
                }
            }
            // Only now: the rules after this one lose its packets, the chain it enters does not.
            if !rule.exact {
                continue;
            }
            match rule.action {
                Action::Jump(target) => {
                    for taken in self
                        .terminal(target, frames.len())
                        .iter()
                        .filter_map(|cube| cube.meet(&rule.cube))
                    {
                        covers.add(chain, position, taken);
                    }
                }
                ref action if action.ends_chain() => covers.add(chain, position, rule.cube.clone()),
                _ => {}
            }
        }
    }

    /// Keeps what a base chain's drop rule surely takes (its packets no earlier rule might
    /// take, `might_take`) for the base chains after it; when that splits into too many pieces,
    /// they lose nothing.
    fn record_drop(&mut self, chain: usize, rule: usize, target: &Cube, might_take: &CoverIndex) {
        let earlier: Vec<&Cube> = might_take
            .candidates(target)
            .into_iter()
            .map(|id| &might_take.entry(id).2)
            .filter(|cube| cube.intersects(target))
            .collect();
        if let Some((pieces, _)) = remaining(target, &earlier, &self.ruleset.fields) {
            self.dropping
                .extend(pieces.into_iter().map(|piece| (chain, rule, piece)));
        }
    }

    /// Adds to `index` the packets rule `position` of `chain` might keep from the rules after it:
    /// all it matches, whether exactly or not, when it may end the chain or decide elsewhere;
    /// for a jump, those the chain jumped to might end.
    fn might_take(&mut self, index: &mut CoverIndex, chain: usize, position: usize) {
        let rule = &self.ruleset.chains[chain].rules[position];
        match rule.action {
            Action::Continue => {}
            Action::Jump(target) => {
                for cube in self.might_end(target, 1) {
                    if let Some(taken) = cube.meet(&rule.cube) {
                        index.add(chain, position, taken);
                    }
                }
            }
            _ => index.add(chain, position, rule.cube.clone()),
        }
    }

    fn skip(&mut self, chain: usize) {
        if !std::mem::replace(&mut self.skipped[chain], true) {
            self.out.skipped.push(chain);
        }
    }

    /// Withdraws what a walk that gave up on chains cannot back. Some of their rules were not
    /// walked on some path, nor the chains those rules hand packets to, nor what those chains
    /// hand on: in all of them no rule is said to be dead, impossible or unvisited, and they
    /// count as not analysed.
    fn withdraw_unfinished(&mut self) {
        let mut pending = self.out.skipped.clone();
        let mut withdrawn = vec![false; self.ruleset.chains.len()];
        // The lists of chains a named verdict map enters, shared by the rules that look it up,
        // each followed once: a map filled at run time names every chain of its table.
        let mut followed: HashSet<*const usize> = HashSet::new();
        while let Some(chain) = pending.pop() {
            if std::mem::replace(&mut withdrawn[chain], true) {
                continue;
            }
            self.skip(chain);
            for reach in &mut self.out.rules[chain] {
                if *reach != Reach::Reached {
                    *reach = Reach::Unknown;
                }
            }
            for rule in &self.ruleset.chains[chain].rules {
                if let Action::Jump(target) | Action::Goto(target) = rule.action {
                    pending.push(target);
                }
                if let Some(chains) = &rule.also_enters
                    && followed.insert(chains.as_ptr())
                {
                    pending.extend(chains.iter().filter(|&&c| !withdrawn[c]));
                }
            }
        }
    }

    /// Whether the rules walked before (`covers` in this chain, and those of the frames) take
    /// every packet of `target`.
    fn cover(&mut self, covers: &CoverIndex, target: &Cube, frames: &[Frame]) -> Reach {
        let fields = &self.ruleset.fields;
        let places: Vec<&CoverIndex> = [&self.earlier]
            .into_iter()
            .chain(frames.iter().map(|f| &f.covers))
            .chain([covers])
            .collect();
        // Most rules are reached, and most often by their lowest or highest packet: a point
        // finds the few rules that could hold it much faster than a cube finds those it meets.
        for highest in [false, true] {
            let packet = target.sample(fields, highest);
            let mut looked_at = 0;
            let held = places
                .iter()
                .any(|index| index.holds(&packet, &mut looked_at));
            self.work_left = self.work_left.saturating_sub(looked_at);
            if !held {
                return Reach::Reached;
            }
        }
        // The rules that meet the target, the callers' first: one of them may hold it whole.
        let mut candidates: Vec<((usize, usize), &Cube)> = Vec::new();
        for index in &places {
            let start = candidates.len();
            let ids = index.candidates(target);
            self.work_left = self.work_left.saturating_sub(ids.len());
            for id in ids {
                let (chain, rule, cube) = index.entry(id);
                if cube.intersects(target) {
                    candidates.push(((*chain, *rule), cube));
                }
            }
            if let Some(whole) = candidates[start..].iter().find(|c| target.is_subset(c.1)) {
                return Reach::Dead { by: vec![whole.0] };
            }
        }
        if candidates.is_empty() {
            return Reach::Reached;
        }
        let cubes: Vec<&Cube> = candidates.iter().map(|c| c.1).collect();
        let rules = |ids: Vec<usize>| {
            let mut by: Vec<(usize, usize)> = ids.into_iter().map(|i| candidates[i].0).collect();
            by.dedup();
            by
        };
        match remaining(target, &cubes, fields) {
            Some((left, _)) if !left.is_empty() => Reach::Reached,
            Some((_, used)) => Reach::Dead {
                by: rules(essential(target, &used, &cubes, fields)),
            },
            None => {
                let encoder = self.encoder.get_or_insert_with(|| Encoder::new(fields));
                match encoder.covered(target, &cubes, BDD_NODE_LIMIT, &mut self.work_left) {
                    Some(true) => Reach::Dead {
                        by: rules((0..cubes.len()).collect()),
                    },
                    Some(false) => Reach::Reached,
                    None => Reach::Unknown,
                }
            }
        }
    }

    /// The packets entering `chain` that it ends with accept or drop (directly or in chains it
    /// jumps to), as cubes: what a `jump` to it takes from the rules after the jump. Packets
    /// that rules not modelled exactly might take elsewhere are left out, so the answer never
    /// claims too much.
    fn terminal(&mut self, chain: usize, depth: usize) -> Vec<Cube> {
        if let Some(known) = self.terminal.get(&chain) {
            return known.clone();
        }
        let fields = &self.ruleset.fields;
        let mut taken: Vec<Cube> = Vec::new();
        // Packets that leave the chain without a final verdict, or might.
        let mut leave: Vec<Cube> = Vec::new();
        for rule in &self.ruleset.chains[chain].rules {
            let inner = match rule.action {
                // Only a rule that surely matches its cube surely sends those packets on.
                Action::Jump(target) | Action::Goto(target)
                    if rule.exact && depth + 1 < super::eval::MAX_JUMPS =>
                {
                    self.terminal(target, depth + 1)
                        .iter()
                        .filter_map(|c| c.meet(&rule.cube))
                        .collect()
                }
                Action::Accept | Action::Drop | Action::Reject(_) if rule.exact => {
                    vec![rule.cube.clone()]
                }
                _ => Vec::new(),
            };
            let leaving: Vec<&Cube> = leave.iter().collect();
            for cube in inner {
                // Past the bound of pieces, the chain is said to take less than it does.
                if let Some((pieces, _)) = remaining(&cube, &leaving, fields) {
                    taken.extend(pieces);
                }
            }
            let leaves = match rule.action {
                Action::Continue | Action::Jump(_) => false,
                Action::Return | Action::Goto(_) | Action::Elsewhere => true,
                Action::Accept | Action::Drop | Action::Reject(_) => !rule.exact,
            };
            if leaves {
                leave.push(rule.cube.clone());
            }
            if taken.len() > MAX_PIECES || leave.len() > MAX_PIECES {
                taken.truncate(MAX_PIECES);
                break;
            }
        }
        self.terminal.insert(chain, taken.clone());
        taken
    }

    /// The packets entering `chain` that might not come back from it, as cubes that may
    /// overlap: those of its rules that may accept, drop or go elsewhere, directly or in the
    /// chains they jump to. The counterpart of [`Walker::terminal`]: what a
    /// jump to the chain might take from the rules after the jump. `depth` jumps lead there.
    fn might_end(&mut self, chain: usize, depth: usize) -> Vec<Cube> {
        if let Some(known) = self.might_end.get(&chain) {
            return known.clone();
        }
        // Deeper than the kernel loads: the answer that claims nothing, without recursing on.
        if depth >= super::eval::MAX_JUMPS {
            return vec![Cube::universe()];
        }
        // A chain met again while its answer is pending (a loop of jumps) might end anything.
        self.might_end.insert(chain, vec![Cube::universe()]);
        let mut ends: Vec<Cube> = Vec::new();
        for rule in &self.ruleset.chains[chain].rules {
            match rule.action {
                Action::Continue | Action::Return => {}
                Action::Jump(target) => {
                    let inner = self.might_end(target, depth + 1);
                    ends.extend(inner.iter().filter_map(|c| c.meet(&rule.cube)));
                }
                _ => ends.push(rule.cube.clone()),
            }
            if ends.len() > MAX_PIECES {
                ends = vec![Cube::universe()];
                break;
            }
        }
        self.might_end.insert(chain, ends.clone());
        ends
    }
}

/// The cubes of `used` without those the others cover for: what to show as the cause.
fn essential(target: &Cube, used: &[usize], cubes: &[&Cube], fields: &Fields) -> Vec<usize> {
    let mut kept = used.to_vec();
    for i in (0..kept.len()).rev() {
        let without: Vec<&Cube> = kept
            .iter()
            .enumerate()
            .filter(|&(j, _)| j != i)
            .map(|(_, &k)| cubes[k])
            .collect();
        if remaining(target, &without, fields).is_some_and(|(left, _)| left.is_empty()) {
            kept.remove(i);
        }
    }
    kept
}

/// Takes the cubes out of `target` one by one: the disjoint pieces left, and the cubes that took
/// some of it; `None` past [`MAX_PIECES`] pieces.
pub(crate) fn remaining(
    target: &Cube,
    cubes: &[&Cube],
    fields: &Fields,
) -> Option<(Vec<Cube>, Vec<usize>)> {
    let mut pieces = vec![target.clone()];
    let mut used = Vec::new();
    for (i, cube) in cubes.iter().enumerate() {
        let mut next = Vec::with_capacity(pieces.len());
        let mut hit = false;
        for piece in pieces {
            if piece.intersects(cube) {
                hit = true;
                next.extend(piece.minus(cube, fields));
            } else {
                next.push(piece);
            }
        }
        if hit {
            used.push(i);
        }
        if next.len() > MAX_PIECES {
            return None;
        }
        pieces = next;
        if pieces.is_empty() {
            break;
        }
    }
    Some((pieces, used))
}

#[cfg(test)]
mod tests {

    use super::Reach;
    use crate::model::of_text;

    /// Ten chains, each jumping to the next from four rules: 4^9 paths. The analysis
    /// stops at its budget, says which chains it gave up on, and returns quickly.
    #[test]
    fn paths_past_the_budget_leave_chains_unanalysed_without_hanging() {
        let mut text = String::from("table inet t {\n");
        for level in 0..10 {
            let head = if level == 0 {
                "type filter hook input priority 0; policy drop;\n"
            } else {
                ""
            };
            let jumps = format!("jump c{}\n", level + 1).repeat(4);
            text.push_str(&format!(
                "chain c{level} {{\n{head}{jumps}udp dport 53 accept\n}}\n"
            ));
        }
        text.push_str("chain c10 {\nudp dport 53 accept\n}\n}\n");
        let started = std::time::Instant::now();
        let model = of_text("deep.nft", &text);
        let space = model.space();
        assert!(!space.reach.skipped.is_empty());
        // The paths not walked might reach any rule of those chains: none is said to be dead.
        for &chain in &space.reach.skipped {
            assert!(
                space.reach.rules[chain]
                    .iter()
                    .all(|r| matches!(r, Reach::Reached | Reach::Unknown)),
                "chain {chain}: {:?}",
                space.reach.rules[chain]
            );
        }
        let diagnostics = crate::rules::check(&model, &crate::Config::default());
        assert!(
            diagnostics
                .iter()
                .any(|d| d.severity == crate::Severity::Info
                    && d.message.contains("was not analysed"))
        );
        assert!(
            started.elapsed().as_secs() < 20,
            "took {:?}",
            started.elapsed()
        );
    }

    /// A chain entered by a verdict map (anonymous or named) or an anonymous chain's jump is
    /// walked with the packets of the rule that enters it, besides those of plain jumps: a rule
    /// there is dead only when all of them are taken. A named map whose elements the file does
    /// not give may enter any chain of its table.
    #[test]
    fn verdict_maps_and_anonymous_chains_enter_their_chains() {
        let text = r#"table inet t {
	map known {
		type inet_service : verdict
		elements = { 443 : goto by_named }
	}
	map filled_later {
		type inet_service : verdict
	}
	chain input {
		type filter hook input priority 0; policy accept;
		tcp dport vmap { 22 : accept, 80 : jump by_anonymous }
		tcp dport vmap @known
		udp dport vmap @filled_later
		ip saddr 10.0.0.1 jump { tcp dport 25 jump by_inner }
		iifname "eth*" jump by_anonymous
		iifname "wl*" jump by_named
		iifname "en*" jump by_inner
		iifname "br*" jump unknown_map
	}
	chain by_anonymous {
		iifname "eth*" accept
		accept
	}
	chain by_named {
		iifname "wl*" accept
		accept
	}
	chain by_inner {
		iifname "en*" accept
		accept
		accept
	}
	chain unknown_map {
		iifname "br*" accept
		accept
	}
}
"#;
        let model = of_text("maps.nft", text);
        let space = model.space();
        let reach = |name: &str, rule: usize| {
            let chain = space
                .ruleset
                .chains
                .iter()
                .position(|c| c.name == name)
                .expect("a chain");
            (chain, space.reach.rules[chain][rule].clone())
        };
        // Each chain's first rule takes all that its plain jump brings: its second rule sees only
        // what the map or the anonymous chain (packets from 10.0.0.1, of any interface) brings.
        for chain in ["by_anonymous", "by_named", "by_inner", "unknown_map"] {
            assert_eq!(reach(chain, 0).1, Reach::Reached, "{chain}");
            assert_eq!(reach(chain, 1).1, Reach::Reached, "{chain}");
        }
        let (by_inner, last) = reach("by_inner", 2);
        let Reach::Dead { mut by } = last else {
            panic!("the last rule of by_inner is reached: {last:?}");
        };
        by.sort_unstable();
        assert_eq!(by, [(by_inner, 0), (by_inner, 1)]);
    }

    /// A base chain's drop rule takes from the base chains after it only the packets no rule
    /// before it might take: not those a verdict map in a chain it jumped to might accept.
    #[test]
    fn later_base_chains_lose_only_what_is_surely_dropped() {
        let text = r#"table inet t {
	chain input {
		type filter hook input priority 0; policy accept;
		jump decide
		tcp dport 22 accept
		reject
	}
	chain decide {
		tcp dport vmap { 80 : accept }
	}
}
table inet u {
	chain input {
		type filter hook input priority 10; policy accept;
		tcp dport 80 accept
		tcp dport 22 accept
		udp dport 53 accept
	}
}
"#;
        let model = of_text("tables.nft", text);
        let space = model.space();
        let u = space
            .ruleset
            .chains
            .iter()
            .position(|c| model.tables[c.table].name == "u")
            .expect("table u's chain");
        let reach = &space.reach.rules[u];
        assert_eq!(reach[0], Reach::Reached, "the map may accept port 80");
        assert_eq!(reach[1], Reach::Reached, "port 22 is accepted");
        assert_eq!(
            reach[2],
            Reach::Dead { by: vec![(0, 2)] },
            "DNS is rejected"
        );
    }
}
