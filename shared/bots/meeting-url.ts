// The meeting links Attendee accepts (see ../../../shared/reference/attendee-api.md): checking them before the
// call lets a meeting be skipped as `unsupported_url` instead of failing at Attendee.

export type MeetingPlatform = 'zoom' | 'google_meet' | 'teams';

export interface SupportedMeetingUrl {
  platform: MeetingPlatform;
  url: string;
}

const ZOOM_HOST = /(^|\.)zoom\.(us|com)$/;
const ZOOM_PATH = /^\/(?:j|w|s|wc\/join|wc)\/(\d{9,11})(?:\/|$)/;
const MEET_CODE = /^\/([a-z]{3}-[a-z]{4}-[a-z]{3})\/?$/;
const TEAMS_HOSTS = new Set(['teams.microsoft.com', 'teams.live.com']);
const TEAMS_PATH = /^\/(?:l\/meetup-join\/|meet\/)\S+/;

function parse(raw: string): URL | undefined {
  try {
    const url = new URL(raw.trim());
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** The platform of a meeting link Attendee can join, or undefined for anything else (or no link). */
export function supportedMeetingUrl(raw: string | null | undefined): SupportedMeetingUrl | undefined {
  if (!raw) return undefined;
  const url = parse(raw);
  if (!url) return undefined;
  const host = url.hostname.toLowerCase();
  // The link is sent as the user saved it; Attendee normalizes it and answers with the normalized form.
  const original = raw.trim();
  if (ZOOM_HOST.test(host) && ZOOM_PATH.test(url.pathname)) {
    return { platform: 'zoom', url: original };
  }
  if (host === 'meet.google.com' && MEET_CODE.test(url.pathname)) {
    return { platform: 'google_meet', url: original };
  }
  if (TEAMS_HOSTS.has(host) && TEAMS_PATH.test(url.pathname)) {
    return { platform: 'teams', url: original };
  }
  return undefined;
}
