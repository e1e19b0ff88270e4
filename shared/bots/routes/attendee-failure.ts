import { AppError } from '../../http/errors.ts';

/** The HTTP error for an Attendee failure: 503 when trying later may work, 502 when Attendee refused. */
export function attendeeFailure(kind: string, message: string): AppError {
  if (kind === 'rate_limited' || kind === 'unavailable') {
    return new AppError(503, 'attendee_unavailable', `Attendee is unavailable: ${message}`, {
      headers: { 'Retry-After': '60' },
    });
  }
  if (kind === 'conflict') return new AppError(409, 'conflict', message);
  if (kind === 'internal') return new AppError(502, 'attendee_error', 'Sending the bot failed');
  return new AppError(502, 'attendee_rejected', `Attendee refused the bot: ${message}`);
}
