//! `NFT002 undefined-variable`: a `$name` with no `define` before it.

super::declare_rule! {
/**
## What it finds

A variable used before any `define` gives it a value, used outside the table or chain where it
was defined, or removed by `undefine`. nft reports `unknown identifier 'name'`.

## Why it matters

nft refuses the whole file, so none of it is loaded. A typo in a variable name in a file that
only a reboot loads leaves the host without the intended firewall.

## Example

```nft
define wan_if = eth0
table inet filter {
    chain input {
        iifname $wan_ifc drop
    }
}
```

Fixed:

```nft
define wan_if = eth0
table inet filter {
    chain input {
        iifname $wan_if drop
    }
}
```

## Fix

Correct the name (the help suggests the closest defined one), or add the `define` above its
first use, at file level if several tables use it.
*/
    code: "NFT002",
    name: "undefined-variable",
    severity: Error,
    status: Stable,
}
