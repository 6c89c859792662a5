// A few lines instead of a framework: elements from tag, attributes and children.
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else if (name === 'style' && typeof value === 'object') Object.assign(element.style, value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return element;
}

export const clear = (element) => {
  element.replaceChildren();
  return element;
};

/** A select whose options are [value, label] pairs. */
export function select(attributes, options, selected) {
  return h('select', attributes, ...options.map(([value, label]) => h('option', { value, selected: value === selected }, label)));
}

/** A message in place of a view that could not load. */
export const failure = (error) => h('p', { class: 'error', role: 'alert' }, `Không tải được dữ liệu: ${error.message}`);
