//! `NFT004 include-error`: an `include` nft cannot follow.

super::declare_rule! {
/**
## What it finds

An `include` of a file that does not exist (a glob that matches nothing is fine), of something
that is not a regular file, a file that includes itself through a chain of includes, or includes
nested more than 16 levels deep.

## Why it matters

nft refuses the whole ruleset when an include fails. Includes are resolved on the host that loads
the file: a path that exists on your workstation may not exist on the server.

## Example

```nft
include "/etc/nftables.d/sets.nft"
```

Fixed, when the file is optional and lives in a directory of fragments:

```nft
include "/etc/nftables.d/[0-9a-z]*.nft"
```

## Fix

Correct the path, add the directory nftlint should search with `--include-path` (nft's `-I`),
or use a glob for optional fragments. Break include cycles.
*/
    code: "NFT004",
    name: "include-error",
    severity: Error,
    status: Stable,
}
