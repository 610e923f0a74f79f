import { defineConfig } from '@playwright/test';
import { existsSync } from 'node:fs';

/** Test ports, apart from `npm start`'s 8080/8081 so a running demo does not collide with the suite. */
export const CTI_PORT = Number(process.env.TEST_CTI_PORT ?? 18080);
export const CRM_PORT = Number(process.env.TEST_CRM_PORT ?? 18081);

const chromium = process.env.CHROMIUM_BIN
  ?? ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((p) => existsSync(p))
  ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: './e2e',
  testMatch: /.*\.spec\.ts$/,
  // Multi-tab tests share 2 cores: one at a time, and assert convergence and order rather than tight times.
  workers: 1,
  fullyParallel: false,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  retries: 0,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${CTI_PORT}`,
    headless: true,
    browserName: 'chromium',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: chromium,
      // Autoplay without a gesture: the ringtone test checks that exactly one tab plays, with no user to click.
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
    },
  },
  webServer: {
    command: 'node --import tsx scripts/start.ts --no-build',
    url: `http://127.0.0.1:${CTI_PORT}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      CTI_PORT: String(CTI_PORT),
      CRM_PORT: String(CRM_PORT),
      APPROVED_ORIGINS: `http://127.0.0.1:${CRM_PORT},http://localhost:${CRM_PORT}`,
      LOG_LEVEL: 'silent',
      RING_TIMEOUT_MS: '20000',
    },
  },
});
