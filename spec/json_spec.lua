-- spec/json_spec.lua: tidings.json, the encoder/decoder used by the CLI.
package.path = "lua/?.lua;lua/?/init.lua;" .. package.path
local json = require "tidings.json"

describe("tidings.json.encode", function()
  local cases = {
    { "integers exactly", 1000, "1000" },
    { "negative integers", -42, "-42" },
    { "2^53 - 1 without an exponent", 2 ^ 53 - 1, "9007199254740991" },
    { "integral floats as integers", 3.0, "3" },
    { "negative zero as 0", -0.0, "0" },
    { "fractions shortest round-trip", 0.1, "0.1" },
    { "1.5e9 as an integer", 1.5e9, "1500000000" },
    { "small numbers with an exponent", 1e-7, "1e-07" },
    { "true", true, "true" },
    { "false", false, "false" },
    { "null", json.null, "null" },
    { "strings with escapes", 'a"b\\c\n\t\1', '"a\\"b\\\\c\\n\\t\\u0001"' },
    { "UTF-8 untouched", "Erdoğan “quote”", '"Erdoğan “quote”"' },
    { "an array", { 1, 2, 3 }, "[1,2,3]" },
    { "an empty table as an object", {}, "{}" },
    { "an empty marked array as []", json.array(), "[]" },
    { "objects with sorted keys", { b = 1, a = 2, c = { z = 1, y = 2 } }, '{"a":2,"b":1,"c":{"y":2,"z":1}}' },
    { "raw fragments verbatim", { x = json.raw("[1, 2]") }, '{"x":[1, 2]}' },
  }
  for _, c in ipairs(cases) do
    it("writes " .. c[1], function()
      assert.are.equal(c[3], json.encode(c[2]))
    end)
  end

  it("writes ordered keys first, then the rest sorted", function()
    local t = json.ordered({ zeta = 1, id = "x", path = "p", alpha = 2 }, { "id", "path" })
    assert.are.equal('{"id":"x","path":"p","alpha":2,"zeta":1}', json.encode(t))
  end)

  it("pretty-prints with an indent", function()
    assert.are.equal('{\n  "a": [\n    1\n  ]\n}', json.encode({ a = { 1 } }, { indent = "  " }))
  end)

  it("refuses sparse arrays, mixed tables, cycles, functions, inf and nan", function()
    assert.has_error(function() json.encode({ 1, nil, 3, x = 1 }) end)
    assert.has_error(function() json.encode({ [1] = 1, [5] = 2 }) end)
    local t = {}; t.t = t
    assert.has_error(function() json.encode(t) end)
    assert.has_error(function() json.encode(print) end)
    assert.has_error(function() json.encode(math.huge) end)
    assert.has_error(function() json.encode(0 / 0) end)
  end)

  it("is not affected by the C locale's decimal point", function()
    local old = os.setlocale(nil, "numeric")
    local got, found
    for _, loc in ipairs({ "de_DE.UTF-8", "fr_FR.UTF-8", "de_DE", "fr_FR" }) do
      if os.setlocale(loc, "numeric") then found = loc; break end
    end
    if not found then
      os.setlocale(old, "numeric")
      pending("no locale with a decimal comma installed (locales package)")
      return
    end
    local ok, err = pcall(function()
      got = { json.encode(1.25), json.decode("2.5") }
    end)
    os.setlocale(old, "numeric")
    assert(ok, err)
    assert.are.equal("1.25", got[1])
    assert.are.equal(2.5, got[2])
  end)
end)

describe("tidings.json.decode", function()
  it("reads scalars", function()
    assert.are.equal(1000, json.decode("1000"))
    assert.are.equal(-2.5, json.decode("-2.5"))
    assert.are.equal(1e3, json.decode("1E3"))
    assert.are.equal("x", json.decode('"x"'))
    assert.are.equal(true, json.decode("true"))
    assert.are.equal(json.null, json.decode("null"))
  end)

  it("reads integers as integers on Lua 5.3+", function()
    if math.type then
      assert.are.equal("integer", math.type(json.decode("9007199254740993")))
      assert.are.equal(9007199254740993, json.decode("9007199254740993"))
    end
  end)

  it("reads escapes, \\u escapes and surrogate pairs", function()
    assert.are.equal('a"b\\/\n', json.decode('"a\\"b\\\\\\/\\n"'))
    assert.are.equal("ğ", json.decode('"\\u011f"'))
    assert.are.equal("😀", json.decode('"\\ud83d\\ude00"'))
    assert.are.equal("\239\191\189", json.decode('"\\ud83d"'))
  end)

  it("keeps a DEL byte, also when an escape follows it", function()
    assert.are.equal("a\127b", json.decode('"a\127b"'))
    assert.are.equal("a\127b\nc\127d\"", json.decode('"a\127b\\nc\127d\\""'))
  end)

  it("reads nested values and drops null members by default", function()
    local v = json.decode(' { "a" : [1, {"b": null}, []], "c": null } ')
    assert.are.same({ 1, {}, {} }, v.a)
    assert.is_nil(v.c)
    assert.is_true(json.is_array(v.a[3]))
    assert.are.equal('{"a":[1,{},[]]}', json.encode(v))
  end)

  it("keeps null members when asked", function()
    local v = json.decode('{"c": null}', { null = json.null })
    assert.are.equal(json.null, v.c)
  end)

  it("round-trips what it writes", function()
    local v = { id = "doc-1", n = { 1, 2.5, -3, 1e-7, 123456789012 }, s = "tab\tquote\"", e = json.array() }
    assert.are.equal(json.encode(v), json.encode(json.decode(json.encode(v))))
  end)

  local bad = {
    { "", "line 1, column 1: unexpected end of input" },
    { "[1,]", "line 1, column 4: unexpected character" },
    { '{"a" 1}', "line 1, column 6: expected ':'" },
    { "[1 2]", "line 1, column 4: expected ',' or ']'" },
    { "{\n  \"a\": tru\n}", "line 2, column 8: unexpected character" },
    { '"abc', "line 1, column 1: unterminated string" },
    { '"a\nb"', "line 1, column 3: control character in string" },
    { "01", "line 1, column 1: leading zero in number" },
    { "1 2", "line 1, column 3: trailing characters after the value" },
    { '"\\x"', "line 1, column 2: bad escape" },
  }
  for _, c in ipairs(bad) do
    it("reports " .. string.format("%q", c[1]) .. " with line and column", function()
      local v, err = json.decode(c[1])
      assert.is_nil(v)
      assert.are.equal(c[2], err)
    end)
  end

  it("raises on a non-string argument (misuse)", function()
    assert.has_error(function() json.decode(42) end)
  end)
end)
