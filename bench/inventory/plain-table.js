/* global window, document, performance, requestAnimationFrame, setTimeout */
/**
 * The floor of the inventory bench: the same guests as the app's list, drawn
 * into one plain <table> by hand-written DOM code, no framework, no
 * virtualisation, no sorting. Each function is timed from the moment it
 * holds the answer's text (it parses it itself, as the app parses what it
 * receives) to the first frame painted after the DOM change.
 */
'use strict';

const columns = ['Status', 'VMID', 'Name', 'Node', 'CPU', 'Memory', 'Uptime', 'Tags', 'Pool'];
/** `<cluster>:<item id>` → the row's cells, for the refreshes. */
const cellsByKey = new Map();

function afterPaint() {
  // rAF runs before the frame is painted; a task queued from it runs once that frame is out.
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

function isGuest(item) {
  return item.type === 'qemu' || item.type === 'lxc';
}

function texts(item) {
  const mib = (bytes) => `${Math.round((bytes ?? 0) / 1048576)} MiB`;
  return [
    item.status ?? '',
    String(item.vmid ?? ''),
    item.name ?? '',
    item.node ?? '',
    `${((item.cpu ?? 0) * 100).toFixed(1)} %`,
    `${mib(item.mem)} / ${mib(item.maxmem)}`,
    String(item.uptime ?? 0),
    item.tags ?? '',
    item.pool ?? '',
  ];
}

/** `answers`: the text of `[{ cluster, data }]`, each cluster's `/cluster/resources` answer. Resolves with the milliseconds taken. */
window.drawPlainTable = async function drawPlainTable(answers) {
  const started = performance.now();
  const table = document.createElement('table');
  const head = table.createTHead().insertRow();
  for (const column of columns) head.appendChild(document.createElement('th')).textContent = column;
  const body = table.createTBody();
  cellsByKey.clear();
  for (const { cluster, data } of JSON.parse(answers)) {
    for (const item of data) {
      if (!isGuest(item)) continue;
      const row = body.insertRow();
      const cells = texts(item).map((text) => {
        const cell = row.insertCell();
        cell.textContent = text;
        return cell;
      });
      cellsByKey.set(`${cluster}:${item.id}`, cells);
    }
  }
  document.body.replaceChildren(table);
  await afterPaint();
  return performance.now() - started;
};

/** `changes`: the text of `[{ cluster, data }]` holding only the changed items. Resolves with the milliseconds taken. */
window.applyPlainChanges = async function applyPlainChanges(changes) {
  const started = performance.now();
  for (const { cluster, data } of JSON.parse(changes)) {
    for (const item of data) {
      const cells = cellsByKey.get(`${cluster}:${item.id}`);
      if (cells === undefined) continue;
      texts(item).forEach((text, index) => {
        if (cells[index].textContent !== text) cells[index].textContent = text;
      });
    }
  }
  await afterPaint();
  return performance.now() - started;
};

/** How many guest rows the table holds: the bench checks the peer drew what the app shows. */
window.plainTableRows = function plainTableRows() {
  return cellsByKey.size;
};
