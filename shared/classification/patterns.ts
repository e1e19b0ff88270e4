// Keywords of categories as matchers: a plain keyword matches as a whole word (case-insensitive, any script);
// `/source/flags` is a regular expression. User patterns run on RE2 (re2js, a pure-JavaScript port of RE2):
// matching takes time linear in the text whatever the pattern, so `(a+)+$` is as cheap as `a+$`. RE2 has no
// back-references or lookarounds; a pattern using them is refused. Patterns are checked when a definition is
// saved and again when one is compiled to run, so a pattern written into a table by other means never runs.
import { RE2JS } from 're2js';
import { AppError } from '../http/errors.ts';

const PATTERN = /^\/(.+)\/([a-z]*)$/s;
const ALLOWED_FLAGS = /^[imsu]*$/;
/** The longest pattern source accepted. */
const MAX_PATTERN_LENGTH = 200;
/** The size of a compiled pattern (RE2 instructions): matching costs about this many steps per character. */
const MAX_PATTERN_PROGRAM = 200;
/** Regular-expression keywords in one definition, over all its categories. */
export const MAX_PATTERNS = 20;

/** A keyword that cannot run; the message names the keyword. Answered as 400 when it reaches a request. */
class PatternError extends AppError {
  constructor(message: string) {
    super(400, 'bad_request', message);
    this.name = 'PatternError';
  }
}

/** True when a keyword is written as a regular expression (`/…/flags`). */
export function isPattern(keyword: string): boolean {
  return PATTERN.test(keyword);
}

function compilePattern(source: string, flags: string): RE2JS {
  let options = 0;
  if (flags.includes('i')) options |= RE2JS.CASE_INSENSITIVE;
  if (flags.includes('m')) options |= RE2JS.MULTILINE;
  if (flags.includes('s')) options |= RE2JS.DOTALL;
  return RE2JS.compile(source, options);
}

/** Why a `/…/flags` keyword cannot be used, or undefined when it can. */
export function checkPattern(keyword: string): string | undefined {
  const [, source = '', flags = ''] = keyword.match(PATTERN) ?? [];
  if (!ALLOWED_FLAGS.test(flags)) return `flags may only be i, m, s and u (got "${flags}")`;
  if (source.length > MAX_PATTERN_LENGTH)
    return `a pattern may have at most ${MAX_PATTERN_LENGTH} characters`;
  let compiled: RE2JS;
  try {
    compiled = compilePattern(source, flags);
  } catch (error) {
    const reason = (error as Error).message.replace(/^error parsing regexp: /, '');
    return `not a pattern the linear-time engine (RE2) accepts: ${reason}; back-references and lookarounds are not supported`;
  }
  if (compiled.programSize() > MAX_PATTERN_PROGRAM)
    return `the pattern is too complex (${compiled.programSize()} RE2 instructions, at most ${MAX_PATTERN_PROGRAM})`;
  return undefined;
}

/** Problems with the patterns of a definition's categories (count and each pattern), each naming its keyword. */
function checkPatterns(keywords: readonly string[]): string[] {
  const patterns = keywords.filter(isPattern);
  const problems = patterns.flatMap((keyword) => {
    const problem = checkPattern(keyword);
    return problem ? [`keyword ${keyword}: ${problem}`] : [];
  });
  if (patterns.length > MAX_PATTERNS)
    problems.push(
      `at most ${MAX_PATTERNS} regular-expression keywords are allowed (found ${patterns.length})`,
    );
  return problems;
}

/** Throws a PatternError unless every pattern among `keywords` may run. */
export function assertPatterns(keywords: readonly string[]): void {
  const [problem] = checkPatterns(keywords);
  if (problem) throw new PatternError(problem);
}

/** Counts occurrences of a keyword in a text. */
export interface KeywordMatcher {
  /** How many times the keyword occurs in `text`, counting at most `cap`. */
  count(text: string, cap: number): number;
}

// No `-`: outside a character class it needs no escape, and under the `u` flag `\-` is a syntax error.
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * A matcher for one keyword. A plain keyword becomes an escaped whole-word expression of our own (no user
 * syntax reaches the backtracking engine); `/…/flags` runs on RE2 after the same checks as at save time.
 */
export function keywordMatcher(keyword: string): KeywordMatcher {
  const pattern = keyword.match(PATTERN);
  if (pattern) {
    const problem = checkPattern(keyword);
    if (problem) throw new PatternError(`keyword ${keyword}: ${problem}`);
    const compiled = compilePattern(pattern[1]!, pattern[2] ?? '');
    return {
      count(text, cap) {
        const matcher = compiled.matcher(text);
        let count = 0;
        // find() continues after the previous match and steps over an empty one.
        while (count < cap && matcher.find()) count++;
        return count;
      },
    };
  }
  const words = keyword.trim().split(/\s+/).map(escapeRegExp).join('\\s+');
  const matcher = new RegExp(`(?<![\\p{L}\\p{N}_])${words}(?![\\p{L}\\p{N}_])`, 'giu');
  return {
    count(text, cap) {
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
    },
  };
}
