-- doc:numbers(): numbers, quantities, dates and times with their values.
local tidings = require "tidings"

-- The results of `text` (with an optional reference date).
local function numbers(text, opts)
  local doc = assert(tidings.analyze(text))
  return doc:numbers(opts)
end

-- The one result whose text is `want` (nil if none).
local function find(text, want, opts)
  for _, n in ipairs(numbers(text, opts)) do
    if n.text == want then return n end
  end
  return nil
end

local function close(a, b)
  return a ~= nil and b ~= nil and math.abs(a - b) <= 1e-9 * math.max(1, math.abs(b))
end

-- Check every field given in `want` (value/low/high approximately; a field
-- set to false must be absent).
local function check(n, want, label)
  assert(n, "no result " .. label)
  for k, v in pairs(want) do
    if v == false then
      assert.is_nil(n[k], label .. ": " .. k)
    elseif type(v) == "number" then
      assert(close(n[k], v), ("%s: %s = %s, want %s"):format(label, k, tostring(n[k]), tostring(v)))
    else
      assert.are.equal(v, n[k], label .. ": " .. k)
    end
  end
end

describe("tidings.numbers", function()
  describe("the examples of the issue", function()
    local cases = {
      { "Russia launched 273 offensive drones overnight.", "273",
        { kind = "cardinal", value = 273, unit = "offensive drones", per = false, bound = false } },
      { "Both sides swapped 1,000 POWs on Friday.", "1,000",
        { kind = "cardinal", value = 1000, unit = "POWs", per = false, bound = false } },
      { "Russia suffers more than 5,000 military casualties per week.", "more than 5,000",
        { kind = "cardinal", value = 5000, unit = "military casualties", per = "week", bound = ">" } },
      { "Kyiv proposed a 30-day ceasefire.", "30-day",
        { kind = "duration", value = 30, unit = "day", timex = "P30D", per = false, bound = false } },
      { "Russia has suffered over 300,000 casualties.", "over 300,000",
        { kind = "cardinal", value = 300000, unit = "casualties", bound = ">" } },
      { "The talks began around 0930 GMT.", "around 0930 GMT",
        { kind = "time", timex = "T09:30Z", bound = "~" } },
      { "The war has raged since March 2022.", "since March 2022",
        { kind = "date", timex = "2022-03", bound = ">=" } },
      { "The meeting lasted less than two hours.", "less than two hours",
        { kind = "duration", value = 2, unit = "hour", timex = "PT2H", bound = "<" } },
      { "It was the 18th round of sanctions.", "18th",
        { kind = "ordinal", value = 18, unit = "round" } },
      { "The prisoners, half of whom were wounded, came home.", "half",
        { kind = "fraction", value = 0.5, unit = false } },
    }
    for _, c in ipairs(cases) do
      it(("reads %q in %q"):format(c[2], c[1]), function()
        check(find(c[1], c[2]), c[3], c[2])
      end)
    end
  end)

  describe("numbers in digits", function()
    local cases = {
      { "It cost 1,000.5 units.", "1,000.5", 1000.5 },
      { "It fell to -3.5 points.", "-3.5", -3.5 },
      { "A profit of 1.5bn was made.", "1.5bn", 1.5e9 },
      { "Some 300k people fled.", "300k", 300000 },
      { "Roughly 1e6 cells.", "1e6", 1e6 },
      { "It reached 40 000 units.", "40 000", 40000 },
      { "He scored 2 1/4 points.", "2 1/4", 2.25 },
      { "It was 12.32e+14 exactly.", "12.32e+14", 1.232e15 },
    }
    for _, c in ipairs(cases) do
      it(("reads %q as %s"):format(c[2], tostring(c[3])), function()
        local n = find(c[1], c[2]) or find(c[1], "Some " .. c[2]) or find(c[1], "Roughly " .. c[2])
        assert(n, "no result for " .. c[2])
        assert(close(n.value, c[3]), ("value %s, want %s"):format(tostring(n.value), c[3]))
      end)
    end
  end)

  describe("numbers in words", function()
    local cases = {
      { "three", 3, "cardinal" }, { "twenty-one", 21, "cardinal" },
      { "one hundred and five", 105, "cardinal" }, { "a dozen", 12, "cardinal" },
      { "two thirds", 2 / 3, "fraction" }, { "one and a half", 1.5, "fraction" },
      { "twenty-one trillion and three hundred", 21000000000300, "cardinal" },
      { "two hundred point seventy-one", 200.71, "cardinal" },
      { "first", 1, "ordinal" }, { "twenty-first", 21, "ordinal" },
      { "one hundred twenty-fifth", 125, "ordinal" },
    }
    for _, c in ipairs(cases) do
      it(("reads %q as %s"):format(c[1], tostring(c[2])), function()
        check(find("They said " .. c[1] .. ".", c[1]), { value = c[2], kind = c[3] }, c[1])
      end)
    end

    it("reads 'hundreds of thousands' as at least 200,000", function()
      check(find("hundreds of thousands of people", "hundreds of thousands"),
        { kind = "cardinal", value = 200000, bound = ">=", unit = "people" }, "hundreds of thousands")
    end)

    it("reads ordinals in digits", function()
      check(find("the 21st century and the 2nd time", "2nd"), { kind = "ordinal", value = 2 }, "2nd")
    end)
  end)

  describe("what is not a number", function()
    local cases = {
      "One of the leaders said no one would sign.",
      "Air Force One landed in Istanbul.",
      "This one is better than that one.",
      "World War II ended long ago.",
      "Call +1-222-2222-2222 now.",
    }
    for _, text in ipairs(cases) do
      it(("finds nothing in %q"):format(text), function()
        local got = numbers(text)
        local texts = {}
        for _, n in ipairs(got) do texts[#texts + 1] = n.text end
        assert.are.same({}, texts)
      end)
    end

    it("reads Roman numerals only where they number things", function()
      check(find("Chapter IV begins here.", "IV"), { kind = "ordinal", value = 4 }, "IV")
      assert.is_nil(find("Elizabeth II was queen.", "II"))
    end)
  end)

  describe("money", function()
    local cases = {
      { "It costs $5bn in total.", "$5bn", 5e9, "USD" },
      { "It costs €3.2 million.", "€3.2 million", 3.2e6, "EUR" },
      { "It costs £40 now.", "£40", 40, "GBP" },
      { "It costs ¥500 now.", "¥500", 500, "JPY" },
      { "It costs 500 rubles now.", "500 rubles", 500, "RUB" },
      { "It costs 300k hryvnias now.", "300k hryvnias", 300000, "UAH" },
      { "It costs 20 dollars now.", "20 dollars", 20, "USD" },
      { "It costs USD 200 now.", "USD 200", 200, "USD" },
      { "It costs 42 QAR now.", "42 QAR", 42, "QAR" },
      { "It costs thirteen dollars and forty-five cents.", "thirteen dollars and forty-five cents", 13.45, "USD" },
    }
    for _, c in ipairs(cases) do
      it(("reads %q as %s %s"):format(c[2], tostring(c[3]), c[4]), function()
        check(find(c[1], c[2]), { kind = "money", value = c[3], unit = c[4] }, c[2])
      end)
    end

    it("keeps a rate after money: '$5 a share'", function()
      check(find("It paid $5 a share.", "$5"), { kind = "money", value = 5, unit = "USD", per = "share" }, "$5")
    end)
  end)

  describe("percentages and quantities", function()
    it("reads '5%', 'five per cent' and 'percentage points'", function()
      check(find("Prices rose 5% in May.", "5%"), { kind = "percent", value = 5, unit = "%" }, "5%")
      check(find("Prices rose five per cent.", "five per cent"), { kind = "percent", value = 5 }, "five per cent")
      check(find("Rates rose 2 percentage points.", "2 percentage points"),
        { kind = "percent", value = 2, unit = "percentage point" }, "points")
    end)

    it("reads units of measure", function()
      check(find("The hills are 17 km away.", "17 km"), { kind = "quantity", value = 17, unit = "km", dim = "length" }, "km")
      check(find("a 3-inch pipe", "3-inch"), { kind = "quantity", value = 3, unit = "in" }, "3-inch")
      check(find("It was 40 degrees celsius.", "40 degrees celsius"), { kind = "quantity", value = 40, unit = "°C" }, "°C")
      check(find("They pump 500,000 barrels a day.", "500,000 barrels"),
        { kind = "quantity", value = 500000, unit = "bbl", per = "day" }, "barrels")
    end)
  end)

  describe("ranges", function()
    it("reads 'between 5 and 10'", function()
      check(find("Between 5 and 10 people died.", "Between 5 and 10"),
        { kind = "range", low = 5, high = 10, unit = "people", value = false }, "between")
    end)
    it("reads '10–15%'", function()
      check(find("Turnout was 10–15% lower.", "10–15%"), { kind = "range", low = 10, high = 15, unit = "%" }, "10-15%")
    end)
    it("reads '$2m-$3m'", function()
      check(find("It costs $2m-$3m a year.", "$2m-$3m"),
        { kind = "range", low = 2e6, high = 3e6, unit = "USD", per = "year" }, "$2m-$3m")
    end)
    it("reads date ranges as intervals", function()
      check(find("from March to May 2022", "from March to May 2022"), { kind = "range", timex = "2022-03/2022-05" }, "dates")
    end)
  end)

  describe("dates, times, durations and sets", function()
    local cases = {
      { "The war began in March 2022.", "March 2022", { kind = "date", timex = "2022-03" } },
      { "It happened on 16 May 2025.", "16 May 2025", { kind = "date", timex = "2025-05-16" } },
      { "It happened on May 16, 2025.", "May 16, 2025", { kind = "date", timex = "2025-05-16" } },
      { "Talks opened at 09:30 GMT.", "09:30 GMT", { kind = "time", timex = "T09:30Z" } },
      { "Talks opened at 3pm.", "3pm", { kind = "time", timex = "T15" } },
      { "He served for three years.", "three years", { kind = "duration", value = 3, unit = "year", timex = "P3Y" } },
      { "It lasted 2 years and 3 months.", "2 years and 3 months", { kind = "duration", value = 27, unit = "month", timex = "P2Y3M" } },
      { "They meet every Friday.", "every Friday", { kind = "set", timex = "XXXX-WXX-5" } },
      { "They meet weekly.", "weekly", { kind = "set", timex = "P1W" } },
      { "They met on Friday.", "Friday", { kind = "date", timex = "XXXX-WXX-5" } },
    }
    for _, c in ipairs(cases) do
      it(("reads %q in %q"):format(c[2], c[1]), function()
        check(find(c[1], c[2]), c[3], c[2])
      end)
    end

    it("resolves relative dates against a reference", function()
      local text = "They met on Friday, last week, tomorrow and two years ago."
      local ref = { reference = "2025-05-14" }
      check(find(text, "Friday", ref), { timex = "2025-05-16", timex_raw = "XXXX-WXX-5" }, "Friday")
      check(find(text, "last week", ref), { timex = "2025-W19" }, "last week")
      check(find(text, "tomorrow", ref), { timex = "2025-05-15" }, "tomorrow")
      check(find(text, "two years ago", ref), { timex = "2023-05-14" }, "two years ago")
    end)

    it("takes the reference from tidings.analyze", function()
      local doc = tidings.analyze("It ends tomorrow.", { reference = "2025-05-16" })
      assert.are.equal("2025-05-17", doc:numbers()[1].timex)
    end)

    it("leaves relative dates without a value when there is no reference", function()
      check(find("It ends tomorrow.", "tomorrow"), { kind = "date", timex = false }, "tomorrow")
    end)

    it("resolves bare dates forwards with opts.future", function()
      check(find("on Tuesday", "Tuesday", { reference = "2025-05-16", future = true }), { timex = "2025-05-20" }, "Tuesday")
      check(find("on Tuesday", "Tuesday", { reference = "2025-05-16" }), { timex = "2025-05-13" }, "Tuesday")
    end)
  end)

  describe("options and errors", function()
    it("rejects a malformed reference", function()
      local doc = tidings.analyze("tomorrow")
      assert.has_error(function() doc:numbers { reference = "16/05/2025" } end)
      assert.has_error(function() doc:numbers { reference = "2025-02-30" } end)
      assert.has_error(function() doc:numbers { referense = "2025-02-03" } end)
    end)

    it("returns an empty array for a text without numbers", function()
      local got = numbers("Nothing to count here.")
      assert.are.equal(0, #got)
    end)

    it("gives 1-based inclusive offsets", function()
      local n = find("It took 30 days.", "30 days")
      assert.are.equal(9, n.start)
      assert.are.equal(15, n.stop)
    end)
  end)

  describe("units and currencies", function()
    local cases = {
      { "Output totaled 291,890 metric tons.", "291,890 metric tons", { kind = "quantity", value = 291890, unit = "t" } },
      { "The weight is 120 μg.", "120 μg", { kind = "quantity", value = 120, unit = "µg", dim = "mass" } },
      { "Add ½ teaspoon of salt.", "½ teaspoon", { kind = "quantity", value = 0.5, unit = "tsp" } },
      { "The result is ¾.", "¾", { kind = "fraction", value = 0.75 } },
      { "It cost 20 usd.", "20 usd", { kind = "money", value = 20, unit = "USD" } },
      { "Sales reached 120 MEUR.", "120 MEUR", { kind = "money", value = 120e6, unit = "EUR" } },
      { "A plot of 2 m x 3 m.", "2 m", { kind = "quantity", value = 2, unit = "m" } },
      { "It cost 3 GBP 1 pence.", "3 GBP 1 pence", { kind = "money", value = 3.01, unit = "GBP" } },
      { "Turn a 45 degrees angle.", "45 degrees", { kind = "quantity", value = 45, unit = "°", dim = "angle" } },
    }
    for _, c in ipairs(cases) do
      it(("reads %q"):format(c[2]), function() check(find(c[1], c[2]), c[3], c[2]) end)
    end
  end)

  describe("dates that would swallow an amount", function()
    it("reads 'rose by 10 percent' as a percentage, not a time", function()
      local got = numbers("Prices rose by 10 percent.")
      assert.are.equal(1, #got)
      check(got[1], { kind = "percent", value = 10, text = "10 percent", timex = false }, "10 percent")
    end)
    it("keeps the date of 'on March 3 by 5%'", function()
      check(find("It fell on March 3 by 5%.", "March 3"), { kind = "date", timex = "XXXX-03-03" }, "March 3")
      check(find("It fell on March 3 by 5%.", "5%"), { kind = "percent", value = 5 }, "5%")
    end)
  end)

  describe("open bounds after the number", function()
    it("reads 'about 500 or more' as '500 or more', at least 500", function()
      check(find("There were about 500 or more.", "500 or more"), { value = 500, bound = ">=" }, "500 or more")
    end)
    it("reads '200 or greater than 190' as 200 and 'greater than 190'", function()
      local text = "His score is 200 or greater than 190."
      check(find(text, "200"), { value = 200, bound = false }, "200")
      check(find(text, "greater than 190"), { value = 190, bound = ">" }, "greater than 190")
    end)
  end)

  describe("fractions in words", function()
    local cases = {
      { "one hundred thirty fifths", 100 / 35 },        -- the tens go with the ordinal
      { "one hundred thirty-two fifths", 132 / 5 },     -- a hyphen keeps them in the numerator
      { "three twenty-firsts", 3 / 21 },
      { "two hundred and fifty-four hundredths", 200.54 },
      { "one over one hundred and twenty five", 1 / 125 },
      { "two out of five hundred", 2 / 500 },
    }
    for _, c in ipairs(cases) do
      it(("reads %q as %s"):format(c[1], tostring(c[2])), function()
        check(find("It was " .. c[1] .. ".", c[1]), { kind = "fraction", value = c[2] }, c[1])
      end)
    end
  end)

  describe("hyphens and dozens", function()
    it("reads 'three-nought-four' as three numbers, not a range", function()
      local got = numbers("They were playing three-nought-four.")
      assert.are.equal(3, #got)
      check(got[2], { text = "nought", kind = "cardinal", value = 0 }, "nought")
      check(got[3], { text = "four", kind = "cardinal", value = 4 }, "four")
    end)
    it("reads 'three hundred and two dozens' as 324", function()
      check(find("It was three hundred and two dozens.", "three hundred and two dozens"), { value = 324 }, "dozens")
    end)
  end)

  describe("ages", function()
    local cases = {
      { "A 29-year-old man was arrested.", "29-year-old", 29, "year" },
      { "She was five years old.", "five years old", 5, "year" },
      { "The baby was only ten months old.", "ten months old", 10, "month" },
      { "It is often diagnosed at 3 years of age.", "3 years of age", 3, "year" },
      { "A man of age 87 was hurt.", "age 87", 87, "year" },
      { "Smith, aged 64, resigned.", "aged 64", 64, "year" },
      { "The patient is a 87 yo man.", "87 yo", 87, "year" },
    }
    for _, c in ipairs(cases) do
      it(("reads %q as an age of %s %ss"):format(c[2], tostring(c[3]), c[4]), function()
        check(find(c[1], c[2]), { kind = "quantity", dim = "age", value = c[3], unit = c[4], timex = false },
              c[2])
      end)
    end
    it("leaves a bare duration alone ('a 30-day ceasefire')", function()
      check(find("Kyiv proposed a 30-day ceasefire.", "30-day"), { kind = "duration", dim = "time" }, "30-day")
    end)
  end)

  describe("units, arrows and cents", function()
    it("reads a spaced '\"' after a number as inches, not a closing quote", function()
      check(find('The board is 12 " wide.', '12 "'), { kind = "quantity", value = 12, unit = "in" }, "12 in")
      check(find('Fans of "Web 3.0 " tools met.', "3.0"), { kind = "cardinal", value = 3 }, "3.0")
    end)
    it("gives the unit a quantity is converted to, without a value", function()
      local n = find("Turn 20 degrees celsius into fahrenheit.", "fahrenheit")
      check(n, { kind = "quantity", unit = "°F", dim = "temperature", value = false }, "fahrenheit")
      assert.is_nil(find("They walked 5 km to the border.", "the border"))
      assert.are.equal(1, #numbers("They walked 5 km to the border."))
    end)
    it("does not read arrows as bounds", function()
      check(find("score => 12", "12"), { kind = "cardinal", value = 12, bound = false }, "=>")
      check(find("step -> 7 items", "7"), { kind = "cardinal", value = 7, bound = false }, "->")
    end)
    it("adds cents after a currency code unless the number counts something", function()
      check(find("Bring 20 EUR 40 more.", "20 EUR 40"), { kind = "money", value = 20.4, unit = "EUR" }, "EUR 40")
      check(find("It cost 20 EUR 40 people paid.", "20 EUR"), { kind = "money", value = 20 }, "EUR")
    end)
  end)

  describe("more number shapes", function()
    local cases = {
      { "Buy it for a dollar and 50 cents.", "a dollar and 50 cents", { kind = "money", value = 1.5, unit = "USD" } },
      { "It cost less than a euro.", "less than a euro", { kind = "money", value = 1, unit = "EUR", bound = "<" } },
      { "Gum costs 25¢ here.", "25¢", { kind = "money", value = 0.25, unit = "USD" } },
      { "They paid 9.50US$ each.", "9.50US$", { kind = "money", value = 9.5, unit = "USD" } },
      { "It was 12 ringgit and 30 sen.", "12 ringgit and 30 sen", { kind = "money", value = 12.3, unit = "MYR" } },
      { "The score stayed at nil.", "nil", { kind = "cardinal", value = 0 } },
      { "We saw a couple of drones.", "a couple of", { kind = "cardinal", value = 2, unit = "drones" } },
      { "It rose 2 point 5 percent.", "2 point 5 percent", { kind = "percent", value = 2.5 } },
      { "He owes twelve (12) payments.", "twelve (12)", { kind = "cardinal", value = 12, unit = "payments" } },
      { "He owes 12 (twelve) payments.", "12 (twelve)", { kind = "cardinal", value = 12 } },
      { "Add 3/1000 grams of salt.", "3/1000 grams", { kind = "quantity", value = 0.003, unit = "g" } },
      { "About one-fourth of voters agreed.", "About one-fourth", { kind = "fraction", value = 0.25, bound = "~" } },
      { "Three-quarters of the town flooded.", "Three-quarters", { kind = "fraction", value = 0.75 } },
      { "Some twenty-thousand people marched.", "Some twenty-thousand", { kind = "cardinal", value = 20000 } },
      { "Use around 3-5 kg of flour.", "around 3-5 kg", { kind = "range", low = 3, high = 5, unit = "kg", bound = "~" } },
      { "Use from 3 to 5 kg of flour.", "from 3 to 5 kg", { kind = "range", low = 3, high = 5, unit = "kg" } },
      { "Between 3 g and about 5 g is enough.", "Between 3 g and about 5 g", { kind = "range", low = 3, high = 5, unit = "g" } },
      { "It finished thirtyfirst overall.", "thirtyfirst", { kind = "ordinal", value = 31 } },
      { "We counted fiftysix cars.", "fiftysix", { kind = "cardinal", value = 56, unit = "cars" } },
      { "The bill was ten dollars and 25", "ten dollars and 25", { kind = "money", value = 10.25, unit = "USD" } },
      { "The flight took 2 hours and 40.", "2 hours and 40", { kind = "duration", value = 160, unit = "minute", timex = "PT2H40M" } },
    }
    for _, t in ipairs(cases) do
      it(("reads %q"):format(t[2]), function() check(find(t[1], t[2]), t[3], t[2]) end)
    end
    it("reads quarters as time after words of time, as fractions before 'of'", function()
      check(find("Sales fell for two quarters.", "two quarters"), { kind = "duration", value = 2, unit = "quarter" }, "2q")
      check(find("Three quarters of voters agreed.", "Three quarters"), { kind = "fraction", value = 0.75 }, "3/4")
      check(find("It weighs five and three quarters", "five and three quarters"), { kind = "fraction", value = 5.75 }, "5 3/4")
    end)
    it("leaves the nouns 'couple' and 'pair' alone", function()
      assert.are.equal(0, #numbers("A couple from Ohio won."))
    end)
    it("does not read 'two NZ$ 4.00' as two dollars", function()
      check(find("Buy two NZ$ 4.00 drinks.", "NZ$ 4.00"), { kind = "money", value = 4, unit = "NZD" }, "NZ$")
    end)
  end)

  describe("relative ordinals (opts.relative)", function()
    local R = { relative = true }
    local cases = {
      { "She won the penultimate stage.", "penultimate", { value = -1, rel = "end" } },
      { "He fell in the antepenultimate lap.", "antepenultimate", { value = -2, rel = "end" } },
      { "They finished next to last.", "next to last", { value = -1, rel = "end" } },
      { "It was the third to last race.", "the third to last", { value = -2, rel = "end" } },
      { "Take the one before the last one, please.", "the one before the last one", { value = -1, rel = "end" } },
      { "She read the last chapter twice.", "last", { value = 0, rel = "end" } },
      { "Open the next file.", "next", { value = 1, rel = "current" } },
      { "I prefer the previous one.", "previous one", { value = -1, rel = "current" } },
      { "Keep the current draft.", "current", { value = 0, rel = "current" } },
    }
    for _, t in ipairs(cases) do
      it(("reads %q"):format(t[2]), function()
        local want = t[3]
        want.kind = "ordinal"
        check(find(t[1], t[2], R), want, t[2])
      end)
    end
    it("gives none unless asked", function()
      for _, t in ipairs(cases) do
        for _, n in ipairs(numbers(t[1])) do assert.is_nil(n.rel, t[1]) end
        assert.is_nil(find(t[1], t[2]), t[1])
      end
    end)
    it("leaves verbs, prepositions and nouns alone", function()
      for _, s in ipairs { "The truce did not last.", "It will last.", "At last they agreed.",
                           "He sat next to the minister.", "The next of kin were told.",
                           "The boat drifted with the current." } do
        for _, n in ipairs(numbers(s, R)) do assert.is_nil(n.rel, s .. ": " .. n.text) end
      end
    end)
    it("keeps dates first ('last week', 'next Monday')", function()
      check(find("We met last week.", "last week", R), { kind = "date", rel = false }, "last week")
    end)
  end)

  describe("what a quantity measures, and 'a' before a unit", function()
    it("keeps the product of 'N unit of X' outside the text", function()
      check(find("Police seized 10 kg of heroin at the port.", "10 kg"),
        { kind = "quantity", value = 10, unit = "kg", product = "heroin" }, "kg of heroin")
      check(find("Mix 2 tablespoons of brown sugar in.", "2 tablespoons"),
        { kind = "quantity", value = 2, unit = "tbsp", product = "brown sugar" }, "tbsp")
      check(find("They shipped 5,000 tonnes of grain a day.", "5,000 tonnes"),
        { kind = "quantity", value = 5000, unit = "t", product = "grain", per = "day" }, "grain a day")
      check(find("Add 1½ cups of flour.", "1½ cups"), { kind = "quantity", value = 1.5, unit = "cup", product = "flour" }, "½")
      check(find("Add 2 to 3 cups of milk.", "2 to 3 cups"), { kind = "range", low = 2, high = 3, product = "milk" }, "range")
      -- title case: the capitals say nothing
      check(find("Add 3 Cups of Sugar", "3 Cups"), { kind = "quantity", value = 3, product = "Sugar" }, "Cups")
    end)

    it("keeps '15 grams of heroin or more' a bound on '15 grams'", function()
      check(find("He carried 15 grams of heroin or more.", "15 grams"),
        { kind = "quantity", value = 15, bound = ">=", product = "heroin" }, "or more")
    end)

    it("gives no product for places, temperatures and cut words", function()
      check(find("It fell within 10 km of the border.", "10 km"), { kind = "quantity", product = false }, "the border")
      check(find("They camped 30 miles of Baghdad.", "30 miles"), { kind = "quantity", product = false }, "Baghdad")
      check(find("It was 30 miles of northern Labrador.", "30 miles"), { kind = "quantity", product = false }, "a name")
      check(find("It emits six tonnes of CO2 a year.", "six tonnes"), { kind = "quantity", product = false }, "CO2")
      check(find("It was 40 degrees of heat.", "40 degrees"), { product = false }, "degrees")
      check(find("Ten people died.", "Ten"), { kind = "cardinal", product = false }, "cardinal")
    end)

    it("reads 'a'/'an' and a unit as one of it", function()
      check(find("It weighs a lb.", "a lb"), { kind = "quantity", value = 1, unit = "lb" }, "a lb")
      check(find("They stopped about a mile from the airport.", "about a mile"),
        { kind = "quantity", value = 1, unit = "mi", bound = "~" }, "about a mile")
      check(find("a pound of flesh", "a pound"), { kind = "quantity", value = 1, unit = "lb", product = "flesh" }, "a pound of")
      check(find("It snowed a foot of snow.", "a foot"), { kind = "quantity", value = 1, unit = "ft", product = "snow" }, "a foot of")
      -- "a pound" alone stays money; "pounds of" something weighs
      check(find("It costs a pound.", "a pound"), { kind = "money", value = 1, unit = "GBP" }, "a pound")
      check(find("It costs ten pounds.", "ten pounds"), { kind = "money", value = 10, unit = "GBP" }, "ten pounds")
      check(find("A car with 660 pounds of explosives.", "660 pounds"),
        { kind = "quantity", value = 660, unit = "lb", product = "explosives" }, "pounds of")
    end)

    it("reads 'half a mile', 'a half a mile', 'half a cup of sugar'", function()
      check(find("They fell behind by half a mile.", "half a mile"), { kind = "quantity", value = 0.5, unit = "mi" }, "half")
      check(find("They fell a half a mile.", "a half a mile"), { kind = "quantity", value = 0.5, unit = "mi" }, "a half")
      check(find("Add half a cup of sugar.", "half a cup"), { value = 0.5, unit = "cup", product = "sugar" }, "half a cup")
    end)

    it("keeps 'a litre' after a number its rate", function()
      check(find("a record high of 121.76 a litre.", "121.76"), { value = 121.76, per = "litre" }, "rate")
      assert.is_nil(find("a record high of 121.76 a litre.", "a litre"))
    end)

    it("does not read other senses of 'a' + unit word", function()
      for _, text in ipairs { "It took a bit of luck.", "She has a degree in law.", "A foot patrol passed.",
                              "He tied a knot.", "The taxi had a meter.", "Release a CM build." } do
        local got = numbers(text)
        assert.are.equal(0, #got, text)
      end
    end)

    it("takes 'an ounce', 'a kilogram' after money as the rate", function()
      check(find("Gold traded at $553.50 an ounce.", "$553.50"), { kind = "money", value = 553.5, per = "ounce" }, "an ounce")
      assert.is_nil(find("Gold traded at $553.50 an ounce.", "an ounce"))
    end)
  end)

  describe("more numeral and money shapes", function()
    it("reads a negative decimal without a leading zero: '-.5', '-.0012G'", function()
      check(find("The index moved -.5 today.", "-.5"), { kind = "cardinal", value = -0.5 }, "-.5")
      check(find("-.0012G", "-.0012G"), { kind = "cardinal", value = -1.2e6 }, "-.0012G")
      assert.is_nil(find("scores 3-.5 x", "-.5"))
    end)

    it("reads a number with a vulgar fraction whole: '1½ cups', '7¼%'", function()
      check(find("Add 1½ cups of flour.", "1½ cups"), { kind = "quantity", value = 1.5, unit = "cup" }, "1½ cups")
      check(find("Growth: 7¼% in 2006.", "7¼%"), { kind = "percent", value = 7.25 }, "7¼%")
      check(find("reaching 2½ per cent by 2005", "2½ per cent"), { kind = "percent", value = 2.5 }, "2½ per cent")
    end)

    it("reads hundreds said as digit groups: 'one twenty-two' is 122", function()
      check(find("Flight one twenty-two landed.", "one twenty-two"), { kind = "cardinal", value = 122 }, "122")
      check(find("ONE TwentY tWO", "ONE TwentY tWO"), { kind = "cardinal", value = 122 }, "case")
      -- not a clock time, a compound adjective, an amount or a scale
      assert.is_nil(find("one twenty", "one twenty"))
      assert.is_nil(find("one twenty-two-year-old", "one twenty-two"))
      assert.is_nil(find("two fifty five dollars", "two fifty five"))
      assert.is_nil(find("one twenty two thousand", "one twenty two thousand"))
    end)

    it("reads 'a million', 'half a million', 'a quarter of a billion'", function()
      check(find("Over a million people marched.", "Over a million"), { value = 1e6, bound = ">", unit = "people" }, "a million")
      check(find("It cost a billion dollars.", "a billion dollars"), { kind = "money", value = 1e9, unit = "USD" }, "a billion")
      check(find("half a million people fled", "half a million"), { value = 5e5, unit = "people" }, "half a million")
      check(find("the goal of half a billion dollars", "half a billion dollars"), { kind = "money", value = 5e8 }, "half a billion")
      check(find("a quarter of a billion phones", "a quarter of a billion"), { value = 2.5e8 }, "a quarter of a billion")
      check(find("between half a million and a million refugees", "between half a million and a million"),
        { kind = "range", low = 5e5, high = 1e6 }, "range")
      assert.is_nil(find("a million", "million"))
    end)

    it("reads 'Rs 500 crore', 'Rs. 20' (rupees) and 'Rp 5,000' (rupiahs)", function()
      check(find("It will cost Rs 500 crore.", "Rs 500 crore"), { kind = "money", value = 5e9, unit = "INR" }, "Rs")
      check(find("a fare of Rs. 20 only", "Rs. 20"), { kind = "money", value = 20, unit = "INR" }, "Rs.")
      check(find("about Rp 5,000 a litre", "about Rp 5,000"), { kind = "money", value = 5000, unit = "IDR" }, "Rp")
      assert.is_nil(find("rs 20", "rs 20"))
    end)

    it("reads 'lkh' as lakh", function()
      check(find("It costs 30 lkh now.", "30 lkh"), { kind = "cardinal", value = 3e6 }, "lkh")
    end)

    it("reads 'U.S. dollars' and 'U.S. cents'", function()
      check(find("worth 2 billion U.S. dollars in all", "2 billion U.S. dollars"),
        { kind = "money", value = 2e9, unit = "USD" }, "U.S. dollars")
      check(find("an average of 5 U.S. cents a gallon", "5 U.S. cents"),
        { kind = "money", value = 0.05, unit = "USD", per = "gallon" }, "U.S. cents")
    end)
  end)

  describe("locale independence", function()
    it("reads '1,000.5' as one thousand and a half whatever the locale", function()
      local saved = os.setlocale(nil, "numeric")
      local locales = { "de_DE.UTF-8", "fr_FR.UTF-8", "C" }
      for _, loc in ipairs(locales) do
        os.setlocale(loc, "numeric")   -- may fail (locale not installed): then C stays
        local n = find("It cost 1,000.5 dollars.", "1,000.5 dollars")
        assert(close(n.value, 1000.5), loc)
        local d = find("a 1.5 hour drive", "1.5 hour")
        assert.are.equal("PT1.5H", d.timex)
      end
      os.setlocale(saved, "numeric")
    end)

    it("gives the same results twice", function()
      local text = "Over 300,000 casualties since March 2022, $5bn and 10–15%."
      assert.are.same(numbers(text), numbers(text))
    end)
  end)
end)
