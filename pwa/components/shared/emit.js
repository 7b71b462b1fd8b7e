// Actions go up as DOM events: one helper so every component does it alike.

/** Dispatches a bubbling, composed CustomEvent named `name` from `el`. */
export function emit(el, name, detail = {}) {
  el.dispatchEvent(new CustomEvent(name, { bubbles: true, composed: true, detail }));
}
