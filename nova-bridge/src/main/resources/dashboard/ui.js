// Small DOM helpers: every text goes in through textContent, so nothing from the API is parsed as HTML.
export const $ = (id) => document.getElementById(id);

export function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c ?? ''));
  return e;
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

export const pct = (v) => (v === null || v === undefined || Number.isNaN(v) ? '–' : `${(v * 100).toFixed(1)} %`);
export const num = (v, digits = 1) => (v === null || v === undefined ? '–' : Number(v).toFixed(digits));
export const when = (iso) => (iso ? new Date(iso).toLocaleString() : '–');

export function facts(dl, pairs) {
  clear(dl);
  for (const [k, v] of pairs) {
    dl.append(el('dt', { text: k }), el('dd', { text: v }));
  }
}

/** A horizontal bar for a fraction 0..1; the width goes through CSSOM, which the CSP allows. */
export function bar(kind, value) {
  const inner = el('span');
  inner.style.width = `${Math.max(0, Math.min(1, value || 0)) * 100}%`;
  return el('div', { class: `bar ${kind}`, title: pct(value) }, inner);
}

export function showError(node, err) {
  node.textContent = err ? (err.explain ? err.explain() : String(err.message || err)) : '';
}

/**
 * A virtualised list: only the rows in view (plus a margin) exist in the DOM, so 10,000 rejections
 * cost a few dozen elements. render(item) returns the row's text.
 */
export class VirtualList {
  constructor(container, render, rowHeight = 24) {
    this.box = container;
    this.render = render;
    this.rowHeight = rowHeight;
    this.items = [];
    this.spacer = el('div', { class: 'spacer' });
    this.box.append(this.spacer);
    this.box.addEventListener('scroll', () => this.draw());
  }

  set(items) {
    this.items = items;
    this.spacer.style.height = `${items.length * this.rowHeight}px`;
    this.box.scrollTop = 0;
    this.draw();
  }

  draw() {
    for (const r of [...this.box.querySelectorAll('.row')]) r.remove();
    const first = Math.max(0, Math.floor(this.box.scrollTop / this.rowHeight) - 5);
    const last = Math.min(this.items.length, first + Math.ceil(this.box.clientHeight / this.rowHeight) + 10);
    for (let i = first; i < last; i++) {
      const row = el('div', { class: 'row', text: this.render(this.items[i]) });
      row.style.top = `${i * this.rowHeight}px`;
      row.title = row.textContent;
      this.box.append(row);
    }
  }
}
