/**
 * A webpack loader (after ts-loader) that ships a string enum as the list of its values when every key is the
 * UPPER_SNAKE form of its value (`NOT_ROUTABLE = 'not_routable'`), optionally after one shared `prefix::`
 * (`agent::state_change`): the keys are then derived in the browser, as the original library derives them, instead
 * of being spelled out beside each value. The objects are the same (plain, mutable, same keys in the same order);
 * sources, `.d.ts` and the ESM build are untouched. Each rewrite is checked at build time by running the very helper
 * that ships; an enum that does not derive exactly is left as TypeScript emitted it.
 */

/** The helper appended to a module that uses it (declarations are hoisted, so the lines above keep their numbers). */
export const DERIVED_ENUM_HELPER = 'function __derivedEnum(prefix, values) { const e = {}; for (const v of values.split(" ")) '
  + 'e[v.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/[^A-Za-z0-9]+/g, "_").toUpperCase()] = prefix + v; return e; }';

type DeriveFn = (prefix: string, values: string) => Record<string, string>;

// eslint-disable-next-line @typescript-eslint/no-implied-eval
const derive = new Function(`${DERIVED_ENUM_HELPER}; return __derivedEnum;`)() as DeriveFn;

/** `export var X; (function (X) { X["K"] = "v"; … })(X || (X = {}));` as TypeScript emits a string enum (ES modules). */
const ENUM_BLOCK = /^export var (\w+);\n\(function \(\1\) \{\n([\s\S]*?)\n\}\)\(\1 \|\| \(\1 = \{\}\)\);$/gm;

/** The members of an enum body, or null when it holds anything but string members and comments. */
function membersOf(name: string, body: string): [string, string][] | null {
  const member = new RegExp(`^${name}\\["([A-Za-z0-9_]+)"\\] = "([^"\\\\\\s]*)";$`);
  const out: [string, string][] = [];
  for (const raw of body.replace(/\/\*[\s\S]*?\*\//g, '').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('//')) continue;
    const m = member.exec(line);
    if (!m) return null;
    out.push([m[1]!, m[2]!]);
  }
  return out.length ? out : null;
}

/** The shared `prefix::` of every value, or '' when they do not all have the same one. */
function prefixOf(values: string[]): string {
  const first = /^[^:]+::/.exec(values[0] ?? '')?.[0];
  return first && values.every((v) => v.startsWith(first)) ? first : '';
}

/** The call that rebuilds this enum, or null when it would not rebuild it exactly. */
function derivedCall(members: [string, string][]): string | null {
  const prefix = prefixOf(members.map(([, v]) => v));
  const tails = members.map(([, v]) => v.slice(prefix.length));
  if (tails.some((t) => t === '')) return null;
  const list = tails.join(' ');
  const rebuilt = Object.entries(derive(prefix, list));
  const same = rebuilt.length === members.length && rebuilt.every(([k, v], i) => k === members[i]![0] && v === members[i]![1]);
  return same ? `/*#__PURE__*/ __derivedEnum(${JSON.stringify(prefix)}, ${JSON.stringify(list)})` : null;
}

/**
 * Rewrites the derivable enums of one emitted module; `derived` names them. Line count is kept.
 *
 * @example
 * compactEnums('export var T;\n(function (T) {\n    T["A_B"] = "a_b";\n})(T || (T = {}));').code;
 * // 'export var T = /*#__PURE__*\/ __derivedEnum("", "a_b");\n\n\n' + helper
 */
export function compactEnums(js: string): { code: string; derived: string[] } {
  const derived: string[] = [];
  const code = js.replace(ENUM_BLOCK, (block, name: string, body: string) => {
    const members = membersOf(name, body);
    const call = members && derivedCall(members);
    if (!call) return block;
    derived.push(name);
    return `export var ${name} = ${call};${'\n'.repeat(block.split('\n').length - 1)}`;
  });
  return derived.length ? { code: `${code}\n${DERIVED_ENUM_HELPER}\n`, derived } : { code: js, derived };
}

interface LoaderContext {
  callback(error: Error | null, content?: string, sourceMap?: unknown): void;
}

/** The webpack loader: source maps pass through (lines do not move). */
export default function derivedEnumsLoader(this: LoaderContext, source: string, map?: unknown): void {
  this.callback(null, compactEnums(source).code, map);
}
