// The shell: the session (supabase.auth), the sign-in form, navigation by URL hash, and the pages.
import type { Session } from '@supabase/supabase-js';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, supabase } from './api.ts';
import { useAction } from './hooks.ts';
import { ApiReferencePage } from './pages/api-reference.tsx';
import { ApprovalsPage } from './pages/approvals.tsx';
import { BatchesPage } from './pages/batches.tsx';
import { BotsPage } from './pages/bots.tsx';
import { ClassificationWorkflowsPage } from './pages/classification-workflows.tsx';
import { ClassifyPage } from './pages/classify.tsx';
import { ExecutionsPage } from './pages/executions.tsx';
import { MonitoringPage } from './pages/monitoring.tsx';
import { WorkflowsPage } from './pages/workflows.tsx';
import { ErrorNote, Field, Loading } from './ui.tsx';

const PAGES = [
  { path: 'classify', label: 'Classify', group: 'Classification', page: ClassifyPage },
  { path: 'batches', label: 'Batches', group: 'Classification', page: BatchesPage },
  {
    path: 'classification-workflows',
    label: 'Classification workflows',
    group: 'Classification',
    page: ClassificationWorkflowsPage,
  },
  { path: 'workflows', label: 'Definitions', group: 'Workflows', page: WorkflowsPage },
  { path: 'executions', label: 'Executions', group: 'Workflows', page: ExecutionsPage },
  { path: 'approvals', label: 'Approvals', group: 'Workflows', page: ApprovalsPage },
  { path: 'bots', label: 'Bots', group: 'Meetings', page: BotsPage },
  { path: 'monitoring', label: 'Monitoring', group: 'Operations', page: MonitoringPage },
  { path: 'api', label: 'API reference', group: 'Operations', page: ApiReferencePage },
] as const;

/** The hash route: `#/<page>/<rest>?<params>`. */
function useRoute(): [string, string, URLSearchParams] {
  const read = (): [string, string, URLSearchParams] => {
    const [path = '', query = ''] = location.hash.replace(/^#\/?/, '').split('?');
    const [page = '', ...rest] = path.split('/');
    return [page || 'classify', rest.join('/'), new URLSearchParams(query)];
  };
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const onChange = () => setRoute(read());
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export function App({ projectUrl }: { projectUrl: string }) {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  useEffect(() => {
    const auth = supabase().auth;
    void auth.getSession().then(({ data }) => setSession(data.session));
    const { data } = auth.onAuthStateChange((_event, next) => setSession(next));
    return () => data.subscription.unsubscribe();
  }, []);
  if (session === undefined) return <Loading label="Checking the session…" />;
  if (!session) return <SignIn projectUrl={projectUrl} />;
  return <Shell email={session.user.email ?? session.user.id} />;
}

function SignIn({ projectUrl }: { projectUrl: string }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const action = useAction();
  const submit = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      const { error } = await supabase().auth.signInWithPassword({ email, password });
      if (error) throw new ApiError(error.message, error.status, error.code);
    });
  };
  return (
    <main class="signin">
      <h1>Sign in</h1>
      <p class="hint">Project: {projectUrl}</p>
      <form onSubmit={submit} aria-label="Sign in">
        <Field label="Email" id="email">
          <input
            id="email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        </Field>
        <Field label="Password" id="password">
          <input
            id="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </Field>
        <button type="submit" disabled={action.busy}>
          {action.busy ? 'Signing in…' : 'Sign in'}
        </button>
        <ErrorNote error={action.error} />
      </form>
    </main>
  );
}

function Shell({ email }: { email: string }) {
  const [page, rest, params] = useRoute();
  const current = PAGES.find((entry) => entry.path === page) ?? PAGES[0];
  const Page = current.page;
  const groups = [...new Set(PAGES.map((entry) => entry.group))];
  const first = useRef(true);
  useEffect(() => {
    document.title = `${current.label} · Console`;
    // After navigating, keyboard and screen-reader users start at the new page, not in the menu.
    if (!first.current) document.getElementById('main')?.focus();
    first.current = false;
  }, [current]);
  return (
    <div class="shell">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <nav aria-label="Console">
        <div class="brand">Console</div>
        {groups.map((group) => (
          <div key={group} class="nav-group">
            <div class="nav-title">{group}</div>
            {PAGES.filter((entry) => entry.group === group).map((entry) => (
              <a
                key={entry.path}
                href={`#/${entry.path}`}
                aria-current={entry === current ? 'page' : undefined}
              >
                {entry.label}
              </a>
            ))}
          </div>
        ))}
        <div class="nav-user">
          <span>{email}</span>
          <button type="button" class="link" onClick={() => void supabase().auth.signOut()}>
            Sign out
          </button>
        </div>
      </nav>
      <main id="main" tabIndex={-1}>
        <Page rest={rest} params={params} />
      </main>
    </div>
  );
}
