-- Drives a headless Neovim through the README's recipe (tests/test_nvim.py runs it).
--
-- NXL_RECIPE: the README's Neovim blocks (separated by `;`), run as a user's init.lua would; NXL_DOC: a broken
-- nexlayer.yaml; NXL_CONFIG: where a .nexlayer-lint.toml is to be written from the editor;
-- NXL_RESULT: where the JSON of what happened goes. Every step waits for a condition (never a
-- fixed time) up to NXL_WAIT_MS; a step that times out is recorded with what was there instead,
-- and the run stops.

local wait_ms = tonumber(os.getenv("NXL_WAIT_MS") or "30000")
local result = { steps = {} }

local function finish()
  local file = assert(io.open(os.getenv("NXL_RESULT"), "w"))
  file:write(vim.json.encode(result))
  file:close()
  vim.cmd("qall!")
end

local function diagnostics(buf)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(out, {
      code = d.code, lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
      severity = d.severity, source = d.source, message = d.message,
    })
  end
  table.sort(out, function(a, b)
    return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col)
  end)
  return out
end

local function codes(buf)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(out, tostring(d.code))
  end
  table.sort(out)
  return table.concat(out, ",")
end

-- Wait for `condition`; record the step with `observe()` either way; stop the run on a timeout.
local function step(name, condition, observe)
  local ok = vim.wait(wait_ms, condition, 20)
  table.insert(result.steps, { name = name, ok = ok, seen = observe() })
  if not ok then
    error("timed out: " .. name, 0)
  end
end

local function floating_text()
  for _, win in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(win).relative ~= "" then
      return table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(win), 0, -1, false), "\n"), win
    end
  end
  return nil
end

-- `K` at (row, col): the hover's floating window, closed again once read.
local function hover(name, row, col)
  vim.api.nvim_win_set_cursor(0, { row, col })
  vim.lsp.buf.hover()
  step(name, function() return floating_text() ~= nil end, function() return floating_text() end)
  local _, win = floating_text()
  vim.api.nvim_win_close(win, true)
end

local function buffer_text(buf)
  return table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n") .. "\n"
end

local function open_document()
  for recipe in string.gmatch(os.getenv("NXL_RECIPE"), "[^;]+") do
    dofile(recipe)
  end
  vim.cmd.edit(vim.fn.fnameescape(os.getenv("NXL_DOC")))
  local buf = vim.api.nvim_get_current_buf()
  result.filetype = vim.bo[buf].filetype
  step("attached", function()
    return #vim.lsp.get_clients({ bufnr = buf, name = "nexlayer_lint" }) > 0
  end, function() return #vim.lsp.get_clients({ bufnr = buf }) end)
  step("diagnostics", function() return codes(buf) == "NX005,NX101,NX213,NX215" end,
    function() return diagnostics(buf) end)
  return buf
end

-- NXL_SCENARIO=watch: the config changes outside the editor (a checkout, another program), and
-- Neovim's file watcher tells the server.
local function watch()
  local buf = open_document()
  step("watching", function()
    local client = vim.lsp.get_clients({ bufnr = buf, name = "nexlayer_lint" })[1]
    return client ~= nil and client.dynamic_capabilities:get("workspace/didChangeWatchedFiles") ~= nil
  end, function() return true end)
  local file = assert(io.open(os.getenv("NXL_CONFIG"), "w"))
  file:write('ignore = ["NX2"]\n')
  file:close()
  step("config relinted", function() return codes(buf) == "NX005,NX101" end, function() return diagnostics(buf) end)
end

local function run()
  if os.getenv("NXL_SCENARIO") == "watch" then
    return watch()
  end
  local buf = open_document()

  hover("hover on a finding", 7, 8)  -- `servicePort`, NX101
  hover("hover on a key", 5, 7)      -- `image`: what the schema says

  -- the quick fix on the misspelt required key, chosen by its title, applied as a user's choice would be
  vim.api.nvim_win_set_cursor(0, { 7, 8 })
  vim.lsp.buf.code_action({
    apply = true,
    filter = function(action) return action.title == 'Rename to "servicePorts"' end,
  })
  step("quick fix applied", function() return vim.api.nvim_buf_get_lines(buf, 6, 7, false)[1] == "      servicePorts: [80]" end,
    function() return buffer_text(buf) end)
  step("quick fix relinted", function() return codes(buf) == "NX005,NX213,NX215" end,
    function() return diagnostics(buf) end)

  -- an edit typed into the buffer
  vim.api.nvim_buf_set_lines(buf, 4, 5, false, { "      image: nginx:1.27" })
  step("edit relinted", function() return codes(buf) == "NX005,NX213" end, function() return diagnostics(buf) end)

  -- every safe fix at once (source.fixAll.nexlayer-lint, resolved by Neovim)
  vim.lsp.buf.code_action({ apply = true, context = { only = { "source.fixAll" } } })
  step("fix all applied", function() return vim.api.nvim_buf_get_lines(buf, 8, 9, false)[1] == '        DEBUG: "yes"' end,
    function() return buffer_text(buf) end)
  step("fix all relinted", function() return codes(buf) == "NX213" end, function() return diagnostics(buf) end)

  -- the config, written from the editor: the open document is linted again with it
  vim.cmd.split(vim.fn.fnameescape(os.getenv("NXL_CONFIG")))
  vim.api.nvim_buf_set_lines(0, 0, -1, false, { 'ignore = ["NX213"]' })
  vim.cmd.write()
  step("config relinted", function() return codes(buf) == "" end, function() return diagnostics(buf) end)
  result.text = buffer_text(buf)
end

local ok, err = pcall(run)
if not ok then
  result.error = tostring(err)
end
finish()
