-- End-to-end test of the Neovim package: loads it as a package, opens the
-- fixtures, and checks what the nftlint language server answers through
-- Neovim's own LSP client.
--
--   NFTLINT=/path/to/nftlint nvim --headless --clean -l test/check.lua
--
-- Prints a PASS or FAIL line per check and exits 1 if any check failed.

local WAIT_MS = 20000 -- for each start, analysis or request
local DEADLINE_MS = 120000 -- for the whole run, so that a hang cannot block CI

local test_dir = vim.fn.fnamemodify(arg[0], ':p:h')
local package_dir = vim.fn.fnamemodify(test_dir, ':h')
local fixtures = test_dir .. '/fixtures/'
local nftlint = os.getenv('NFTLINT') or 'nftlint'

local passed, failed = 0, 0

--- Records and prints one check; `detail` says what was seen when it failed.
local function check(name, ok, detail)
  if ok then
    passed = passed + 1
    io.stdout:write('PASS  ' .. name .. '\n')
  else
    failed = failed + 1
    io.stdout:write('FAIL  ' .. name .. (detail and (': ' .. detail) or '') .. '\n')
  end
  return ok
end

--- `check`, unless `needed` is false or nil: an earlier failure covers it.
local function check_if(needed, ...)
  if needed then
    check(...)
  end
end

--- Prints the totals and exits, with 1 if any check failed.
local function finish()
  if failed > 0 then
    io.stdout:write('The LSP client logs to ' .. vim.lsp.get_log_path() .. '\n')
  end
  io.stdout:write(('%d passed, %d failed\n'):format(passed, failed))
  os.exit(failed == 0 and 0 or 1)
end

-- A timer's callback runs even while a wait below is stuck.
vim.uv.new_timer():start(DEADLINE_MS, 0, function()
  check(('the test finishes within %d s'):format(DEADLINE_MS / 1000), false)
  finish()
end)

if not check('NFTLINT is an executable: ' .. nftlint, vim.fn.executable(nftlint) == 1) then
  finish()
end

-- Load the package the way Neovim loads any package, from a 'packpath' entry.
-- Filetype detection is on already, so only `:packadd` (not a bare
-- 'runtimepath' entry) also sources its ftdetect/ scripts.
local packpath = vim.fn.tempname() -- Neovim removes it (the link, not its target) on exit
vim.fn.mkdir(packpath .. '/pack/test/opt', 'p')
assert(vim.uv.fs_symlink(package_dir, packpath .. '/pack/test/opt/nftlint'))
vim.o.packpath = packpath
vim.cmd.packadd('nftlint')

-- The package's lsp/nftlint.lua supplies everything but the binary's path.
vim.lsp.config('nftlint', { cmd = { nftlint, 'lsp' } })
vim.lsp.enable('nftlint')

local config_file = vim.api.nvim_get_runtime_file('lsp/nftlint.lua', true)
check(
  "the server's config is the package's lsp/nftlint.lua",
  #config_file == 1 and config_file[1]:find('/pack/test/opt/nftlint/', 1, true) ~= nil,
  vim.inspect(config_file)
)

-- Which buffers a client attached to, and which got diagnostics (an empty list
-- included: that is how a clean file's answer arrives).
local attached, published = {}, {}
vim.api.nvim_create_autocmd('LspAttach', {
  callback = function(ev)
    attached[ev.buf] = ev.data.client_id
  end,
})
vim.api.nvim_create_autocmd('DiagnosticChanged', {
  callback = function(ev)
    published[ev.buf] = true
  end,
})

--- Diagnostics in one line each, for a failure's detail.
local function summary(diagnostics)
  return vim.inspect(vim.tbl_map(function(d)
    local severity = vim.diagnostic.severity[d.severity]
    return ('%s %s %d:%d %s'):format(d.code, severity, d.lnum, d.col, d.message)
  end, diagnostics))
end

--- Opens a fixture and checks its filetype; returns the buffer.
local function open(name)
  vim.cmd.edit(vim.fn.fnameescape(fixtures .. name))
  local buf = vim.api.nvim_get_current_buf()
  check(name .. ' has filetype nftables', vim.bo[buf].filetype == 'nftables', vim.bo[buf].filetype)
  return buf
end

--- Waits for the server to attach to `buf` and to publish diagnostics for it
--- that satisfy `done` (by default, any); returns the client and them.
local function analysed(buf, done)
  local name = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(buf), ':t')
  vim.wait(WAIT_MS, function()
    return attached[buf] ~= nil
  end)
  local client = vim.lsp.get_client_by_id(attached[buf] or -1)
  if not check('nftlint attached to ' .. name, client and client.name == 'nftlint') then
    return nil, {}
  end
  vim.wait(WAIT_MS, function()
    return published[buf] and (done == nil or done(vim.diagnostic.get(buf)))
  end)
  check('diagnostics arrived for ' .. name, published[buf])
  return client, vim.diagnostic.get(buf)
end

--- The 0-based line and column of the first `text` in `buf`.
local function find(buf, text)
  for lnum, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local col = line:find(text, 1, true)
    if col then
      return lnum - 1, col - 1
    end
  end
  error(text .. ' is not in the fixture')
end

--- Sends `method` at the start of the first `text` in `buf`, as a command run
--- with the cursor there would; returns the result, or nil and the error.
local function request_at(client, buf, method, text, extra)
  local lnum, col = find(buf, text)
  vim.api.nvim_win_set_cursor(0, { lnum + 1, col })
  local params = vim.lsp.util.make_position_params(0, client.offset_encoding)
  params = vim.tbl_extend('force', params, extra or {})
  local response, err = client:request_sync(method, params, WAIT_MS, buf)
  if not response then
    return nil, err
  end
  if response.err then
    return nil, vim.inspect(response.err)
  end
  return response.result
end

--- The (uri, 0-based line) of each place in a definition or references answer,
--- which may be one Location, a list of them, or LocationLinks.
local function places(result)
  if result == nil then
    return {}
  end
  if result.uri or result.targetUri then
    result = { result }
  end
  return vim.tbl_map(function(loc)
    local range = loc.targetSelectionRange or loc.range
    return { uri = loc.uri or loc.targetUri, line = range.start.line }
  end, result)
end

--- Checks that a definition answer is exactly one place: line `lnum` of `buf`.
local function check_definition(name, buf, result, err, lnum)
  local found = places(result)
  check(
    name,
    #found == 1 and found[1].uri == vim.uri_from_bufnr(buf) and found[1].line == lnum,
    err or ('expected line %d, got %s'):format(lnum, vim.inspect(found))
  )
end

--- Opens `file` and checks that its one diagnostic is `code` with `severity`,
--- at the first `anchor`, and that `also(d)` holds for it.
local function expect_one(name, file, anchor, code, severity, also)
  local buf = open(file)
  local client, diagnostics = analysed(buf, function(ds)
    return #ds > 0
  end)
  local d = diagnostics[1] or {}
  local lnum, col = find(buf, anchor)
  check_if(
    client,
    name,
    #diagnostics == 1
      and d.code == code
      and d.severity == severity
      and d.lnum == lnum
      and d.col == col
      and also(d),
    summary(diagnostics)
  )
end

-- An SSH lockout: an error on the chain whose drop policy locks SSH out.
expect_one(
  'lockout.nft: one error NFT202 about a lockout on the chain',
  'lockout.nft',
  'c {',
  'NFT202',
  vim.diagnostic.severity.ERROR,
  function(d)
    return d.source == 'nftlint' and d.message:lower():find('lockout') ~= nil
  end
)

-- Found by its name alone; a warning for a variable nothing uses.
expect_one(
  'nftables.conf: one warning NFT401 on the unused variable',
  'nftables.conf',
  'WEB =',
  'NFT401',
  vim.diagnostic.severity.WARN,
  function()
    return true
  end
)

-- Found by its `#!/usr/sbin/nft -f` line alone.
do
  open('shebang')
end

-- A clean ruleset: no errors, and the navigation a user does in it.
do
  local buf = open('clean.nft')
  local client, diagnostics = analysed(buf)
  if client then
    check(
      'clean.nft: no errors',
      #vim.diagnostic.get(buf, { severity = vim.diagnostic.severity.ERROR }) == 0,
      summary(diagnostics)
    )
    local define = find(buf, 'define ADMINS')
    local set = find(buf, 'set blocklist')

    local result, err = request_at(client, buf, 'textDocument/hover', 'ADMINS accept')
    local value = result and result.contents and result.contents.value or ''
    check(
      'hover on $ADMINS shows its definition',
      value:find('define ADMINS = { 192.0.2.0/24, 198.51.100.10 }', 1, true) ~= nil,
      err or vim.inspect(result)
    )

    result, err = request_at(client, buf, 'textDocument/definition', 'ADMINS accept')
    check_definition('definition of $ADMINS is its define', buf, result, err, define)

    result, err = request_at(client, buf, 'textDocument/definition', 'blocklist drop')
    check_definition('definition of @blocklist is its set', buf, result, err, set)

    result, err = request_at(
      client,
      buf,
      'textDocument/references',
      'ADMINS accept',
      { context = { includeDeclaration = true } }
    )
    local lines = vim.tbl_map(function(p)
      return p.line
    end, places(result))
    table.sort(lines)
    local ssh = find(buf, 'ssh ip saddr $ADMINS')
    local alt = find(buf, '8022 ip saddr $ADMINS')
    check(
      'references of $ADMINS are its define and both uses',
      vim.deep_equal(lines, { define, ssh, alt }),
      err or vim.inspect(lines)
    )

    -- Right after a `$`, the variables, each replacing the word there with its
    -- `$`: Neovim does not take `$` for part of a word, and would keep it
    -- before `$ADMINS`.
    result, err = request_at(client, buf, 'textDocument/completion', 'ADMINS accept')
    local items = result and (result.items or result) or {}
    local item = vim.iter(items):find(function(i)
      return i.label == '$ADMINS'
    end)
    local _, dollar = find(buf, '$ADMINS accept')
    local edit = item and item.textEdit
    check(
      'completion after $ offers $ADMINS, replacing the word and its $',
      edit ~= nil
        and edit.newText == '$ADMINS'
        and edit.range.start.line == ssh
        and edit.range.start.character == dollar
        and edit.range['end'].character == dollar + #'$ADMINS',
      err or vim.inspect(items)
    )
  end
end

-- The server must exit when Neovim asks it to.
local clients = vim.lsp.get_clients({ name = 'nftlint' })
for _, client in ipairs(clients) do
  client:stop()
end
check_if(
  #clients > 0,
  'the server shuts down',
  vim.wait(WAIT_MS, function()
    return vim.iter(clients):all(function(c)
      return c:is_stopped()
    end)
  end)
)

finish()
