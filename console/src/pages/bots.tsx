// Meeting bots: the settings, upcoming meetings with the latest decision and its reason, the bots and their
// states, the scheduling log, and schedule now / cancel / auto-schedule / sync.
import { invoke, rows, supabase } from '../api.ts';
import { useAction, useLoad } from '../hooks.ts';
import { Badge, ErrorNote, formatTime, States } from '../ui.tsx';
import { BotSettingsForm } from './bot-settings.tsx';

interface Meeting {
  id: string;
  title: string;
  start_time: string;
  end_time: string;
  meeting_url: string | null;
  status: string;
}

interface Bot {
  id: string;
  meetingId: string;
  state: string;
  joinAt: string | null;
  sent: boolean;
  notSentReason: string | null;
  lastError: string | null;
}

interface Log {
  meetingId: string | null;
  decision: string;
  reason: string | null;
  details: Record<string, unknown>;
  createdAt: string;
}

/** The reason of a decision, with the detail the scheduler gave (e.g. which keyword excluded it). */
function Reason({ log }: { log: Log | undefined }) {
  if (!log) return <>—</>;
  const detail = typeof log.details.detail === 'string' ? log.details.detail : undefined;
  return (
    <>
      {log.reason ?? '—'}
      {detail && <div class="hint">{detail}</div>}
    </>
  );
}

const LIVE = ['pending', 'not_sent', 'scheduled', 'staged', 'ready', 'joining'];

export function BotsPage() {
  const meetings = useLoad(
    () =>
      rows<Meeting>(
        supabase()
          .from('meetings')
          .select('id, title, start_time, end_time, meeting_url, status')
          .gte('end_time', new Date().toISOString())
          .order('start_time')
          .limit(50),
      ),
    [],
  );
  const bots = useLoad(() => invoke<{ bots: Bot[] }>('bots?limit=100'), []);
  const logs = useLoad(() => invoke<{ logs: Log[] }>('bots/scheduling-logs?limit=100'), []);
  const action = useAction();
  const reloadAll = async () => {
    await Promise.all([meetings.reload(), bots.reload(), logs.reload()]);
  };
  const act = (path: string, options: { method?: 'POST' | 'DELETE'; body?: unknown }) =>
    void action.run(async () => {
      await invoke(path, options);
      await reloadAll();
    });
  const latestDecision = (meetingId: string) => logs.data?.logs.find((log) => log.meetingId === meetingId);
  const botOf = (meetingId: string) => bots.data?.bots.find((bot) => bot.meetingId === meetingId);
  // Bots and decisions can be about meetings that have ended (not listed above): named by id then.
  const meetingTitle = (meetingId: string | null) =>
    meetingId
      ? (meetings.data?.find((meeting) => meeting.id === meetingId)?.title ??
        `meeting ${meetingId.slice(0, 8)}`)
      : '—';

  return (
    <>
      <h1>Bots</h1>
      <div class="actions">
        <button
          type="button"
          disabled={action.busy}
          onClick={() => act('bots/auto-schedule', { method: 'POST', body: {} })}
        >
          Auto-schedule now
        </button>
        <button
          type="button"
          disabled={action.busy}
          onClick={() => act('bots/sync', { method: 'POST', body: {} })}
        >
          Sync with meetings
        </button>
      </div>
      <ErrorNote error={action.error} />
      <h2>Upcoming meetings</h2>
      <States
        data={meetings.data}
        error={meetings.error}
        empty={(list) => list.length === 0}
        emptyText="No upcoming meetings."
      >
        {(list) => (
          <table aria-label="Upcoming meetings">
            <thead>
              <tr>
                <th scope="col">Meeting</th>
                <th scope="col">Starts</th>
                <th scope="col">Decision</th>
                <th scope="col">Reason</th>
                <th scope="col">Bot</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((meeting) => {
                const decision = latestDecision(meeting.id);
                const bot = botOf(meeting.id);
                return (
                  <tr key={meeting.id}>
                    <td>{meeting.title}</td>
                    <td>{formatTime(meeting.start_time)}</td>
                    <td>
                      {decision ? (
                        <Badge status={decision.decision} />
                      ) : (
                        <span class="hint">not decided yet</span>
                      )}
                    </td>
                    <td>
                      <Reason log={decision} />
                    </td>
                    <td>{bot ? <Badge status={bot.state} /> : '—'}</td>
                    <td>
                      {bot && LIVE.includes(bot.state) ? (
                        <button
                          type="button"
                          disabled={action.busy}
                          onClick={() => act(`bots/${bot.id}`, { method: 'DELETE' })}
                        >
                          Cancel bot
                        </button>
                      ) : (
                        <button
                          type="button"
                          disabled={action.busy}
                          onClick={() =>
                            act('bots/schedule-meeting', { method: 'POST', body: { meetingId: meeting.id } })
                          }
                        >
                          Schedule now
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </States>
      <h2>Bots</h2>
      <States
        data={bots.data}
        error={bots.error}
        empty={(data) => data.bots.length === 0}
        emptyText="No bots yet."
      >
        {(data) => (
          <table aria-label="Bots">
            <thead>
              <tr>
                <th scope="col">Meeting</th>
                <th scope="col">State</th>
                <th scope="col">Joins at</th>
                <th scope="col">Sent to Attendee</th>
                <th scope="col">Note</th>
              </tr>
            </thead>
            <tbody>
              {data.bots.map((bot) => (
                <tr key={bot.id}>
                  <td>{meetingTitle(bot.meetingId)}</td>
                  <td>
                    <Badge status={bot.state} />
                  </td>
                  <td>{formatTime(bot.joinAt)}</td>
                  <td>{bot.sent ? 'yes' : 'no'}</td>
                  <td>{bot.lastError ?? bot.notSentReason ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </States>
      <h2>Scheduling log</h2>
      <States
        data={logs.data}
        error={logs.error}
        empty={(data) => data.logs.length === 0}
        emptyText="No decisions logged yet."
      >
        {(data) => (
          <table aria-label="Scheduling log">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Meeting</th>
                <th scope="col">Decision</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {data.logs.map((log, index) => (
                <tr key={`${log.createdAt}-${index}`}>
                  <td>{formatTime(log.createdAt)}</td>
                  <td>{meetingTitle(log.meetingId)}</td>
                  <td>
                    <Badge status={log.decision} />
                  </td>
                  <td>
                    <Reason log={log} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </States>
      <BotSettingsForm />
    </>
  );
}
