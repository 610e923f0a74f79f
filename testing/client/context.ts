/**
 * A fresh tab context for a unit test: a new bus and state with the API payloads installed, a fake upstream, the
 * logger muted, and optionally a recorded state applied.
 */
import '../../client/api/api';
import { LogLevel } from '../../shared/enums';
import type { StateFull } from '../../shared/protocol';
import { resetContext, setUpstream, type TabContext } from '../../client/tab/context';
import { FakeUpstream } from './fake-upstream';
import { fixture, type FixtureName } from './fixtures';

export function freshContext(state?: FixtureName | StateFull, options: { loopback?: boolean; connected?: boolean } = {}):
  { ctx: TabContext; up: FakeUpstream } {
  const ctx = resetContext();
  ctx.log.setEchoLevel(LogLevel.CRITICAL);
  ctx.log.clear();
  const up = new FakeUpstream(options.loopback ?? false);
  setUpstream(options.connected === false ? null : up);
  if (state) ctx.state.apply(typeof state === 'string' ? fixture(state) : state);
  return { ctx, up };
}
