-- Demo data for local development: one user, a few documents and upcoming meetings, bot settings.
-- Idempotent (fixed ids, on conflict do nothing). Meeting times are relative to when the seed first ran.
-- The demo user signs in with email demo@example.com and password demo-password (supabase-js
-- `auth.signInWithPassword`), or gets a token with `npm run --silent token`. The password is a bcrypt hash, as
-- Supabase Auth stores it; local development only.

insert into auth.users (
  instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, raw_app_meta_data, raw_user_meta_data
)
values (
  '00000000-0000-0000-0000-000000000000',
  '00000000-0000-4000-8000-000000000001',
  'authenticated',
  'authenticated',
  'demo@example.com',
  extensions.crypt('demo-password', extensions.gen_salt('bf', 10)),
  now(),
  '{"provider": "email", "providers": ["email"]}',
  '{"full_name": "Demo User"}'
)
on conflict do nothing;

insert into public.documents (id, user_id, title, content, metadata)
values
  (
    '00000000-0000-4000-8000-000000000101',
    '00000000-0000-4000-8000-000000000001',
    'Q3 renewal call with Acme Corp: notes',
    'Attendees: Dana (Acme, procurement), Luis (Acme, IT), Sam (account manager). '
    'Acme wants to renew for two years if we lower the per-seat price by 8% and add SSO. '
    'Luis raised two outages in August that hurt their support team; he asked for a written incident report. '
    'Action items: Sam sends the revised quote by Friday; engineering shares the incident report next week. '
    'Risk: Acme is also evaluating a competitor and will decide before the end of the month.',
    '{"source": "meeting_notes", "meeting": "Acme renewal"}'
  ),
  (
    '00000000-0000-4000-8000-000000000102',
    '00000000-0000-4000-8000-000000000001',
    'Complaint: invoice charged twice',
    'Hello, our October invoice (INV-2291) was charged twice to our company card. '
    'This is the second billing error this quarter and our finance team is frustrated. '
    'Please refund the duplicate charge of $4,200 within five business days and confirm by email. '
    'Regards, Priya Natarajan, Finance Director, Globex Ltd.',
    '{"source": "email", "channel": "support"}'
  ),
  (
    '00000000-0000-4000-8000-000000000103',
    '00000000-0000-4000-8000-000000000001',
    'Weekly engineering sync: summary',
    'The team shipped the new onboarding flow on Tuesday; sign-up conversion is up 12% so far. '
    'The data migration for EU customers is blocked on the legal review of the processing agreement. '
    'Decision: freeze non-critical deploys during the holiday week. '
    'Next steps: Mei schedules a load test before Black Friday; Tom updates the runbook for database failover.',
    '{"source": "meeting_notes", "meeting": "Engineering sync"}'
  )
on conflict do nothing;

insert into public.meetings (
  id, user_id, title, description, start_time, end_time, meeting_url, attendees, organizer_email, status, external_id
)
values
  (
    '00000000-0000-4000-8000-000000000201',
    '00000000-0000-4000-8000-000000000001',
    'Acme Corp: renewal negotiation',
    'Pricing and SSO terms for the two-year renewal.',
    date_trunc('hour', now()) + interval '1 day 2 hours',
    date_trunc('hour', now()) + interval '1 day 3 hours',
    'https://us02web.zoom.us/j/81234567890?pwd=QWxhZGRpbjpvcGVu',
    '[{"email": "demo@example.com", "name": "Demo User"},
      {"email": "dana@acme.test", "name": "Dana Whitfield"},
      {"email": "luis@acme.test", "name": "Luis Ortega"}]',
    'demo@example.com',
    'confirmed',
    'demo-calendar-acme-renewal'
  ),
  (
    '00000000-0000-4000-8000-000000000202',
    '00000000-0000-4000-8000-000000000001',
    'Weekly engineering sync',
    'Status, blockers, release plan.',
    date_trunc('hour', now()) + interval '1 day 5 hours',
    date_trunc('hour', now()) + interval '1 day 5 hours 30 minutes',
    'https://meet.google.com/abc-defg-hij',
    '[{"email": "demo@example.com", "name": "Demo User"},
      {"email": "mei@example.com", "name": "Mei Chen"},
      {"email": "tom@example.com"}]',
    'mei@example.com',
    'confirmed',
    'demo-calendar-eng-sync'
  ),
  (
    '00000000-0000-4000-8000-000000000203',
    '00000000-0000-4000-8000-000000000001',
    'Globex: billing escalation',
    'Duplicate charge on INV-2291; agree on refund and prevention.',
    date_trunc('hour', now()) + interval '2 days 1 hour',
    date_trunc('hour', now()) + interval '2 days 1 hour 45 minutes',
    'https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjQ5ZTk2YjMtZGVtbw%40thread.v2/0',
    '[{"email": "demo@example.com", "name": "Demo User"},
      {"email": "priya@globex.test", "name": "Priya Natarajan"}]',
    'priya@globex.test',
    'tentative',
    'demo-calendar-globex-billing'
  ),
  (
    -- All day and without a meeting link: the scheduler skips it.
    '00000000-0000-4000-8000-000000000204',
    '00000000-0000-4000-8000-000000000001',
    'Company offsite (all day)',
    'In person, Lisbon office.',
    date_trunc('day', now()) + interval '3 days',
    date_trunc('day', now()) + interval '4 days',
    null,
    '[{"email": "demo@example.com", "name": "Demo User"},
      {"email": "mei@example.com", "name": "Mei Chen"},
      {"email": "tom@example.com", "name": "Tom Becker"}]',
    'demo@example.com',
    'confirmed',
    'demo-calendar-offsite'
  )
on conflict do nothing;

insert into public.user_bot_settings (
  user_id, auto_schedule, lookahead_hours, join_offset_minutes, bot_name, record_mode, exclusion_keywords, min_attendees
)
values (
  '00000000-0000-4000-8000-000000000001', true, 72, 2, 'Demo Notetaker', 'all', '{personal,interview}', 2
)
on conflict do nothing;
