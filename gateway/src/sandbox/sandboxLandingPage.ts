import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';

export interface SandboxConfig {
  /**
   * Development only: a demo-premium access token `npm start` signed with the development key
   * (SANDBOX_DEMO_TOKEN), put in Sandbox's headers so the first click is signed in.
   */
  demoToken?: string;
}

/** The operation Sandbox opens with: the home screen, the one request the API exists for. */
export const SANDBOX_OPERATION_PATH = path.resolve(__dirname, '../../../operations/HomeScreen.graphql');

/** A profile of the demo account the token is for (see the README's demo data). */
export const SANDBOX_VARIABLES = { profileId: 'demo-premium-1' };

/**
 * The landing page: disabled in production; in development Apollo Sandbox, opened on HomeScreen
 * with its variables and, when `npm start` handed one over, the demo token in its headers. The
 * gateway issues no tokens (the profile subgraph does): the token is made by the start script,
 * which can read the development signing key, and is only ever passed in development.
 */
export function sandboxLandingPage(production: boolean, sandbox: SandboxConfig = {}): ApolloServerPlugin {
  if (production) return ApolloServerPluginLandingPageDisabled();
  const document = readOperation();
  return ApolloServerPluginLandingPageLocalDefault({
    embed: true,
    includeCookies: false,
    ...(document ? { document, variables: SANDBOX_VARIABLES } : {}),
    ...(sandbox.demoToken ? { headers: { Authorization: `Bearer ${sandbox.demoToken}` } } : {}),
  });
}

/** Absent outside a checkout (an image without operations/): Sandbox then opens empty. */
function readOperation(): string | undefined {
  try {
    return readFileSync(SANDBOX_OPERATION_PATH, 'utf8');
  } catch {
    return undefined;
  }
}
