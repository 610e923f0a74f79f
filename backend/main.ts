/**
 * CLI entry: `node --import tsx backend/main.ts` starts the CTI backend alone, configured from the environment
 * (CTI_PORT, CTI_HOST, PUBLIC_ORIGIN, APPROVED_ORIGINS, CONTROL_API, TOKEN_TTL_SECONDS, SESSION_TTL_SECONDS,
 * RING_TIMEOUT_MS, DIAL_DELAY_MS, AGENT_PASSWORD, SIM_AGENTS, LOG_LEVEL). `npm start` (scripts/start.ts) also builds
 * and starts the demo CRM.
 */
import { controlBanner } from './control';
import { startBackend } from './server';

async function main(): Promise<void> {
  const backend = await startBackend();
  console.log(`CTI backend: ${backend.url}  (CCP ${backend.url}/ccp, logins agent1…agent${backend.config.agentCount})`);
  const banner = controlBanner(backend.controlToken);
  if (banner) console.log(banner);
  const stop = (): void => {
    backend.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
