/**
 * A minimal browser for the test IdP's own pages: keeps cookies, follows redirects one by one and
 * submits the forms a person would. Only for pages this test IdP renders.
 */
export class FormBrowser {
  private readonly cookies = new Map<string, string>();

  constructor(private readonly origin: string) {}

  /** Requests `url`, following redirects within the IdP; stops at a redirect elsewhere. */
  async go(
    url: string,
    init: { method?: string; form?: Record<string, string> } = {},
  ): Promise<{ url: string; status: number; body: string; leftTo?: string }> {
    let current = new URL(url, this.origin).toString();
    let method = init.method ?? 'GET';
    let form = init.form;
    for (let hops = 0; hops < 20; hops++) {
      const res = await fetch(current, {
        method,
        redirect: 'manual',
        headers: {
          cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
          ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        ...(form ? { body: new URLSearchParams(form).toString() } : {}),
      });
      this.keep(res.headers.getSetCookie());
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        const next = new URL(location, current);
        await res.arrayBuffer();
        if (next.origin !== new URL(this.origin).origin) {
          return { url: current, status: res.status, body: '', leftTo: next.toString() };
        }
        current = next.toString();
        method = 'GET';
        form = undefined;
        continue;
      }
      return { url: current, status: res.status, body: await res.text() };
    }
    throw new Error(`too many redirects from ${url}`);
  }

  /** Submits the page's first form, with its hidden fields plus `fields`. */
  async submit(page: { url: string; body: string }, fields: Record<string, string> = {}) {
    const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/i.exec(page.body);
    if (!form) throw new Error(`no form on ${page.url} (status page: ${page.body.slice(0, 300)})`);
    const hidden: Record<string, string> = {};
    for (const m of (form[2] ?? '').matchAll(/<input[^>]*type="hidden"[^>]*>/gi)) {
      const name = /name="([^"]+)"/.exec(m[0])?.[1];
      const value = /value="([^"]*)"/.exec(m[0])?.[1] ?? '';
      if (name) hidden[name] = value;
    }
    return this.go(new URL(form[1] ?? '', page.url).toString(), {
      method: 'POST',
      form: { ...hidden, ...fields },
    });
  }

  private keep(setCookies: string[]) {
    for (const line of setCookies) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq < 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const gone = attrs.some((a) => {
        const [k = '', v = ''] = a.split('=').map((s) => s.trim());
        return (
          (k.toLowerCase() === 'max-age' && Number(v) <= 0) ||
          (k.toLowerCase() === 'expires' && Date.parse(v) < Date.now())
        );
      });
      if (gone || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}
