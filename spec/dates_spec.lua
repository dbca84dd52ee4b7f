-- doc:numbers(): the date and time grammar (dates, times, durations, sets)
-- resolved against a reference date and, when given, a time of day.
local tidings = require "tidings"

-- The result whose text is `want` in `text` (nil if none).
local function find(text, want, ref)
  local doc = assert(tidings.analyze(text))
  for _, n in ipairs(doc:numbers(ref and { reference = ref } or nil)) do
    if n.text == want then return n end
  end
  return nil
end

-- { text, the expected result's text, kind, timex [, reference] }
local function run(cases)
  for _, c in ipairs(cases) do
    local n = find(c[1], c[2], c[5] or "2025-05-14T10:30")
    assert(n, ("no result %q in %q"):format(c[2], c[1]))
    assert.are.equal(c[3], n.kind, c[1])
    assert.are.equal(c[4], n.timex, c[1])
  end
end

describe("tidings.numbers dates", function()
  it("accepts a reference with a time of day and rejects a malformed one", function()
    assert.is_truthy(find("It ends tomorrow.", "tomorrow", "2025-05-14T10:30:15"))
    assert.is_truthy(find("It ends tomorrow.", "tomorrow", "2025-05-14 10:30"))
    local doc = tidings.analyze("It ends tomorrow.")
    assert.has_error(function() doc:numbers { reference = "2025-05-14T25:00" } end)
    assert.has_error(function() doc:numbers { reference = "2025-05-14T10" } end)
  end)

  it("resolves offsets in hours, minutes and seconds against the time of day", function()
    run {
      { "We leave in 5 minutes.", "in 5 minutes", "date", "2025-05-14T10:35:00" },
      { "It starts in half an hour.", "in half an hour", "date", "2025-05-14T11:00:00" },
      { "It ended 3 hours ago.", "3 hours ago", "date", "2025-05-14T07:30:00" },
      { "We land in 20 hours.", "in 20 hours", "date", "2025-05-15T06:30:00" },
      { "We leave in 5 minutes.", "in 5 minutes", "date", "2025-05-14", "2025-05-14" },
    }
  end)

  it("reads a bare day before a full date as a range in that month", function()
    run {
      { "Talks run from 13 to 15 July.", "from 13 to 15 July", "range", "2025-07-13/2025-07-15" },
      { "Talks run 23rd to 26th Oct.", "23rd to 26th Oct", "range", "2025-10-23/2025-10-26" },
      { "I will be out between 3 and 12 of Sept, he said.", "between 3 and 12 of Sept", "range", "2025-09-03/2025-09-12" },
    }
  end)

  it("reads spans that end or start at the reference", function()
    run {
      { "Prices rose for the last 3 months.", "last 3 months", "range", "2025-02-14/2025-05-14" },
      { "Rain is due over the next two days.", "next two days", "range", "2025-05-15/2025-05-17" },
      { "It happened within 5 minutes.", "within 5 minutes", "range", "2025-05-14T10:30:00/2025-05-14T10:35:00" },
      { "Sales fell in the last 2 quarters.", "last 2 quarters", "range", "2024-10-01/2025-04-01" },
      { "What happens in the 5 upcoming years?", "5 upcoming years", "range", "2025-05-15/2030-05-15" },
    }
  end)

  it("reads weeks, months and decades framed around a date", function()
    run {
      { "Rain is due the third week of this month.", "the third week of this month", "date", "2025-05-W03" },
      { "It peaked in the last week of 2015.", "the last week of 2015", "date", "2015-W53" },
      { "It opens in week 10.", "week 10", "date", "2025-W10" },
      { "I am away the month of June.", "the month of June", "date", "2025-06" },
      { "We meet the week of the 18th.", "the week of the 18th", "date", "2025-W20" },
      { "We leave June next year.", "June next year", "date", "2026-06" },
      { "It was built in the 1970s.", "the 1970s", "date", "197" },
      { "We meet late next week.", "late next week", "date", "2025-W21" },
      { "We meet later in the year.", "later in the year", "date", "2025" },
      { "I'll leave next spring.", "next spring", "range", "2026-03-20/2026-06-21" },
      { "It must be done by the end of the day.", "by the end of the day", "date", "2025-05-14T23:59:59" },
    }
  end)

  it("counts offsets out to a day, from the reference or from another date", function()
    run {
      { "He left two years ago.", "two years ago", "date", "2023-05-14" },
      { "It ended 1 month and 21 days ago.", "1 month and 21 days ago", "date", "2025-03-24" },
      { "It opens 2 weeks before Christmas 2025.", "2 weeks before Christmas 2025", "date", "2025-12-11" },
      { "Polls close two days after next Friday.", "two days after next Friday", "date", "2025-05-25" },
    }
  end)

  it("reads parts of the day and zones", function()
    run {
      { "Let's meet in the morning.", "in the morning", "date", "TMO" },
      { "See you this evening.", "this evening", "date", "2025-05-14TEV" },
      { "Call me at 8 tonight.", "8 tonight", "date", "2025-05-14T20" },
      { "I'll go back tonight at 2am.", "tonight at 2am", "date", "2025-05-14T02" },
      { "It starts Thursday 8:00 gmt.", "Thursday 8:00 gmt", "date", "2025-05-15T08:00Z" },
    }
  end)

  it("reads the rest of a period, weeks after next and years before months", function()
    run {
      { "I'll be out the rest of the week.", "the rest of the week", "range", "2025-05-14/2025-05-18" },
      { "We meet the week after next.", "the week after next", "date", "2025-W22" },
      { "Sales grew in Q3 this year.", "Q3 this year", "date", "2025-Q3" },
      { "It opened in 2016 June.", "2016 June", "date", "2016-06" },
      { "It opened in 2015/3.", "2015/3", "date", "2015-03" },
      { "I was away last sept, he said.", "last sept", "date", "2024-09" },
    }
  end)

  it("reads sets", function()
    run {
      { "We leave 3pm each day.", "3pm each day", "set", "T15" },
      { "We meet every night at 9.", "every night at 9", "set", "T21" },
      { "We meet on Mondays.", "on Mondays", "set", "XXXX-WXX-1" },
      { "We leave at 9am on Sundays.", "9am on Sundays", "set", "XXXX-WXX-7T09" },
      { "We meet twice a week.", "twice a week", "set", "P1W" },
      { "We have a quarterly meeting.", "quarterly", "set", "P3M" },
      { "We meet every other Friday.", "every other Friday", "set", "XXXX-WXX-5" },
    }
  end)

  it("puts the hours on a day", function()
    run {
      { "Can you meet tomorrow between 8am and 2pm?", "tomorrow between 8am and 2pm", "range", "2025-05-15T08/2025-05-15T14" },
      { "It will happen today before 4pm.", "today before 4pm", "date", "2025-05-14T16" },
      { "I'll go back Tuesday in the afternoon.", "Tuesday in the afternoon", "date", "2025-05-13TAF" },
    }
  end)

  it("keeps a weekday when the number after it counts something", function()
    run { { "On Monday 5 people died.", "Monday", "date", "2025-05-12" } }
  end)

  it("reads nth weekdays and last days of months, bare day numbers and 'at 1030'", function()
    run {
      { "It falls on the last Friday of October.", "the last Friday of October", "date", "2025-10-31" },
      { "It closed on the last day of October 2015.", "the last day of October 2015", "date", "2015-10-31" },
      { "I went back for the 27.", "the 27", "date", "2025-05-27" },
      { "We meet at 1030.", "1030", "time", "T10:30" },
      { "The office is open through 2:00pm.", "through 2:00pm", "time", "T14:00" },
    }
  end)

  it("gives the first side of a range the second side's year, and reads dotted times", function()
    run {
      { "It ran Nov 18-Dec 19, 2015.", "Nov 18-Dec 19, 2015", "range", "2015-11-18/2015-12-19" },
      { "Shall we leave before 2.30pm?", "before 2.30pm", "time", "T14:30" },
      { "What is your plan for the day after?", "the day after", "date", "2025-05-15" },
    }
  end)

  it("reads holidays: fixed, counted from Easter, nth weekdays, next and last ones", function()
    run {
      { "See you on Valentine's Day.", "Valentine's Day", "date", "2025-02-14" },
      { "The parade is on Palm Sunday 2024.", "Palm Sunday 2024", "date", "2024-03-24" },
      { "Orthodox Good Friday 2020 fell in April.", "Orthodox Good Friday 2020", "date", "2020-04-17" },
      { "Offices close on MLK Day 2012.", "MLK Day 2012", "date", "2012-01-16" },
      { "We will meet next Halloween.", "next Halloween", "date", "2025-10-31" },
      { "Where were you last Easter?", "last Easter", "date", "2025-04-20" },
      -- days counted from an nth weekday may fall in the next month
      { "Sales peaked on Cyber Monday 2019.", "Cyber Monday 2019", "date", "2019-12-02" },
      { "Sales peaked on Cyber Monday 2021.", "Cyber Monday 2021", "date", "2021-11-29" },
      { "Stores opened early on Black Friday 2025.", "Black Friday 2025", "date", "2025-11-28" },
    }
  end)

  it("reads spans of hours and minutes, and spans without a reference as text only", function()
    run {
      { "I'll go back next hour.", "next hour", "range", "2025-05-14T10:30:00/2025-05-14T11:30:00" },
      { "Can we wait another month?", "another month", "duration", "P1M" },
    }
    local doc = tidings.analyze("Rain fell over the last 3 days.")
    local n = doc:numbers()[1]
    assert.are.equal("last 3 days", n.text)
    assert.is_nil(n.timex)
    assert.is_nil(find("He made it at the last minute.", "last minute"))
  end)

  it("reads times of day: ranges over midnight, '12 noon', 'mid morning', a part of the day first", function()
    run {
      { "The class is from 11 pm to 3.", "from 11 pm to 3", "range", "T23/T03" },
      { "Meet from 10:30am to 23.", "from 10:30am to 23", "range", "T10:30/T23" },
      { "I'll be back 12 noon.", "12 noon", "time", "T12" },
      { "I'll be back afternoon at 7.", "afternoon at 7", "time", "T19" },
      { "It's 20 min past eight in the evening.", "20 min past eight in the evening", "time", "T20:20" },
    }
  end)

  it("reads comparisons around dates", function()
    local cases = {
      { "You can't leave later than 2016.", "later than 2016", "2016", ">" },
      { "Schedule a meeting prior to 2pm.", "prior to 2pm", "T14", "<" },
      { "It was done more than 2 weeks before today.", "more than 2 weeks before today", "2025-04-30", "<" },
      { "The range is 2012 or after.", "2012 or after", "2012", ">=" },
      { "Leave on or before the day after tomorrow.", "on or before the day after tomorrow", "2025-05-16", "<=" },
    }
    for _, c in ipairs(cases) do
      local n = find(c[1], c[2], "2025-05-14")
      assert(n, c[1])
      assert.are.equal(c[3], n.timex, c[1])
      assert.are.equal(c[4], n.bound, c[1])
    end
  end)

  it("reads more date shapes: 'on 15', '28-nov', '16. Nov. 2016', '11/12,2016', 'right now', 'the next day'", function()
    run {
      { "I'll go back on 15.", "15", "date", "2025-05-15" },
      { "I'll go back 28-nov.", "28-nov", "date", "2024-11-28" },
      { "It opened 16. Nov. 2016.", "16. Nov. 2016", "date", "2016-11-16" },
      { "I'll go back 11/12,2016.", "11/12,2016", "date", "2016-11-12" },
      { "I'll go back right now.", "right now", "date", "2025-05-14" },
      { "I'll go back the next day.", "the next day", "date", "2025-05-15" },
      { "See you this Friday at one o'clock pm.", "this Friday at one o'clock pm", "date", "2025-05-16T13" },
    }
    assert.is_nil(find("He scored on 15 occasions.", "15") and find("He scored on 15 occasions.", "15").timex)
  end)

  it("leaves verbs and counts alone in news text", function()
    assert.is_nil(find("They were permitted to march in the parade.", "march"))
    assert.is_nil(find("The annual report came out.", "annual"))
    assert.is_nil(find("He made it at the last minute.", "last minute"))
  end)

  it("puts unmarked hours on a deictic day, but not scores", function()
    run {
      { "I'll be out five to seven today.", "five to seven today", "range", "2025-05-14T05/2025-05-14T07" },
      { "I was out between 7 and 9:30 last night.", "between 7 and 9:30 last night", "range", "2025-05-13T19/2025-05-13T21:30" },
    }
    assert.is_nil(find("They won 3 to 1 yesterday.", "3 to 1 yesterday"))
  end)

  it("picks the year from the weekday, and reads 'after next', '2018Q4', '15 to noon'", function()
    run {
      { "The launch is Fri, Jul 18.", "Fri, Jul 18", "date", "2025-07-18" },
      { "We meet Friday after next.", "Friday after next", "date", "2025-05-23" },
      { "Results came in 2018Q4.", "2018Q4", "date", "2018-Q4" },
      { "It starts 15 to noon.", "15 to noon", "time", "T11:45" },
      { "It starts in a quarter of an hour.", "in a quarter of an hour", "date", "2025-05-14T10:45:00" },
    }
  end)

  it("reads early and late parts of the day, 'between now and ...', military time ranges", function()
    run {
      { "What happened in late afternoon?", "late afternoon", "time", "TAF" },
      { "Let's meet early this evening.", "early this evening", "date", "2025-05-14TEV" },
      { "Where were you the 12th between 0730-0930?", "the 12th between 0730-0930", "range", "2025-05-12T07:30/2025-05-12T09:30" },
    }
    local n = find("Do it between now and May 21.", "between now and May 21", "2025-05-14")
    assert.are.equal("2025-05-14/2025-05-21", n.timex)
  end)

  it("reads spaced and loose clock times", function()
    run {
      { "I'll be back 7 p. m", "7 p. m", "time", "T19" },
      { "I'll be back 1140 a m", "1140 a m", "time", "T11:40" },
      { "I'll be back at 9a.", "9a", "time", "T09" },
      { "It's half past seven afternoon", "half past seven afternoon", "time", "T19:30" },
      { "I'll be back 11ish", "11ish", "time", "T11" },
    }
  end)

  it("puts early and late parts of the day on a weekday", function()
    run {
      { "Let's meet in the early-morning Tuesday.", "in the early-morning Tuesday", "date", "2025-05-13TMO" },
      { "Let's meet on Tuesday late night.", "Tuesday late night", "date", "2025-05-13TNI" },
      { "Can we meet in the morning of this Tuesday?", "in the morning of this Tuesday", "date", "2025-05-13TMO" },
    }
  end)

  it("puts a comparison on a day's hours, and keeps 'before 2010 or after 2018' apart", function()
    local n = find("Let's go on Feb 1st no later than 6:00.", "Feb 1st no later than 6:00", "2025-05-14")
    assert.are.equal("2025-02-01T06:00", n.timex)
    assert.are.equal("<=", n.bound)
    assert.is_truthy(find("Show sales before 2010 or after 2018.", "before 2010", "2025-05-14"))
    assert.is_truthy(find("Show sales before 2010 or after 2018.", "after 2018", "2025-05-14"))
  end)

  it("ends a range after its start, and reads month-month ranges", function()
    run {
      { "What will happen from Nov to March?", "from Nov to March", "range", "2024-11/2025-03" },
      { "APEC meets in Korea Jan-Feb 2017.", "Jan-Feb 2017", "range", "2017-01/2017-02" },
    }
    assert.is_nil(find("Is this a valid date? 2015-32", "2015").timex)
  end)

  it("reads bare hours after a weekday", function()
    run { { "Can we find a time Monday 11-4?", "Monday 11-4", "range", "2025-05-12T11/2025-05-12T16" } }
  end)

  it("gives every weekday of a list the week the list names", function()
    run {
      { "Can we meet next Monday or Tuesday?", "Tuesday", "date", "2025-05-20" },
      { "Tuesday or Thursday next week works.", "Tuesday", "date", "2025-05-20" },
    }
  end)

  it("draws the beginning, middle and end of a year, month or week, and seasons, as intervals", function()
    run {
      { "Talks resume at the end of the month.", "the end of the month", "range", "2025-05-21/2025-06-01" },
      { "It opens at the beginning of 2026.", "the beginning of 2026", "range", "2026-01/2026-04" },
      { "It closed at the end of 2012.", "the end of 2012", "range", "2012-09/2013-01" },
      { "Voting starts beginning of next week.", "beginning of next week", "range", "2025-05-19/2025-05-22" },
      { "The vote is in mid March.", "mid March", "range", "2025-03-11/2025-03-21", "2025-05-14" },
    }
    assert.are.equal("2026-SP", find("I'll leave next spring.", "next spring", "2025-05-14").timex_raw)
    local n = find("Talks resume at the end of the month.", "the end of the month", "2025-05-14")
    assert.are.equal("2025-05", n.timex_raw)
    assert.are.equal("<=", find("by the end of the year", "by the end of the year", "2025-05-14").bound)
  end)

  it("dates Jewish, Islamic and Hindu holidays and the Chinese new year", function()
    run {
      { "Yom Kippur 2018 falls on a Wednesday.", "Yom Kippur 2018", "date", "2018-09-18" },
      { "during Hanukkah 2018", "Hanukkah 2018", "range", "2018-12-02/2018-12-10" },
      { "Passover 2019 begins", "Passover 2019", "range", "2019-04-19/2019-04-27" },
      { "Eid al-Fitr 2018 fell on a Friday.", "Eid al-Fitr 2018", "date", "2018-06-15" },
      { "Ramadan 2034 ends", "Ramadan 2034", "range", "2034-11-12/2034-12-12" },
      { "Diwali 2019 was quiet.", "Diwali 2019", "date", "2019-10-27" },
      { "Holi 2020 was quiet.", "Holi 2020", "date", "2020-03-10" },
      { "Raksha Bandhan 2018 was quiet.", "Raksha Bandhan 2018", "date", "2018-08-26" },
      { "Makar Sankranti 2019 was cold.", "Makar Sankranti 2019", "date", "2019-01-15" },
      { "Chinese New Year 2014 was cold.", "Chinese New Year 2014", "date", "2014-01-31" },
      { "Parsi New Year 2022 was quiet.", "Parsi New Year 2022", "date", "2022-08-16" },
      { "Diwali in 2019 was quiet.", "Diwali in 2019", "date", "2019-10-27" },
    }
  end)

  it("reads years said in words and months with a spaced-out year", function()
    run {
      { "The plant opened in nineteen eighty four.", "nineteen eighty four", "date", "1984" },
      { "It was built in eighteen oh five.", "eighteen oh five", "date", "1805" },
      { "They met in March nineteen sixty two.", "March nineteen sixty two", "date", "1962-03" },
      { "born on 4 July twenty twelve", "4 July twenty twelve", "date", "2012-07-04" },
      { "He returned in May two thousand and nine.", "May two thousand and nine", "date", "2009-05" },
      { "since two thousand and three", "since two thousand and three", "date", "2003" },
      { "the summer of nineteen ninety", "summer of nineteen ninety", "range", "1990-06-21/1990-09-23" },
      { "The report covers 2019 - 04.", "2019 - 04", "date", "2019-04" },
      { "The report covers 04 /2019.", "04 /2019", "date", "2019-04" },
    }
    -- a count, not a year; a month's day is not "two" of "two thousand"
    local n = find("They built homes in two thousand villages.", "two thousand", "2025-05-14")
    assert.is_true(n == nil or n.kind ~= "date")
    assert.is_nil(find("in October two thousand", "October two", "2025-05-14"))
    assert.is_nil(find("It won 2016 - 11 votes.", "2016 - 11", "2025-05-14"))
  end)

  it("reads parts of the day with early, late, mid and plurals", function()
    run {
      { "We met in the early-morning.", "in the early-morning", "date", "TMO" },
      { "They train in the evenings.", "in the evenings", "date", "TEV" },
      { "Work stops in the late night.", "in the late night", "date", "TNI" },
      { "Crews worked in the night-time.", "in the night-time", "date", "TNT" },
      { "Flights leave in the daytime.", "in the daytime", "date", "TDT" },
      { "The blast came mid-morning.", "mid-morning", "time", "T10" },
      { "Trading paused at mid-day.", "mid-day", "time", "T12" },
      { "He called back 12 in the night.", "12 in the night", "time", "T00" },
      { "The vote is in mid-June.", "mid-June", "range", "2025-06-11/2025-06-21", "2025-05-14" },
    }
    assert.is_nil(find("It fell to sub-zero levels.", "zero", "2025-05-14"))
  end)

  it("writes a weekday with a day of the month as the weekday, resolved to the day", function()
    local n = find("Talks resume Monday 19 at noon.", "Monday 19 at noon", "2025-05-14")
    assert.are.equal("2025-05-19T12", n.timex)
    assert.are.equal("XXXX-WXX-1T12", n.timex_raw)
  end)

  it("reads a duration with its start as the span it covers", function()
    run {
      { "The strike will last for 48 hours from 6am on Friday.", "for 48 hours from 6am on Friday", "range", "2025-05-16T06/2025-05-18T06" },
      { "Talks ran for 90 minutes from 2pm.", "for 90 minutes from 2pm", "range", "T14/T15:30" },
      { "Polls stay open for 1.5 hours from 7:30.", "for 1.5 hours from 7:30", "range", "T07:30/T09" },
      { "The ban applies for 10 days, from May 19.", "for 10 days, from May 19", "range", "2025-05-19/2025-05-29" },
      { "A curfew of two weeks starting June 3 was declared.", "two weeks starting June 3", "range", "2025-06-03/2025-06-17" },
      { "Flights are cut for a week beginning on Friday.", "a week beginning on Friday", "range", "2025-05-16/2025-05-23" },
    }
    -- the year unsaid stays unsaid as written
    assert.are.equal("XXXX-06-03/XXXX-06-17", find("It runs 2 weeks starting June 3.", "2 weeks starting June 3", "2025-05-14").timex_raw)
    -- without "for", "3 days from Monday" is the day it reaches
    assert.are.equal("date", find("He returns 3 days from Monday.", "3 days from Monday", "2025-05-14").kind)
    -- no clock to count hours from; a bare clock time does not run past midnight
    assert.is_nil(find("It lasted for 5 hours from Monday.", "for 5 hours from Monday", "2025-05-14"))
    assert.is_nil(find("It lasted for 48 hours from 6am.", "for 48 hours from 6am", "2025-05-14"))
  end)

  it("reads decades in words and with an apostrophe; without a century they are the 1900s'", function()
    run {
      { "Music of the sixties is back.", "the sixties", "date", "196" },
      { "It was built in the nineteen-eighties.", "the nineteen-eighties", "date", "198" },
      { "Prices rose in the twenty-tens.", "the twenty-tens", "date", "201" },
      { "A boom in the noughties ended.", "the noughties", "date", "200" },
      { "In the two thousands it grew.", "the two thousands", "date", "200" },
      { "A war in the '40s.", "the '40s", "date", "194" },
      { "Hits of the 80's.", "the 80's", "date", "198" },
    }
    assert.are.equal("XX6", find("Music of the sixties is back.", "the sixties", "2025-05-14").timex_raw)
    assert.is_nil(find("Music of the 1960s is back.", "the 1960s", "2025-05-14").timex_raw)
    -- an age, and "tens" alone, are no decades
    local doc = tidings.analyze("She is in her seventies; the tens of cases.")
    for _, n in ipairs(doc:numbers { reference = "2025-05-14" }) do assert.are_not.equal("date", n.kind, n.text) end
  end)

  it("reads meal times with a cue or said as a time, never the bare meal", function()
    run {
      { "Talks resume after lunch.", "after lunch", "time", "TMEL" },
      { "He spoke at lunchtime.", "at lunchtime", "time", "TMEL" },
      { "A lunchtime rally was held.", "lunchtime", "time", "TMEL" },
      { "They met before breakfast.", "before breakfast", "time", "TMEB" },
      { "Votes come around dinner time.", "around dinner time", "time", "TMED" },
      { "Back by lunchtime 1 o'clock.", "by lunchtime 1 o'clock", "time", "T13" },
    }
    assert.are.equal(">", find("Talks resume after lunch.", "after lunch", "2025-05-14").bound)
    local doc = tidings.analyze("They had lunch with the president and a state dinner.")
    assert.are.equal(0, #doc:numbers { reference = "2025-05-14" })
  end)

  it("gives range hours the half of the day their day or end says", function()
    run {
      { "Polls open this evening from 7 to 9:30.", "this evening from 7 to 9:30", "range", "2025-05-14T19/2025-05-14T21:30" },
      { "The curfew runs from 11 to 5am.", "from 11 to 5am", "range", "T23/T05" },
      { "Shops open from 9 to 11am.", "from 9 to 11am", "range", "T09/T11" },
      { "Prices rose between Jan 22 and now.", "between Jan 22 and now", "range", "2025-01-22/2025-05-14" },
    }
    assert.are.equal("2025-05-14/XXXX-11-15", find("We work between now and November 15th.", "between now and November 15th", "2025-05-14").timex_raw)
  end)

  it("reads AM/PM after a day, year-first dates with a month name, and nth weekdays of this month", function()
    run {
      { "Markets closed Tuesday PM.", "Tuesday PM", "date", "2025-05-13TAF" },
      { "Filed 2019/sep/01.", "2019/sep/01", "date", "2019-09-01" },
      { "Filed 2020-aug-1.", "2020-aug-1", "date", "2020-08-01" },
      { "Filed 2020/23/Sep.", "2020/23/Sep", "date", "2020-09-23" },
      { "Polls open first Sunday.", "first Sunday", "date", "2025-05-04" },
      { "It meets third Tuesday.", "third Tuesday", "date", "2025-05-20" },
    }
    assert.are.equal("XXXX-02-05TMO", find("Talks resume Feb 5 AM.", "Feb 5 AM", "2025-05-14").timex_raw)
    -- a possessive makes it a count of Mondays, not a date of this month
    assert.is_nil(find("It was his first Monday as president.", "first Monday", "2025-05-14"))
  end)

  it("reads a weekday with 'the' and the day in words, and a clock after it", function()
    run {
      { "Back Friday the fifteen.", "Friday the fifteen", "date", "2025-08-15" },
      { "Back Monday the twenty-sixth six pm.", "Monday the twenty-sixth six pm", "date", "2025-05-26T18" },
    }
    -- "Monday, the company said": the weekday alone, without "the"
    assert.is_truthy(find("Monday, the company said.", "Monday", "2025-05-14"))
    assert.is_truthy(find("Monday 5 people came.", "Monday", "2025-05-14"))
  end)

  it("gives 'the week of' a day that day's ISO week, and reads '2014~2018'", function()
    local n = find("Talks are set for the week of March 6th.", "the week of March 6th", "2025-05-14")
    assert.are.equal("2025-W10", n.timex)
    assert.are.equal("XXXX-03-06", n.timex_raw)
    assert.are.equal("2025-03-03", find("It starts the week starting March 3.", "the week starting March 3", "2025-05-14").timex)
    run { { "Sales rose between 2014~2018.", "between 2014~2018", "range", "2014/2018" } }
  end)

  it("reads a weekday after a month and day, and a day glued to its month", function()
    run {
      { "Polls close Jul 18, Fri.", "Jul 18, Fri", "date", "2025-07-18" },
      { "He left 14april 2015.", "14april 2015", "date", "2015-04-14" },
    }
    -- in an address it is no date
    local doc = tidings.analyze("See www.19sep.org for details.")
    for _, n in ipairs(doc:numbers { reference = "2025-05-14" }) do assert.are_not.equal("date", n.kind, n.text) end
  end)

  it("takes the year said after a month or day with 'of' or 'in'", function()
    run {
      { "Prices fell in July of 2004.", "July of 2004", "date", "2004-07" },
      { "It happened in June of nineteen ninety nine.", "June of nineteen ninety nine", "date", "1999-06" },
      { "She was born in April of 87.", "April of 87", "date", "1987-04" },
      { "It was hot on the fourth of July of 1995.", "the fourth of July of 1995", "date", "1995-07-04" },
      { "Polls opened May 5 in 2020.", "May 5 in 2020", "date", "2020-05-05" },
      { "Sales from April in 2016 to June in 2017 fell.", "from April in 2016 to June in 2017", "range", "2016-04/2017-06" },
    }
    -- "in" with two digits, or a count after "of", is no year
    assert.is_truthy(find("In June in 2 weeks.", "in 2 weeks", "2025-05-14"))
    assert.is_truthy(find("By April of 87 people left.", "87", "2025-05-14"))
  end)

  it("keeps the 'at' of a dotted clock without am/pm, and a duration after a time only with 'from'", function()
    run {
      { "Shall we leave at 6.45?", "at 6.45", "time", "T06:45" },
      { "Polls close at 8.30pm today.", "8.30pm today", "date", "2025-05-14T20:30" },
      { "Talks run from 2pm for 2 hours.", "from 2pm for 2 hours", "range", "T14/T16" },
      { "Meet at 2pm for 1 hr.", "2pm", "time", "T14" },
    }
  end)

  it("takes a zone said by name after a clock into the text, its offset unsaid", function()
    run {
      { "It exploded at 10am local time on Monday.", "10am local time on Monday", "date", "2025-05-12T10" },
      { "Trading opens at 9:30 am Eastern Time.", "9:30 am Eastern Time", "time", "T09:30" },
      { "The call is at 7 PM Eastern.", "7 PM Eastern", "time", "T19" },
      { "Flights left at 8:55pm Baghdad time.", "8:55pm Baghdad time", "time", "T20:55" },
      { "It hit approximately 0500 local time.", "approximately 0500 local time", "time", "T05:00" },
      { "Doors open between 6:30 and 9 pst.", "between 6:30 and 9 pst", "range", "T06:30-08:00/T09-08:00" },
    }
    -- a place after the clock, and a bare "PT" after a count, are no zones
    assert.is_truthy(find("Shelling began at 5 pm Eastern Ukraine time was not given.", "5 pm", "2025-05-14"))
    assert.is_truthy(find("Some 300 PT businessmen came.", "Some 300", "2025-05-14"))
  end)

  it("reads 'next evening', 'last evening' from the reference, but not 'the next morning' of a story", function()
    run {
      { "We leave next evening from 7 to 9.", "next evening from 7 to 9", "range", "2025-05-15T19/2025-05-15T21" },
      { "He died last evening.", "last evening", "date", "2025-05-13TEV" },
    }
    assert.is_nil(find("They left the next morning.", "next morning", "2025-05-14"))
  end)

  it("reads 'the first quarter of the year' as the first quarter of any year", function()
    local n = find("The first quarter of the year is slow.", "The first quarter of the year", "2025-05-14")
    assert.are.equal("XXXX-Q1", n.timex_raw)
    assert.are.equal("2025-Q1", n.timex)
  end)

  it("gives the same results every time (a failed duration-with-start try must not end the date pass)", function()
    for _, text in ipairs { "See you after lunch.", "I'll be back lunchtime.", "Music of the nineties." } do
      local first
      for _ = 1, 6 do
        local doc = tidings.analyze(text, { reference = "2025-05-14" })
        local got = {}
        for _, n in ipairs(doc:numbers { relative = true }) do got[#got + 1] = n.text end
        local s = table.concat(got, "|")
        first = first or s
        assert.are.equal(first, s, text)
        assert.are_not.equal("", s, text)
      end
    end
  end)
end)
