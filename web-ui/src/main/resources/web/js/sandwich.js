// Sandwich view data, computed in the browser from a flame graph tree (the API's flat pre-order format):
// for one function, the tree of its callers (inverted: the function at the root, its callers above) and the
// tree of its callees (every call of it merged). Nested recursive calls count once, at the outermost call.

/** {callers, callees, total, self, calls} trees in the flame.js format, or null when the name is not in the tree. */
export function sandwich(tree, fnName) {
  const names = tree.names, nodes = tree.nodes, n = nodes.length / 5;
  const f = names.indexOf(fnName);
  if (f < 0) return null;
  const parent = new Int32Array(n), end = new Int32Array(n);
  const stack = [];
  for (let i = 0; i < n; i++) {
    const d = nodes[5 * i + 2];
    while (stack.length > d) end[stack.pop()] = i;
    parent[i] = d === 0 ? -1 : stack[d - 1];
    stack.push(i);
  }
  while (stack.length) end[stack.pop()] = n;

  // Tries keyed by (name, kind): {name, kind, total, self, children: Map}.
  const trie = (name, kind) => ({name, kind, total: 0, self: 0, children: new Map()});
  const child = (t, name, kind) => {
    const key = name + ':' + kind;
    let c = t.children.get(key);
    if (!c) { c = trie(name, kind); t.children.set(key, c); }
    return c;
  };
  const fnKind = (() => { for (let i = 1; i < n; i++) if (nodes[5 * i] === f) return nodes[5 * i + 1]; return 0; })();
  const callees = trie(f, fnKind);
  const callers = trie(f, fnKind);
  let calls = 0, selfSum = 0;
  for (let i = 1; i < n;) {
    if (nodes[5 * i] !== f) { i++; continue; }
    calls++;
    const total = nodes[5 * i + 3];
    callees.total += total;
    callers.total += total;
    // Self of the function anywhere inside this call (recursion included).
    for (let j = i; j < end[i]; j++) if (nodes[5 * j] === f) selfSum += nodes[5 * j + 4];
    // Callees: merge the subtree below this call.
    const path = [callees];
    callees.self += nodes[5 * i + 4];
    const base = nodes[5 * i + 2];
    for (let j = i + 1; j < end[i]; j++) {
      const depth = nodes[5 * j + 2] - base;
      path.length = depth;
      const c = child(path[depth - 1], nodes[5 * j], nodes[5 * j + 1]);
      c.total += nodes[5 * j + 3];
      c.self += nodes[5 * j + 4];
      path.push(c);
    }
    // Callers: the path up to the root, nearest caller first.
    let t = callers;
    for (let a = parent[i]; a > 0; a = parent[a]) {
      t = child(t, nodes[5 * a], nodes[5 * a + 1]);
      t.total += total;
    }
    t.self += total;
    i = end[i];
  }
  if (calls === 0) return null;
  return {
    calls, total: callees.total, self: selfSum,
    callers: flatten(callers, tree), callees: flatten(callees, tree),
  };
}

function flatten(root, tree) {
  const out = [];
  const walk = (t, depth) => {
    out.push(t.name, t.kind, depth, t.total, t.self);
    const kids = [...t.children.values()].sort((a, b) => b.total - a.total);
    for (const c of kids) walk(c, depth + 1);
  };
  walk(root, 0);
  return {type: tree.type, unit: tree.unit, total: root.total, names: tree.names, kinds: tree.kinds, nodes: out};
}
