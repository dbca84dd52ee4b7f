-- bench/baselines.lua - the Lua tokenizers tidings is measured against.
--
-- Each takes a string and returns an array of token strings, the same shape
-- as tidings.tokenize, so the benchmark compares like with like.  They are
-- honest, idiomatic baselines, not straw men: one pass, no per-token
-- closures, results preallocated by the table they grow.

local M = {}

-- Pure Lua: `%w+` words and single `[^%w%s]` punctuation bytes, in text
-- order, through one gmatch.  Lua's classes are ASCII in the C locale, so a
-- multi-byte character comes out as one token per byte (the price of not
-- knowing UTF-8); leading white space is absorbed by the same match.
function M.gmatch(s)
  local out, n = {}, 0
  for w, p in s:gmatch("%s*(%w*)([^%w%s]?)") do
    if w ~= "" then n = n + 1; out[n] = w end
    if p ~= "" then n = n + 1; out[n] = p end
  end
  return out
end

-- LPeg: a small but reasonable English tokenizer that knows UTF-8.
--   numbers   digits with inner separators and an optional letter suffix:
--             1,000  3.5  09:30  18th  5bn
--   words     letters (ASCII or any multi-byte letter-ish character) with
--             inner apostrophes, hyphens and periods: don't  well-off  U.S
--   other     any one character (punctuation, symbols, quotes, dashes);
--             an invalid byte is one token on its own
local lpeg_tokenizer
function M.lpeg_available()
  local ok = pcall(require, "lpeg")
  return ok
end

local function build_lpeg()
  local lpeg = require "lpeg"
  local P, R, S, C, Ct = lpeg.P, lpeg.R, lpeg.S, lpeg.C, lpeg.Ct
  local cont = R"\128\191"
  local mb = R"\194\223" * cont + R"\224\239" * cont * cont + R"\240\244" * cont * cont * cont
  -- General punctuation U+2000..U+206F (E2 80..81 xx): dashes, curly
  -- quotes, ellipsis, spaces; U+00A0..U+00BF (C2 A0..BF): nbsp, « » ¢ £ ...
  local uspace = P"\194\160" + P"\226\128" * R"\128\138" + P"\226\128\175" + P"\227\128\128"
  local upunct = P"\226" * R"\128\129" * cont + P"\194" * R"\160\191" + P"\195" * S"\151\183"
  local letter = R("az", "AZ") + (mb - upunct)
  local digit = R"09"
  local alnum = letter + digit
  local inner = S"'-." + P"\226\128\153"          -- ' - . and U+2019
  local number = digit ^ 1 * (S",.:" * digit ^ 1) ^ 0 * letter ^ 0
  local word = letter * alnum ^ 0 * (inner * alnum ^ 1) ^ 0
  local any = mb + P(1)
  local space = (S" \t\n\v\f\r" + uspace) ^ 1
  local token = C(number + word + any)
  lpeg_tokenizer = Ct(space ^ -1 * (token * space ^ -1) ^ 0)
end

function M.lpeg(s)
  if not lpeg_tokenizer then build_lpeg() end
  return lpeg_tokenizer:match(s)
end

return M
