//! `NFT005 duplicate-definition`: a second definition that conflicts with the first.

super::declare_rule! {
/**
## What it finds

A `define` of a name that is already defined in the same or an enclosing scope (nft:
`redefinition of symbol`), a base chain declared again with another type or hook, and a set or
map declared again with another type. Declaring the same table or chain twice with the same
properties is fine: nft merges them.

## Why it matters

nft refuses the file. A second `define` usually means two fragments were written independently
and one of them silently expects the other's value.

## Example

```nft
define ssh_port = 22
define ssh_port = 2222
```

Fixed:

```nft
define ssh_port = 22
redefine ssh_port = 2222
```

## Fix

Rename one of the two, use `redefine` when the change is intended, or make the two declarations
agree.
*/
    code: "NFT005",
    name: "duplicate-definition",
    severity: Error,
    status: Stable,
}
