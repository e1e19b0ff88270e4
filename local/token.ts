// Prints a token the local stack accepts: `npm run --silent token -- --sub <uuid> [--email e] [--role anon|service_role]`.
import { parseArgs } from 'node:util';
import { DEMO_USER_ID, signToken, type TokenRole } from './keys.ts';

const { values } = parseArgs({
  options: {
    sub: { type: 'string' },
    email: { type: 'string' },
    role: { type: 'string', default: 'authenticated' },
    'expires-in': { type: 'string' },
  },
});
const role = values.role as TokenRole;
if (!['anon', 'authenticated', 'service_role'].includes(role)) {
  console.error('--role must be anon, authenticated or service_role');
  process.exit(2);
}
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
if (values.sub && !uuid.test(values.sub)) {
  console.error('--sub must be a user id (uuid)');
  process.exit(2);
}
const expires = values['expires-in'] ? Number(values['expires-in']) : undefined;
console.log(
  await signToken({ role, sub: values.sub ?? DEMO_USER_ID, email: values.email, expiresInSeconds: expires }),
);
