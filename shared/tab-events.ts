/**
 * Event names a tab uses for itself, outside the Streams vocabulary of `EventType` (public, `shared/enums.ts`): the
 * engine link reports to its tab under them, and a page that could not connect says so on its own bus. They never
 * cross a boundary (the engine does not send them; tabs do not broadcast them).
 */
export enum TabEvent {
  /** The engine link hit a failure it recovers from (a refused fire-and-forget message, a stolen liveness lock):
   * the tab logs it as a warning, never raises it on its bus. */
  LINK_ERROR = 'link_error',
  /** The page could not connect to the engine at all: raised on the page's bus with the typed error. */
  TRANSPORT_ERROR = 'transport_error',
}
