// The bot settings form: GET /bots/settings, saved with PUT.
import { useEffect, useState } from 'preact/hooks';
import { invoke } from '../api.ts';
import { useAction, useLoad } from '../hooks.ts';
import { issuesAt } from '../json-field.tsx';
import { ErrorNote, Field, States } from '../ui.tsx';

interface Settings {
  autoSchedule: boolean;
  lookaheadHours: number;
  joinOffsetMinutes: number;
  botName: string;
  recordMode: 'all' | 'external_only' | 'organizer_only';
  exclusionKeywords: string[];
  minAttendees: number;
  transcriptionLanguage: string;
}

export function BotSettingsForm() {
  const loaded = useLoad(() => invoke<Settings>('bots/settings'), []);
  const [form, setForm] = useState<Settings>();
  const [saved, setSaved] = useState(false);
  // The keywords as typed, so a trailing comma survives until the next word.
  const [excludeText, setExcludeText] = useState('');
  const action = useAction();
  useEffect(() => {
    setForm(loaded.data);
    setExcludeText(loaded.data?.exclusionKeywords.join(', ') ?? '');
  }, [loaded.data]);
  const set = <K extends keyof Settings>(key: K, value: Settings[K]) => {
    setSaved(false);
    setForm((current) => (current ? { ...current, [key]: value } : current));
  };
  const issues = action.error?.issues;
  const submit = (event: Event) => {
    event.preventDefault();
    void action.run(async () => {
      setForm(await invoke<Settings>('bots/settings', { method: 'PUT', body: form }));
      setSaved(true);
    });
  };
  return (
    <section aria-label="Bot settings">
      <h2>Settings</h2>
      <States data={form} error={loaded.error}>
        {(settings) => (
          <form class="card" onSubmit={submit}>
            <label class="check">
              <input
                type="checkbox"
                checked={settings.autoSchedule}
                onChange={(e) => set('autoSchedule', e.currentTarget.checked)}
              />{' '}
              Schedule bots automatically
            </label>
            <div class="row">
              <Field label="Look ahead (hours)" id="bs-lookahead" error={issuesAt(issues, 'lookaheadHours')}>
                <input
                  id="bs-lookahead"
                  type="number"
                  min={1}
                  max={720}
                  value={settings.lookaheadHours}
                  onInput={(e) => set('lookaheadHours', Number(e.currentTarget.value))}
                />
              </Field>
              <Field
                label="Join offset (minutes before start)"
                id="bs-offset"
                error={issuesAt(issues, 'joinOffsetMinutes')}
              >
                <input
                  id="bs-offset"
                  type="number"
                  min={0}
                  max={60}
                  value={settings.joinOffsetMinutes}
                  onInput={(e) => set('joinOffsetMinutes', Number(e.currentTarget.value))}
                />
              </Field>
              <Field label="Minimum attendees" id="bs-min" error={issuesAt(issues, 'minAttendees')}>
                <input
                  id="bs-min"
                  type="number"
                  min={0}
                  value={settings.minAttendees}
                  onInput={(e) => set('minAttendees', Number(e.currentTarget.value))}
                />
              </Field>
            </div>
            <div class="row">
              <Field label="Bot name" id="bs-name" error={issuesAt(issues, 'botName')}>
                <input
                  id="bs-name"
                  value={settings.botName}
                  onInput={(e) => set('botName', e.currentTarget.value)}
                />
              </Field>
              <Field label="Record" id="bs-mode">
                <select
                  id="bs-mode"
                  value={settings.recordMode}
                  onChange={(e) => set('recordMode', e.currentTarget.value as Settings['recordMode'])}
                >
                  <option value="all">all meetings</option>
                  <option value="external_only">meetings with external attendees</option>
                  <option value="organizer_only">meetings I organize</option>
                </select>
              </Field>
              <Field
                label="Transcription language"
                id="bs-lang"
                error={issuesAt(issues, 'transcriptionLanguage')}
              >
                <input
                  id="bs-lang"
                  value={settings.transcriptionLanguage}
                  onInput={(e) => set('transcriptionLanguage', e.currentTarget.value)}
                />
              </Field>
            </div>
            <Field
              label="Exclusion keywords"
              id="bs-exclude"
              hint="Comma-separated; a meeting whose title has one is not recorded"
              error={issuesAt(issues, 'exclusionKeywords')}
            >
              <input
                id="bs-exclude"
                value={excludeText}
                onInput={(e) => {
                  setExcludeText(e.currentTarget.value);
                  set(
                    'exclusionKeywords',
                    e.currentTarget.value
                      .split(',')
                      .map((word) => word.trim())
                      .filter(Boolean),
                  );
                }}
              />
            </Field>
            <button type="submit" disabled={action.busy}>
              {action.busy ? 'Saving…' : 'Save settings'}
            </button>
            {saved && (
              <span role="status" class="hint">
                {' '}
                Saved.
              </span>
            )}
            <ErrorNote error={action.error} />
          </form>
        )}
      </States>
    </section>
  );
}
