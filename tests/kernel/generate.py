#!/usr/bin/env python3
"""Generates rulesets and packets for the differential test of `nftlint eval` against the kernel.

Each case is a ruleset NAME.nft and its packets NAME.jsonl (one {"path", "packet"} object a
line). The same seed always gives the same files.

What the kernel test lab can and cannot show shapes what is generated: a ruleset serves one
path (input, output or forward) and has base chains only on that path's hooks, so that the
packets the host sends back (a TCP reset, an ICMP error) are not traced too; packets arrive on
eth0-eth2, never on lo; conntrack states are new or established; packets are listed grouped
by path and interfaces, the way the lab runs them (each group on a freshly loaded ruleset).

    generate.py --seed 1 --count 40 --out DIR
"""
import argparse
import json
import os
import random

HOOKS = {
    "input": ["prerouting", "input"],
    "output": ["output", "postrouting"],
    "forward": ["prerouting", "forward", "postrouting"],
}
PORTS = [22, 53, 80, 443, 8080, 5000]
V4 = ["192.0.2.7", "198.51.100.9", "203.0.113.5", "10.1.2.3"]
V4_NETS = ["192.0.2.0/24", "198.51.100.0/24", "10.0.0.0/8"]
V6 = ["2001:db8::7", "2001:db8:1::9", "2001:db8:2::5"]
V6_NETS = ["2001:db8::/64", "2001:db8:1::/48"]
IFACES = ["eth0", "eth1", "eth2"]


class Gen:
    def __init__(self, rnd, path):
        self.r = rnd
        self.path = path
        self.sets = []  # (table family, declaration lines)

    def pick(self, seq):
        return self.r.choice(seq)

    def distinct(self, seq, k):
        return self.r.sample(seq, k)

    def match(self, family, hook, table_sets, l3=None, l4=None):
        """One match statement valid in a table of `family` on `hook`, and for a packet of
        the layer-3 (4 or 6) and layer-4 protocols earlier matches of the rule imply."""
        v4 = family in ("ip", "inet") and l3 != 6
        v6 = family in ("ip6", "inet") and l3 != 4
        # (text, layer 3, layer 4) makers.
        options = [
            lambda: (f"th dport {self.pick(PORTS)}", None, None),
            lambda: (f"ct state {self.pick(['new', 'established', 'established,related', 'invalid'])}", None, None),
            lambda: (f"ct state {{ {self.pick(['new', 'established'])}, related }}", None, None),
            lambda: (f"ct state != {self.pick(['new', 'established'])}", None, None),
            lambda: (f"meta mark {self.pick([0, 5])}", None, None),
        ]
        if l4 in (None, "tcp"):
            options += [
                lambda: (f"tcp dport {self.pick(PORTS)}", None, "tcp"),
                lambda: ("tcp dport {{ {}, {} }}".format(*self.distinct(PORTS, 2)), None, "tcp"),
                lambda: (f"tcp dport {self.pick([20, 50])}-{self.pick([80, 1000, 9000])}", None, "tcp"),
                lambda: (f"tcp dport != {self.pick(PORTS)}", None, "tcp"),
                lambda: ("tcp flags syn", None, "tcp"),
                lambda: ("tcp flags & (syn | ack) == syn", None, "tcp"),
                lambda: (f"tcp sport {self.pick([40000, 1024])}", None, "tcp"),
            ]
        if l4 in (None, "udp"):
            options += [lambda: (f"udp dport {self.pick(PORTS)}", None, "udp")]
        if l4 is None:
            options += [lambda: (lambda p: (f"meta l4proto {p}", None, p))(self.pick(["tcp", "udp"]))]
        if hook in ("prerouting", "input", "forward"):
            options += [
                lambda: (f'iifname "{self.pick(IFACES)}"', None, None),
                lambda: ('iifname "eth*"', None, None),
                lambda: (f'iifname != "{self.pick(IFACES)}"', None, None),
                lambda: ('iifname {{ "{}", "{}" }}'.format(*self.distinct(IFACES, 2)), None, None),
            ]
        if hook in ("output", "postrouting", "forward"):
            options += [
                lambda: (f'oifname "{self.pick(IFACES)}"', None, None),
                lambda: ('oifname "eth*"', None, None),
            ]
        if v4:
            options += [
                lambda: (f"ip saddr {self.pick(V4)}", 4, None),
                lambda: (f"ip saddr {self.pick(V4_NETS)}", 4, None),
                lambda: (f"ip daddr != {self.pick(V4_NETS)}", 4, None),
                lambda: ("ip saddr {{ {}, {} }}".format(*self.distinct(V4, 2)), 4, None),
                lambda: (f"ip ttl {self.pick([64, 1])}", 4, None),
            ]
            if l4 in (None, "icmp"):
                options += [lambda: (f"icmp type {self.pick(['echo-request', 'echo-reply'])}", 4, "icmp")]
            if l4 in (None, "tcp"):
                options += [lambda: ("ip saddr . tcp dport {{ {} . {}, {} . {} }}".format(
                    V4[0], self.pick(PORTS), self.pick(V4[1:]), self.pick(PORTS)), 4, "tcp")]
            if table_sets:
                options += [lambda: (self.pick(table_sets), 4, None)] * 2
        if v6:
            options += [
                lambda: (f"ip6 saddr {self.pick(V6)}", 6, None),
                lambda: (f"ip6 saddr {self.pick(V6_NETS)}", 6, None),
                lambda: (f"ip6 daddr != {self.pick(V6_NETS)}", 6, None),
            ]
            if l4 in (None, "icmpv6"):
                options += [lambda: (f"icmpv6 type {self.pick(['echo-request', 'nd-neighbor-solicit'])}", 6, "icmpv6")]
        return self.r.choice(options)()

    def matches(self, family, hook, table_sets, count, l4=None):
        """`count` matches that can hold together, and the layer-4 protocol they imply."""
        l3 = None
        texts = []
        for _ in range(count):
            text, m3, m4 = self.match(family, hook, table_sets, l3, l4)
            texts.append(text)
            l3, l4 = m3 or l3, m4 or l4
        return texts, l4

    def rule(self, family, hook, chain_kind, targets, table_sets, can_reject):
        """A rule: up to two matches, maybe a statement, maybe a verdict."""
        r = self.r
        parts, l4 = self.matches(family, hook, table_sets, r.choice([0, 1, 1, 2]))
        if r.random() < 0.25:
            statements = ["counter", "meta mark set 5"]
            # The lab's own IPv6 neighbour discovery would drain a limit that ICMPv6 can reach.
            if l4 in ("tcp", "udp"):
                statements.append("limit rate 1/minute burst 1 packets")
            parts.append(self.pick(statements))
        verdicts = ["accept", "drop", "", ""]
        if chain_kind == "regular":
            verdicts += ["return"]
        if targets:
            target = self.pick(targets)
            verdicts += [f"jump {target}", f"goto {target}"]
            if r.random() < 0.3:
                other = self.pick(["accept", "drop", f"jump {target}"])
                parts, l4 = self.matches(family, hook, table_sets, r.choice([0, 1]), "tcp")
                first, second = self.distinct(PORTS, 2)
                parts.append(
                    f"tcp dport vmap {{ {first} : {other}, {second} : {self.pick(['accept', 'drop'])} }}"
                )
                return " ".join(parts)
        if can_reject:
            verdicts += ["reject"]
        if r.random() < 0.1 and not parts:
            parts.append(f"ct state vmap {{ established : accept, new : {self.pick(['drop', 'continue'])} }}")
            return " ".join(parts)
        verdict = self.pick(verdicts)
        # An unconditional accept or drop would end most traces right there.
        if not parts and verdict in ("accept", "drop", "reject"):
            parts += self.matches(family, hook, table_sets, 1, l4)[0]
        if verdict:
            parts.append(verdict)
        return " ".join(parts) if parts else "counter"


def ruleset(rnd, path):
    g = Gen(rnd, path)
    hooks = HOOKS[path]
    lines = []
    used_priorities = {h: set() for h in hooks}
    families = rnd.sample(["ip", "ip6", "inet", "inet"], rnd.choice([1, 2, 2, 3]))
    for t, family in enumerate(families):
        name = f"t{t}"
        table_sets = []
        body = []
        if family in ("ip", "inet") and rnd.random() < 0.5:
            body += [
                "\tset allow4 {",
                "\t\ttype ipv4_addr",
                "\t\tflags interval",
                f"\t\telements = {{ {rnd.choice(V4[1:3])}, {rnd.choice(['10.0.0.0/8', '192.0.2.0/25'])} }}",
                "\t}",
            ]
            table_sets.append("ip saddr @allow4")
            table_sets.append("ip saddr != @allow4")
        if rnd.random() < 0.4:
            body += [
                "\tmap ports {",
                "\t\ttype inet_service : verdict",
                f"\t\telements = {{ {PORTS[0]} : accept, {rnd.choice(PORTS[1:])} : drop }}",
                "\t}",
            ]
            port_map = "tcp dport vmap @ports"
        else:
            port_map = None
        regular = [f"c{i}" for i in range(rnd.choice([0, 1, 2]))]
        # Regular chains jump only to later ones: no loops.
        for i, chain in enumerate(regular):
            targets = regular[i + 1:]
            rules = [g.rule(family, hooks[-1], "regular", targets, table_sets, path == "input")
                     for _ in range(rnd.randint(1, 4))]
            body.append(f"\tchain {chain} {{")
            body += [f"\t\t{r}" for r in rules]
            body.append("\t}")
        for hook in rnd.sample(hooks, rnd.randint(1, len(hooks))):
            priority = rnd.choice([p for p in (-300, -150, -10, 0, 10, 50) if p not in used_priorities[hook]])
            used_priorities[hook].add(priority)
            policy = rnd.choice(["accept", "accept", "drop"])
            rules = []
            if priority == -300 and hook in ("prerouting", "output") and rnd.random() < 0.5:
                rules.append(f"{g.match(family, hook, [])[0]} notrack")
            # Jumps go only to chains whose matches make sense on this hook.
            targets = regular if hook == hooks[-1] else []
            rules += [g.rule(family, hook, "base", targets, table_sets, path == "input")
                      for _ in range(rnd.randint(1, 5))]
            if port_map and rnd.random() < 0.7:
                rules.insert(rnd.randint(0, len(rules)), port_map)
            body.append(f"\tchain {hook}_{t} {{")
            body.append(f"\t\ttype filter hook {hook} priority {priority}; policy {policy};")
            body += [f"\t\t{r}" for r in rules]
            body.append("\t}")
        lines.append(f"table {family} {name} {{")
        lines += body
        lines.append("}")
    v4 = any(f in ("ip", "inet") for f in families)
    v6 = any(f in ("ip6", "inet") for f in families)
    return "\n".join(lines) + "\n", v4, v6


def packet(rnd, path, v4, v6):
    words = []
    ipv6 = v6 and (not v4 or rnd.random() < 0.4)
    if path in ("input", "forward"):
        words += ["iifname", rnd.choice(IFACES)]
    if path == "forward":
        words += ["oifname", rnd.choice([i for i in IFACES if i != words[1]])]
    if ipv6:
        words += ["ip6", "saddr", rnd.choice(V6 + ["2001:db8:9::1"])]
        words += ["ip6", "daddr", rnd.choice(["2001:db8:3::1", "2001:db8::1"])]
    else:
        words += ["ip", "saddr", rnd.choice(V4 + ["192.0.2.200"])]
        words += ["ip", "daddr", rnd.choice(["192.0.2.1", "198.51.100.1"])]
    proto = rnd.choice(["tcp", "tcp", "udp", "icmp"])
    state = rnd.choice(["new", "new", "established"]) if proto != "icmp" else "new"
    if proto == "tcp":
        words += ["tcp", "dport", str(rnd.choice(PORTS))]
        if rnd.random() < 0.3:
            words += ["tcp", "sport", str(rnd.choice([40000, 1024]))]
    elif proto == "udp":
        words += ["udp", "dport", str(rnd.choice(PORTS))]
    else:
        family = "icmpv6" if ipv6 else "icmp"
        words += [family, "type", "echo-request"]
    words += ["ct", "state", state]
    return " ".join(words)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=40)
    ap.add_argument("--packets", type=int, default=8)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    rnd = random.Random(a.seed)
    for i in range(a.count):
        path = ["input", "output", "forward"][i % 3]
        text, v4, v6 = ruleset(rnd, path)
        name = f"gen-{a.seed}-{i:03}"
        with open(os.path.join(a.out, name + ".nft"), "w") as f:
            f.write(text)
        cases = [packet(rnd, path, v4, v6) for _ in range(a.packets)]
        # The lab runs the packets of one interface pair together: list them so.
        key = lambda spec: (spec.split()[1] if path != "output" else "", spec.split()[3] if path == "forward" else "")
        cases.sort(key=key)
        with open(os.path.join(a.out, name + ".jsonl"), "w") as f:
            for spec in cases:
                f.write(json.dumps({"path": path, "packet": spec}) + "\n")


if __name__ == "__main__":
    main()
