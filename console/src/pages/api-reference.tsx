// The API reference of each function, rendered from its OpenAPI document in a frame of its own (Scalar's styles
// stay out of the console's). One frame for all: choosing another function changes its hash, not the page.
// `jobs` is left out: it answers only the service role, which a signed-in person is not.
const FUNCTIONS = ['classification', 'workflows', 'bots', 'ai'];

export function ApiReferencePage({ rest }: { rest: string }) {
  const fn = FUNCTIONS.includes(rest) ? rest : 'classification';
  return (
    <>
      <h1>API reference</h1>
      <fieldset class="filters">
        <legend class="visually-hidden">Function</legend>
        {FUNCTIONS.map((name) => (
          <a key={name} class="chip" href={`#/api/${name}`} aria-current={name === fn ? 'page' : undefined}>
            {name}
          </a>
        ))}
      </fieldset>
      <p class="hint">
        From <code>/functions/v1/{fn}/openapi.json</code>.
      </p>
      <iframe class="reference" title={`${fn} API reference`} src={`./api-reference.html#${fn}`} />
    </>
  );
}
