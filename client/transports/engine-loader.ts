/**
 * Loads the engine bundle (`connect-engine.js`): only a page that hosts the engine does (the broadcast leader, the
 * in-page transport). Followers and SharedWorker pages never load it.
 */
import { ENGINE_HOST_GLOBAL, isEngineHostFactory, type EngineHostFactory } from '../../shared/engine-host';
import { loadGlobal } from './script-loader';

/**
 * @example
 * const factory = await loadEngine('https://ccp.example.com/connect-engine.js');
 * const host = factory.createHost({ transport: 'in-page', origin: location.origin });
 */
export function loadEngine(url: string): Promise<EngineHostFactory> {
  return loadGlobal(url, ENGINE_HOST_GLOBAL, isEngineHostFactory);
}
