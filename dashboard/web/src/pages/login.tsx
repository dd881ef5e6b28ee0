// Sign-in form. A refused login says why without telling which of name or password was wrong.
import { useState } from 'preact/hooks';
import { ApiError } from '../api.js';
import { t } from '../prefs.js';
import { login } from '../session.js';

export function Login() {
  const m = t.value;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    setBusy(true);
    setError(null);
    try {
      await login(String(form.get('name') ?? ''), String(form.get('password') ?? ''));
    } catch (err) {
      if (!(err instanceof ApiError) || err.status === 0) setError(m.errors.network);
      else if (err.status === 429) setError(m.login.tooMany);
      // No account exists yet: the server's message says how to make the first admin.
      else if (err.code === 'COBREW_ERR_NO_USERS') setError(err.message);
      else if (err.status === 401 || err.status === 400) setError(m.login.failed);
      else setError(err.message);
      setBusy(false);
    }
  };

  return (
    <section class="login">
      <h1 tabIndex={-1}>{m.login.title}</h1>
      <form onSubmit={submit} aria-describedby={error === null ? undefined : 'login-error'}>
        <label for="login-name">{m.login.name}</label>
        <input id="login-name" name="name" autoComplete="username" required />
        <label for="login-password">{m.login.password}</label>
        <input id="login-password" name="password" type="password" autoComplete="current-password" required />
        {error !== null && (
          <p id="login-error" class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? m.login.busy : m.login.submit}
        </button>
      </form>
    </section>
  );
}
