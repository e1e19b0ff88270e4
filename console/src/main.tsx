import { render } from 'preact';
import { supabase } from './api.ts';
import { App } from './app.tsx';
import { readConfig } from './config.ts';
import './styles.css';

const root = document.getElementById('app')!;
const config = readConfig();
if ('problem' in config) {
  render(
    <p class="error" role="alert">
      {config.problem}
    </p>,
    root,
  );
} else {
  supabase(config);
  render(<App projectUrl={config.supabaseUrl} />, root);
  // Time to first render, for the note: from navigation start to the first frame with the app in it.
  requestAnimationFrame(() => performance.mark('console-first-render'));
}
