import { parseError, unsupported } from './errors.ts';

// The query-string grammar of PostgREST that the stand-in implements: select lists with columns, aliases and
// embedded counts, horizontal filters with not/or/and, order. Anything else valid in PostgREST is `unsupported`.

export type SelectItem =
  | { kind: 'star' }
  | { kind: 'column'; column: string; alias?: string }
  | { kind: 'count'; relation: string; alias?: string };

const OPERATORS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'like', 'ilike', 'in', 'is'] as const;
type Operator = (typeof OPERATORS)[number];
const OTHER_OPERATORS = [
  'match',
  'imatch',
  'fts',
  'plfts',
  'phfts',
  'wfts',
  'cs',
  'cd',
  'ov',
  'sl',
  'sr',
  'nxl',
  'nxr',
  'adj',
  'isdistinct',
  'not_null',
];

export type Filter =
  | { kind: 'condition'; column: string; negate: boolean; op: Operator; value: string | string[] }
  | { kind: 'logic'; op: 'and' | 'or'; negate: boolean; items: Filter[] };

export interface OrderItem {
  column: string;
  descending: boolean;
  nulls?: 'first' | 'last';
}

const NAME = /^[A-Za-z_][A-Za-z0-9_$]*$/;

/** Splits at commas outside parentheses and double quotes. */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (quoted) {
      current += char;
      if (char === '\\' && i + 1 < text.length) current += text[++i];
      else if (char === '"') quoted = false;
      continue;
    }
    if (char === '"') quoted = true;
    else if (char === '(') depth++;
    else if (char === ')') depth--;
    if (depth < 0) throw parseError(`unexpected ")" in "${text}"`);
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  if (depth !== 0 || quoted) throw parseError(`unbalanced parentheses or quotes in "${text}"`);
  parts.push(current);
  return parts;
}

function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    return value.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return value;
}

/** A column or table name: plain, or double-quoted as supabase-js writes `columns`. */
export function identifier(raw: string, where: string): string {
  const text = raw.trim();
  if (text.startsWith('"')) {
    if (!text.endsWith('"') || text.length < 3)
      throw parseError(`malformed quoted name in ${where}: ${text}`);
    return unquote(text);
  }
  if (text.includes('->')) throw unsupported(`JSON paths (${text}) in ${where}`);
  if (text.includes('::')) throw unsupported(`Casts (${text}) in ${where}`);
  if (!NAME.test(text)) throw parseError(`"${text}" is not a column name (in ${where})`);
  return text;
}

/** `select=`: `*`, `col`, `alias:col`, `rel(count)`, `alias:rel(count)`. */
export function parseSelect(raw: string | undefined): SelectItem[] {
  if (raw === undefined || raw.trim() === '') return [{ kind: 'star' }];
  return splitTopLevel(raw).map((part): SelectItem => {
    const text = part.trim();
    if (text === '*') return { kind: 'star' };
    if (text.startsWith('...')) throw unsupported(`Spread embedding (${text})`);
    const colon = text.match(/^([A-Za-z_][A-Za-z0-9_$]*|"[^"]+"):(?!:)(.*)$/);
    const alias = colon ? identifier(colon[1] as string, 'select') : undefined;
    const body = colon ? (colon[2] as string).trim() : text;
    const embed = body.match(/^([^()]+)\((.*)\)$/s);
    if (embed) {
      const relation = embed[1] as string;
      if (relation.trim() === 'count' && (embed[2] as string).trim() === '')
        throw unsupported('Aggregate functions (count())');
      if (relation.includes('!')) throw unsupported(`Embedding hints (${relation})`);
      if ((embed[2] as string).trim() !== 'count') {
        throw unsupported(`Embedding resources other than their count (${text}); embed with rel(count)`);
      }
      return { kind: 'count', relation: identifier(relation, 'select'), alias };
    }
    if (body === '*') throw parseError('an alias cannot name "*"');
    return { kind: 'column', column: identifier(body, 'select'), alias };
  });
}

function parseList(raw: string): string[] {
  if (!raw.startsWith('(') || !raw.endsWith(')'))
    throw parseError(`"in" needs a list in parentheses: ${raw}`);
  const inner = raw.slice(1, -1);
  if (inner.trim() === '') return [];
  return splitTopLevel(inner).map((value) => unquote(value.trim()));
}

/** `[not.]op.value` for `column`; inside or/and a value may be double-quoted. */
function parseCondition(column: string, expression: string, inLogic: boolean): Filter {
  let rest = expression;
  let negate = false;
  if (rest.startsWith('not.')) {
    negate = true;
    rest = rest.slice(4);
  }
  const dot = rest.indexOf('.');
  const opText = dot < 0 ? rest : rest.slice(0, dot);
  const value = dot < 0 ? '' : rest.slice(dot + 1);
  const op = opText.replace(/\((any|all)\)$/, '');
  if (op !== opText) throw unsupported(`Operator modifiers (${opText})`);
  if (OTHER_OPERATORS.includes(op)) throw unsupported(`The "${op}" operator`);
  if (!(OPERATORS as readonly string[]).includes(op) || dot < 0) {
    throw parseError(
      `failed to parse filter (${expression})`,
      `unknown operator or missing value for "${column}"`,
    );
  }
  if (op === 'in') return { kind: 'condition', column, negate, op: 'in', value: parseList(value) };
  if (op === 'is' && !['null', 'true', 'false', 'unknown'].includes(value.toLowerCase())) {
    throw parseError(`failed to parse filter (${expression})`, '"is" takes null, true, false or unknown');
  }
  return { kind: 'condition', column, negate, op: op as Operator, value: inLogic ? unquote(value) : value };
}

/** `or=(...)` / `and=(...)`: conditions `col.op.value` and nested `and(...)`, `or(...)`, `not.and(...)`. */
export function parseLogic(op: 'and' | 'or', negate: boolean, raw: string): Filter {
  if (!raw.startsWith('(') || !raw.endsWith(')')) throw parseError(`failed to parse logic tree (${raw})`);
  const items = splitTopLevel(raw.slice(1, -1)).map((part): Filter => {
    const text = part.trim();
    const nested = text.match(/^(not\.)?(and|or)(\(.*\))$/s);
    if (nested) return parseLogic(nested[2] as 'and' | 'or', nested[1] !== undefined, nested[3] as string);
    const dot = text.indexOf('.');
    if (dot < 0)
      throw parseError(`failed to parse logic tree (${raw})`, `"${text}" is not column.operator.value`);
    return parseCondition(identifier(text.slice(0, dot), 'or/and'), text.slice(dot + 1), true);
  });
  return { kind: 'logic', op, negate, items };
}

/** A filter query parameter `column=[not.]op.value`. */
export function parseFilter(key: string, value: string): Filter {
  if (key.includes('.')) throw unsupported(`Filters on embedded resources (${key})`);
  return parseCondition(identifier(key, 'filters'), value, false);
}

/** `order=col[.asc|.desc][.nullsfirst|.nullslast],...`. */
export function parseOrder(raw: string): OrderItem[] {
  if (raw.trim() === '') return [];
  return splitTopLevel(raw).map((part) => {
    const [name, ...modifiers] = part.trim().split('.');
    if (part.includes('(')) throw unsupported(`Ordering by embedded resources (${part})`);
    const item: OrderItem = { column: identifier(name ?? '', 'order'), descending: false };
    for (const modifier of modifiers) {
      if (modifier === 'asc' || modifier === 'desc') item.descending = modifier === 'desc';
      else if (modifier === 'nullsfirst' || modifier === 'nullslast')
        item.nulls = modifier === 'nullsfirst' ? 'first' : 'last';
      else throw parseError(`failed to parse order (${part})`, `unknown modifier "${modifier}"`);
    }
    return item;
  });
}

/** The preferences of `Prefer` headers the stand-in acts on (PostgREST's lenient handling ignores the rest). */
export interface Preferences {
  return: 'minimal' | 'representation';
  count: boolean;
  resolution?: 'merge-duplicates' | 'ignore-duplicates';
  missingDefault: boolean;
}

export function parsePrefer(header: string | undefined, defaultReturn: Preferences['return']): Preferences {
  const prefs: Preferences = { return: defaultReturn, count: false, missingDefault: false };
  for (const token of (header ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [name, value] = token.split('=').map((part) => part.trim());
    if (name === 'return') {
      if (value === 'headers-only') throw unsupported('Prefer: return=headers-only');
      if (value === 'minimal' || value === 'representation') prefs.return = value;
    } else if (name === 'count' && (value === 'exact' || value === 'planned' || value === 'estimated')) {
      // The stand-in counts exactly whatever was asked: planned and estimated counts are estimates of this.
      prefs.count = true;
    } else if (name === 'resolution' && (value === 'merge-duplicates' || value === 'ignore-duplicates')) {
      prefs.resolution = value;
    } else if (name === 'missing') {
      prefs.missingDefault = value === 'default';
    } else if (name === 'tx' && value === 'rollback') {
      throw unsupported('Prefer: tx=rollback');
    }
  }
  return prefs;
}
