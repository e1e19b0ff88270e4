import { describe, expect, it } from 'vitest';
import { supportedMeetingUrl } from '../../shared/bots/meeting-url.ts';

describe('supported meeting links', () => {
  it.each([
    ['https://us02web.zoom.us/j/81234567890?pwd=abc123', 'zoom'],
    ['https://zoom.us/j/123456789', 'zoom'],
    ['https://acme.zoom.com/w/81234567890?pwd=x', 'zoom'],
    ['https://meet.google.com/abc-defg-hij', 'google_meet'],
    ['https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0?context=%7b%7d', 'teams'],
    ['https://teams.live.com/meet/9876543210123?p=secret', 'teams'],
  ])('accepts %s as %s', (url, platform) => {
    expect(supportedMeetingUrl(url)?.platform).toBe(platform);
  });

  it.each([
    [null],
    [''],
    ['not a url'],
    ['https://example.com/j/81234567890'],
    ['https://zoom.us/meeting/schedule'],
    ['https://meet.google.com/landing'],
    ['https://webex.com/meet/someone'],
    ['https://teams.microsoft.com/'],
    ['ftp://zoom.us/j/81234567890'],
    ['https://evilzoom.us/j/81234567890'],
  ])('rejects %s', (url) => {
    expect(supportedMeetingUrl(url)).toBeUndefined();
  });
});
