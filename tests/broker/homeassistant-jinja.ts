// Just enough of Jinja to render cobrew's Home Assistant discovery templates as Home Assistant would:
// `{{ expression }}` with dict literals, attribute access, `==`, `A if C else B`, `| tojson`, `none`, and
// `{% if %} {% elif %} {% else %} {% endif %}`. Expressions are evaluated as JavaScript after that rewrite,
// which is enough for these templates and nothing more.

function evaluate(expression: string, vars: Record<string, unknown>): unknown {
  let js = expression.trim();
  const toJson = js.endsWith('| tojson');
  if (toJson) js = js.slice(0, -'| tojson'.length).trim();
  const conditional = /^(.*?) if (.*?) else (.*)$/s.exec(js);
  if (conditional) js = `(${conditional[2]}) ? (${conditional[1]}) : (${conditional[3]})`;
  js = js.replace(/\bnone\b/g, 'null');
  const value = new Function(...Object.keys(vars), `return (${js});`)(...Object.values(vars));
  return toJson ? JSON.stringify(value) : value;
}

/** How Jinja prints a value: Python's None, True and False. */
function print(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return String(value);
}

export function render(template: string, vars: Record<string, unknown>): string {
  const branches: Array<{ active: boolean; taken: boolean }> = [];
  const active = () => branches.every((b) => b.active);
  let out = '';
  for (const token of template.split(/(\{\{.*?\}\}|\{%.*?%\})/s)) {
    if (token.startsWith('{%')) {
      const [keyword = '', ...rest] = token.slice(2, -2).trim().split(/\s+/);
      const condition = rest.join(' ');
      if (keyword === 'if') {
        const taken = active() && Boolean(evaluate(condition, vars));
        branches.push({ active: taken, taken });
      } else if (keyword === 'elif' || keyword === 'else') {
        const open = branches.pop();
        if (open === undefined) throw new Error(`${keyword} without if in ${template}`);
        const taken = !open.taken && active() && (keyword === 'else' || Boolean(evaluate(condition, vars)));
        branches.push({ active: taken, taken: open.taken || taken });
      } else if (keyword === 'endif') {
        branches.pop();
      } else {
        throw new Error(`unsupported statement ${token}`);
      }
    } else if (active()) {
      out += token.startsWith('{{') ? print(evaluate(token.slice(2, -2), vars)) : token;
    }
  }
  return out;
}
