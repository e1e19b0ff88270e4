// Where the console finds its project: config.js (next to index.html) sets window.CONSOLE_CONFIG.
export interface ConsoleConfig {
  supabaseUrl: string;
  anonKey: string;
}

declare global {
  interface Window {
    CONSOLE_CONFIG?: Partial<ConsoleConfig>;
  }
}

/** The project URL and anon key, or the reason the console cannot start. */
export function readConfig(): ConsoleConfig | { problem: string } {
  const config = window.CONSOLE_CONFIG;
  if (!config?.supabaseUrl || !config.anonKey) {
    return {
      problem:
        'config.js does not name the project: build with `npm run build:console` and SUPABASE_URL, SUPABASE_ANON_KEY set.',
    };
  }
  return { supabaseUrl: config.supabaseUrl.replace(/\/+$/, ''), anonKey: config.anonKey };
}
