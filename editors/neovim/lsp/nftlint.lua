-- nftlint language server for nftables rulesets.
--
-- Neovim 0.11 finds this file on the 'runtimepath' when you call
-- `vim.lsp.enable('nftlint')`. Override any field without copying the file:
--
--   vim.lsp.config('nftlint', { cmd = { '/path/to/nftlint', 'lsp' } })

---@type vim.lsp.Config
return {
  -- The server speaks LSP over stdin/stdout.
  cmd = { 'nftlint', 'lsp' },
  -- Set by ftdetect/nftables.lua for *.nft, nftables.conf and `nft -f` scripts.
  filetypes = { 'nftables' },
  -- The workspace root: the folder of the nearest nftlint.toml (the
  -- configuration the command line would use), else the repository's.
  root_markers = { 'nftlint.toml', '.git' },
}
