-- Neovim 0.11 has no nftables filetype: name the files nft reads so that the
-- language server (and any nftables syntax plugin) attaches to them.
vim.filetype.add({
  extension = { nft = 'nftables' },
  -- Debian's /etc/nftables.conf, Fedora's /etc/sysconfig/nftables.conf.
  filename = { ['nftables.conf'] = 'nftables' },
  pattern = {
    -- Any other file whose first line runs it with nft, as in
    -- `#!/usr/sbin/nft -f` or `#!/usr/bin/env -S nft -f`. The lowest priority
    -- makes this the last rule tried, so it only reads files no name matched.
    ['.*'] = {
      function(_, bufnr)
        local first = vim.api.nvim_buf_get_lines(bufnr, 0, 1, false)[1] or ''
        if first:match('^#!.-[/%s]nft%s+%-%a*f') then
          return 'nftables'
        end
      end,
      { priority = -math.huge },
    },
  },
})
