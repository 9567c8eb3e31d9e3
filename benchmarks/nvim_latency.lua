-- The language server's latency as Neovim sees it (lsp_latency.py --nvim runs this headless).
--
-- NXL_FILE: the generated nexlayer.yaml; NXL_SERVER: the server's command, as a JSON list;
-- NXL_LINE, NXL_COL, NXL_WIDTH: where the edited value is (0-based) and its width; NXL_CHANGES:
-- how many edits; NXL_RESULT: where the JSON of the samples goes. Each edit replaces the value
-- in the buffer, as a keystroke would; its time runs from the edit to the publishDiagnostics of
-- its version (Neovim's changedtick), taken when Neovim has decoded the message and before it
-- draws anything.

local arrived = {}
local default = vim.lsp.handlers["textDocument/publishDiagnostics"]
vim.lsp.handlers["textDocument/publishDiagnostics"] = function(err, params, ctx, config)
  if params.version ~= nil and arrived[params.version] == nil then
    arrived[params.version] = { vim.uv.hrtime(), #params.diagnostics }
  end
  return default(err, params, ctx, config)
end

local function finish(result)
  local file = assert(io.open(os.getenv("NXL_RESULT"), "w"))
  file:write(vim.json.encode(result))
  file:close()
  vim.cmd("qall!")
end

local ok, problem = pcall(function()
  vim.cmd.edit(os.getenv("NXL_FILE"))
  local buf = vim.api.nvim_get_current_buf()
  local client = vim.lsp.start({
    name = "nexlayer-lint",
    cmd = vim.json.decode(os.getenv("NXL_SERVER")),
    root_dir = vim.fs.dirname(os.getenv("NXL_FILE")),
    init_options = { debounce = 0 },
    flags = { debounce_text_changes = 0 }, -- send each change at once, as the server times it
  }, { bufnr = buf })
  assert(client, "the server did not start")
  -- didOpen's version is Neovim's own (0); each change's is the buffer's changedtick
  assert(vim.wait(120000, function() return next(arrived) ~= nil end, 1), "no diagnostics for the opened file")
  local opened = next(arrived)
  local line, col, width = tonumber(os.getenv("NXL_LINE")), tonumber(os.getenv("NXL_COL")), tonumber(os.getenv("NXL_WIDTH"))
  local samples = {}
  for change = 1, tonumber(os.getenv("NXL_CHANGES")) do
    local value = string.format("r%06d", change)
    local sent = vim.uv.hrtime()
    vim.api.nvim_buf_set_text(buf, line, col, line, col + width, { value })
    local version = vim.api.nvim_buf_get_changedtick(buf)
    assert(vim.wait(120000, function() return arrived[version] ~= nil end, 1), "no diagnostics for edit " .. change)
    table.insert(samples, (arrived[version][1] - sent) / 1e6)
  end
  local last = arrived[vim.api.nvim_buf_get_changedtick(buf)][2]
  finish({ samples = samples, opened = arrived[opened][2], last = last })
end)
if not ok then
  finish({ error = tostring(problem) })
end
