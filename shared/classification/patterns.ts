// Keywords of categories as matchers: a plain keyword matches as a whole word (case-insensitive, any script);
// `/source/flags` is a regular expression. User patterns run on the server, so the ones that can backtrack
// catastrophically (a quantified group that itself repeats, back-references) are refused when saved.

const PATTERN = /^\/(.+)\/([a-z]*)$/s;
const ALLOWED_FLAGS = /^[imsu]*$/;
// A group containing a quantifier and followed by a quantifier: (a+)+, (\w*x)*, (a|aa){2,}.
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*?}](?:[^()\\]|\\.)*\)\s*(?:[+*]|\{\d+,?\d*\})/;
const BACK_REFERENCE = /\\[1-9]|\\k</;

/** True when a keyword is written as a regular expression (`/…/flags`). */
export function isPattern(keyword: string): boolean {
  return PATTERN.test(keyword);
}

/** Why a `/…/flags` keyword cannot be used, or undefined when it can. */
export function checkPattern(keyword: string): string | undefined {
  const [, source = '', flags = ''] = keyword.match(PATTERN) ?? [];
  if (!ALLOWED_FLAGS.test(flags)) return `flags may only be i, m, s and u (got "${flags}")`;
  if (NESTED_QUANTIFIER.test(source)) return 'a repeated group may not itself contain a quantifier';
  if (BACK_REFERENCE.test(source)) return 'back-references are not allowed';
  try {
    new RegExp(source, flags);
  } catch (error) {
    return `not a valid regular expression (${(error as Error).message})`;
  }
  return undefined;
}

// No `-`: outside a character class it needs no escape, and under the `u` flag `\-` is a syntax error.
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** A global matcher for one keyword; `/…/flags` keeps its own flags, a plain one matches whole words. */
export function keywordMatcher(keyword: string): RegExp {
  const pattern = keyword.match(PATTERN);
  if (pattern) {
    const flags = pattern[2] ?? '';
    return new RegExp(pattern[1]!, `${flags}g`);
  }
  const words = keyword.trim().split(/\s+/).map(escapeRegExp).join('\\s+');
  return new RegExp(`(?<![\\p{L}\\p{N}_])${words}(?![\\p{L}\\p{N}_])`, 'giu');
}

/** How many times `matcher` occurs in `text`, counting at most `cap`. */
export function countMatches(matcher: RegExp, text: string, cap: number): number {
  matcher.lastIndex = 0;
  let count = 0;
  while (count < cap) {
    const match = matcher.exec(text);
    if (!match) break;
    count++;
    // An empty match would loop for ever.
    if (match[0] === '') matcher.lastIndex++;
  }
  return count;
}
