/** The user service: sign-in, token verification and profiles over HTTP. */
import { trace } from '@opentelemetry/api';
import { z } from 'zod';
import { openDatabase } from '../shared/database';
import { parseInput } from '../shared/httpServer';
import { setCurrentUser } from '../shared/requestContext';
import { runService } from '../shared/service';
import { UserDirectory } from './user';

const signInSchema = z.object({ email: z.email(), password: z.string().min(1) });
const verifySchema = z.object({ token: z.string().min(1) });

await runService('user', async ({ config, flags }) => {
  const db = openDatabase(config.dataDir, 'user', [new URL('./schema.sql', import.meta.url)]);
  const users = new UserDirectory(db);
  users.seedDemoCustomers();
  const failIfDown = () => flags.failIfFired('userServiceDown', trace.getActiveSpan());

  return {
    routes: [
      {
        method: 'POST',
        path: '/auth/signin',
        handler: ({ body }) => {
          failIfDown();
          const { email, password } = parseInput(signInSchema, body, 'sign-in');
          const session = users.signIn(email, password);
          setCurrentUser(session.userId);
          return { body: session };
        },
      },
      {
        method: 'POST',
        path: '/auth/verify',
        handler: ({ body }) => {
          failIfDown();
          const session = users.verify(parseInput(verifySchema, body, 'token check').token);
          setCurrentUser(session.userId);
          return { body: session };
        },
      },
      {
        method: 'GET',
        path: '/users/:id',
        handler: ({ params }) => {
          failIfDown();
          setCurrentUser(params.id!);
          return { body: users.profile(params.id!) };
        },
      },
    ],
    close: async () => {
      db.close();
    },
  };
});
