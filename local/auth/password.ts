import type { AuthSettings } from './config.ts';
import { AuthError } from './errors.ts';

/** GoTrue's limit: bcrypt reads only the first 72 bytes. */
const MAX_PASSWORD_LENGTH = 72;

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
const SYMBOLS = '!@#$%^&*()_+-=[]{};\'\\:"|<>?,./`~';

/** The character sets config.toml's `password_requirements` names, as the Supabase CLI passes them to GoTrue. */
const REQUIRED: Record<AuthSettings['passwordRequirements'], string[]> = {
  '': [],
  letters_digits: [LOWER + UPPER, DIGITS],
  lower_upper_letters_digits: [LOWER, UPPER, DIGITS],
  lower_upper_letters_digits_symbols: [LOWER, UPPER, DIGITS, SYMBOLS],
};

/** GoTrue's `checkPasswordStrength`: too long is 400 `validation_failed`, too weak 422 `weak_password`. */
export function checkPasswordStrength(password: string, settings: AuthSettings): void {
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new AuthError(
      400,
      'validation_failed',
      `Password cannot be longer than ${MAX_PASSWORD_LENGTH} characters`,
    );
  }
  const reasons: string[] = [];
  const messages: string[] = [];
  if (password.length < settings.minimumPasswordLength) {
    reasons.push('length');
    messages.push(`Password should be at least ${settings.minimumPasswordLength} characters.`);
  }
  const sets = REQUIRED[settings.passwordRequirements] ?? [];
  if (sets.some((set) => ![...password].some((character) => set.includes(character)))) {
    reasons.push('characters');
    messages.push(`Password should contain at least one character of each: ${sets.join(', ')}.`);
  }
  if (reasons.length > 0) throw new AuthError(422, 'weak_password', messages.join(' '), reasons);
}
