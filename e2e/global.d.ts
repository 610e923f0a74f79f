// Pages under test expose the library as `window.connect` (the UMD global of connect-streams.js).
import type { connect } from '../client/index';

declare global {
  interface Window { connect: typeof connect }
}
export {};
