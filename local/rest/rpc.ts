import type { Queryable } from '../../shared/db/database.ts';
import type { Catalog, PgFunction } from './catalog.ts';
import { RestError } from './errors.ts';
import type { Result } from './operations.ts';
import { jsonRows, Params, quote } from './sql.ts';

/** PGRST202, as PostgREST names a function it cannot find for these arguments. */
function functionNotFound(name: string, args: string[]): RestError {
  return new RestError(
    404,
    'PGRST202',
    `Could not find the function public.${name}(${args.join(', ')}) in the schema cache`,
    `Searched for the function public.${name} with parameters ${args.join(', ') || 'none'}, but no matches were found in the schema cache.`,
  );
}

/** The overload whose named arguments are exactly the given ones (those it lacks have defaults). */
function resolveFunction(catalog: Catalog, name: string, args: string[]): PgFunction {
  const candidates = (catalog.functions.get(name) ?? []).filter((fn) => {
    const names = fn.args.map((arg) => arg.name);
    if (!args.every((arg) => names.includes(arg))) return false;
    const required = fn.args.slice(0, fn.args.length - fn.defaults).map((arg) => arg.name);
    return required.every((arg) => args.includes(arg)) && fn.args.every((arg) => arg.name !== '');
  });
  if (candidates.length === 0) throw functionNotFound(name, args);
  if (candidates.length > 1) {
    throw new RestError(
      300,
      'PGRST203',
      `Could not choose the best candidate function between overloads of public.${name}`,
    );
  }
  return candidates[0] as PgFunction;
}

/** A JSON argument as Postgres text input for `type` (arrays and json stay JSON, converted in SQL). */
function argument(params: Params, type: string, value: unknown): string {
  if (value === null || value === undefined) return `${params.add(null)}::${type}`;
  if (type === 'json' || type === 'jsonb') return `${params.add(JSON.stringify(value))}::${type}`;
  if (type.endsWith('[]') && Array.isArray(value)) {
    return `array(select jsonb_array_elements_text(${params.add(JSON.stringify(value))}::jsonb))::${type}`;
  }
  if (typeof value === 'object') return `${params.add(JSON.stringify(value))}::${type}`;
  return `${params.add(String(value))}::${type}`;
}

/**
 * `rpc/<function>`: calls a function of `public` with named arguments, as the request's role (EXECUTE grants and
 * RLS decide). Sets and table functions answer an array, scalars and single rows their JSON, void 204.
 */
export async function callFunction(
  tx: Queryable,
  catalog: Catalog,
  name: string,
  args: Record<string, unknown>,
): Promise<Result & { void: boolean; scalar: boolean }> {
  const fn = resolveFunction(catalog, name, Object.keys(args));
  const params = new Params();
  // The types in these casts come from the catalog, never from the request.
  const call = `public.${quote(fn.name)}(${Object.entries(args)
    .map(([arg, value]) => {
      const type = fn.args.find((candidate) => candidate.name === arg)?.type as string;
      return `${quote(arg)} => ${argument(params, type, value)}`;
    })
    .join(', ')})`;
  if (fn.returnsSet) {
    const { rows } = await tx.query<{ body: string; n: number }>(
      jsonRows(`select * from ${call} _t`),
      params.values,
    );
    return { body: rows[0]?.body ?? '[]', rows: rows[0]?.n ?? 0, void: false, scalar: false };
  }
  if (fn.returnType === 'void') {
    await tx.query(`select ${call}`, params.values);
    return { body: '', rows: 0, void: true, scalar: true };
  }
  const sql =
    fn.returnKind === 'c'
      ? `select to_json(_t)::text as body from ${call} _t`
      : `select to_json(${call})::text as body`;
  const { rows } = await tx.query(sql, params.values);
  return { body: rows[0]?.body ?? 'null', rows: 1, void: false, scalar: true };
}
