/**
 * Tiny DOM helpers: build elements declaratively, and change text or visibility only when it actually changes (so a
 * periodic update never disturbs focus, selection or screen-reader position).
 */

export type Child = Node | string | null | undefined | false;
export type Attrs = Record<string, string | boolean | undefined>;

/** `h('button', {type: 'button', 'aria-label': 'Hold'}, 'Hold')`; `true` sets an empty attribute, false/undefined skips. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) el.append(child);
  return el;
}

/** A real `<button type="button">` that runs `onClick`. */
export function button(label: string, onClick: (ev: MouseEvent) => void, attrs: Attrs = {}): HTMLButtonElement {
  const b = h('button', { type: 'button', ...attrs }, label);
  b.addEventListener('click', onClick);
  return b;
}

export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

export function setAttr(el: Element, name: string, value: string | null): void {
  if (value === null) {
    if (el.hasAttribute(name)) el.removeAttribute(name);
  } else if (el.getAttribute(name) !== value) {
    el.setAttribute(name, value);
  }
}

export function setHidden(el: HTMLElement, hidden: boolean): void {
  if (el.hidden !== hidden) el.hidden = hidden;
}

/** True while the user is working in `el` (it or a descendant has focus): leave its controls alone then. */
export function isBusyWith(el: Element): boolean {
  return el.contains(document.activeElement);
}

let idCounter = 0;
/** A page-unique id for label/aria wiring. */
export function uniqueId(prefix: string): string {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}

/** Replaces the options of a `<select>` unless the user is using it; keeps the chosen value when it still exists. */
export function setOptions(select: HTMLSelectElement, options: { value: string; label: string; disabled?: boolean; group?: string }[]): boolean {
  if (isBusyWith(select)) return false;
  const previous = select.value;
  const groups = new Map<string, HTMLOptGroupElement>();
  const nodes: (HTMLOptionElement | HTMLOptGroupElement)[] = [];
  for (const o of options) {
    const option = h('option', { value: o.value, disabled: o.disabled }, o.label);
    if (!o.group) {
      nodes.push(option);
      continue;
    }
    let group = groups.get(o.group);
    if (!group) {
      group = h('optgroup', { label: o.group });
      groups.set(o.group, group);
      nodes.push(group);
    }
    group.append(option);
  }
  select.replaceChildren(...nodes);
  if (options.some((o) => o.value === previous && !o.disabled)) select.value = previous;
  return true;
}
