-- tidings: entities, numbers and quotes in the buffer you are writing.
-- Only the :Tidings command is defined here; lua/tidings/nvim.lua (and the C
-- module) load the first time the command is used.  See :help tidings.
if vim.g.loaded_tidings then return end
vim.g.loaded_tidings = true

vim.api.nvim_create_user_command("Tidings", function(opts)
  require("tidings.nvim").command(opts.args)
end, {
  nargs = "*",
  desc = "tidings: highlight entities/numbers/quotes, list them, report",
  complete = function(arglead, cmdline)
    return require("tidings.nvim").complete(arglead, cmdline)
  end,
})
